#include "fcgi/request_builder.h"

#include <cgicc/CgiInput.h>
#include <cgicc/Cgicc.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/response.h"

namespace mc::fcgi {
namespace {

// Feeds cgicc from memory instead of the process environment and stdin.
class MemoryCgiInput final : public cgicc::CgiInput {
 public:
  MemoryCgiInput(std::string_view method, std::string_view query, std::string_view content_type,
                 std::string_view body)
      : method_(method),
        query_(query),
        content_type_(content_type),
        content_length_(std::to_string(body.size())),
        body_(body) {}

  size_t read(char* data, size_t length) override {
    const size_t n = std::min(length, body_.size() - position_);
    std::memcpy(data, body_.data() + position_, n);
    position_ += n;
    return n;
  }

  std::string getenv(const char* name) override {
    const std::string_view key(name);
    if (key == "REQUEST_METHOD") return std::string(method_);
    if (key == "QUERY_STRING") return std::string(query_);
    if (key == "CONTENT_TYPE") return std::string(content_type_);
    if (key == "CONTENT_LENGTH") return content_length_;
    return {};
  }

 private:
  std::string_view method_;
  std::string_view query_;
  std::string_view content_type_;
  std::string content_length_;
  std::string_view body_;
  size_t position_ = 0;
};

Params decode_with_cgicc(MemoryCgiInput& input) {
  cgicc::Cgicc cgi(&input);
  Params params;
  params.reserve(cgi.getElements().size());
  for (const cgicc::FormEntry& entry : cgi.getElements()) {
    params.emplace_back(entry.getName(), entry.getValue());
  }
  return params;
}

// "HTTP_X_TWILIO_SIGNATURE" -> "x-twilio-signature".
std::string header_name_from_param(std::string_view param) {
  std::string name(param.substr(5));
  for (char& c : name) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

}  // namespace

FcgiParams params_from_envp(const char* const* envp) {
  FcgiParams params;
  for (const char* const* entry = envp; entry && *entry; ++entry) {
    std::string_view text(*entry);
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    params.emplace_back(text.substr(0, eq), text.substr(eq + 1));
  }
  return params;
}

std::string_view fcgi_param(const FcgiParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

Result<size_t> content_length(const FcgiParams& params) {
  const std::string_view text = fcgi_param(params, "CONTENT_LENGTH");
  if (text.empty()) return size_t{0};
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::invalid_argument("malformed Content-Length");
  }
  return value;
}

Result<size_t> acceptable_body_length(const FcgiParams& params, size_t max_body_bytes) {
  Result<size_t> length = content_length(params);
  if (!length) return length;
  if (*length > max_body_bytes) {
    return Status(StatusCode::kPayloadTooLarge, "request body of " + std::to_string(*length) +
                                                    " bytes is over the limit of " +
                                                    std::to_string(max_body_bytes) + " bytes");
  }
  return length;
}

Params parse_query_string(std::string_view query) {
  if (query.empty()) return {};
  MemoryCgiInput input("GET", query, "", "");
  return decode_with_cgicc(input);
}

Params parse_form_body(std::string_view body, std::string_view content_type) {
  if (body.empty()) return {};
  MemoryCgiInput input("POST", "", content_type, body);
  return decode_with_cgicc(input);
}

Request build_request(const FcgiParams& params, std::string body) {
  Request request;
  for (const auto& [name, value] : params) {
    if (name == "REQUEST_METHOD") {
      request.method = value;
    } else if (name == "REQUEST_URI") {
      request.request_uri = value;
    } else if (name == "QUERY_STRING") {
      request.query_string = value;
    } else if (name == "CONTENT_TYPE") {
      request.content_type = value;
      request.headers["content-type"] = value;
    } else if (name == "CONTENT_LENGTH") {
      request.headers["content-length"] = value;
    } else if (name == "REMOTE_USER") {
      request.remote_user = value;
    } else if (name == "REMOTE_ADDR") {
      request.remote_addr = value;
    } else if (name == "HTTPS") {
      request.https = value == "on" || value == "1";
    } else if (name.size() > 5 && name.substr(0, 5) == "HTTP_") {
      request.headers[header_name_from_param(name)] = value;
    }
  }
  if (request.request_uri.empty()) {
    // Not every web server sends REQUEST_URI; rebuild it from the CGI variables.
    request.request_uri = std::string(fcgi_param(params, "SCRIPT_NAME")) +
                          std::string(fcgi_param(params, "PATH_INFO"));
    if (!request.query_string.empty()) request.request_uri += "?" + request.query_string;
  }
  const size_t question = request.request_uri.find('?');
  request.path = request.request_uri.substr(0, question);
  if (request.query_string.empty() && question != std::string::npos) {
    request.query_string = request.request_uri.substr(question + 1);
  }
  request.query = parse_query_string(request.query_string);

  request.body = std::move(body);
  if (request.content_type_is("application/x-www-form-urlencoded")) {
    request.form = parse_form_body(request.body, request.content_type);
  } else if (request.content_type_is("application/json")) {
    Json::Value value;
    if (parse_json_text(request.body, &value, &request.json_error)) request.json = std::move(value);
  }
  return request;
}

}  // namespace mc::fcgi
