// The response value handlers return; the transport (src/fcgi) writes it out.
#pragma once

#include <json/value.h>

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace mc {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  std::string body;

  // A JSON body, serialised compactly.
  static Response json(int status, const Json::Value& body);
  static Response text(int status, std::string body);
  // TwiML: HTTP 200, text/xml.
  static Response twiml(std::string document);
  // An error in Twilio's shape: {"code", "message", "more_info", "status"}. `code` is the
  // stable API code (falls back to the HTTP status when 0).
  static Response error(int http_status, int code, std::string_view message);
  static Response error(const Status& status);

  Response& with_header(std::string name, std::string value);
};

// "OK", "Not Found", ... for the status line.
std::string_view reason_phrase(int status);

// Compact JSON text for a value (no indentation, UTF-8 kept as is).
std::string to_json_text(const Json::Value& value);

// The deepest nesting parse_json_text accepts.
inline constexpr int kMaxJsonDepth = 100;

// Parses JSON text; false and a message in *error when it is not valid JSON, is nested more
// than kMaxJsonDepth deep, or holds a string that is not valid UTF-8. Never throws.
bool parse_json_text(std::string_view text, Json::Value* out, std::string* error);

}  // namespace mc
