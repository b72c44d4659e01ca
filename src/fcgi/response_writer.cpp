#include "fcgi/response_writer.h"

namespace mc::fcgi {
namespace {

bool is_safe_header_text(const std::string& text) {
  return text.find_first_of("\r\n") == std::string::npos;
}

}  // namespace

std::string format_response_head(const Response& response) {
  std::string head = "Status: " + std::to_string(response.status) + " ";
  head += reason_phrase(response.status);
  head += "\r\n";
  if (!response.content_type.empty() && response.status != 204) {
    head += "Content-Type: " + response.content_type + "\r\n";
  }
  head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (!is_safe_header_text(name) || !is_safe_header_text(value)) continue;
    head += name + ": " + value + "\r\n";
  }
  head += "\r\n";
  return head;
}

}  // namespace mc::fcgi
