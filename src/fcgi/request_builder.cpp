#include "fcgi/request_builder.h"

#include <cgicc/CgiUtils.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/response.h"

namespace mc::fcgi {
namespace {

std::string cgicc_decode(std::string_view component) {
  return cgicc::form_urldecode(std::string(component));
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

// Split by decode_form, each name and value decoded by cgicc. Not through a cgicc::Cgicc:
// its constructor reads every CGI variable of the request each time, which was about a
// sixth of what an inbound call cost the worker.
Params parse_form(std::string_view text) { return decode_form(text, cgicc_decode); }

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
  request.query = parse_form(request.query_string);

  request.body = std::move(body);
  if (request.content_type_is("application/x-www-form-urlencoded")) {
    request.form = parse_form(request.body);
  } else if (request.content_type_is("application/json")) {
    Json::Value value;
    if (parse_json_text(request.body, &value, &request.json_error)) request.json = std::move(value);
  }
  return request;
}

}  // namespace mc::fcgi
