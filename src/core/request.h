// The request value every handler sees, independent of FastCGI. Built once per request by
// the transport (src/fcgi) and dies with the request.
#pragma once

#include <json/value.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/params.h"

namespace mc {

struct Request {
  std::string method;       // "GET", "POST", ...
  std::string path;         // the path as received, without the query ("/sessions/S1")
  std::string request_uri;  // path + '?' + query exactly as received, never re-encoded
  std::string query_string;
  Params query;  // decoded query parameters, in order
  // Body, as received, and its parsed forms: `form` for application/x-www-form-urlencoded
  // bodies; `json` for application/json bodies that parsed, with `json_error` saying why one
  // did not.
  std::string body;
  std::string content_type;
  Params form;
  std::optional<Json::Value> json;
  std::string json_error;
  // Header names are lower-case with '-' ("x-twilio-signature").
  std::map<std::string, std::string> headers;
  // Set by nginx after basic auth; empty when the request was not authenticated.
  std::string remote_user;
  std::string remote_addr;
  bool https = false;
  // Filled by the router from the matched pattern ("{Sid}" -> value), percent-decoded.
  Params path_params;

  // The header's value, or nullptr. `name` must be lower-case.
  const std::string* header(std::string_view name) const;
  // The path parameter's value, or "" when the pattern has none of that name.
  std::string_view path_param(std::string_view name) const;
  // The first value of `name` in the form body, else in the query; or "".
  std::string_view param(std::string_view name) const;
  // Whether the body's media type is `media_type` (lower-case, e.g. "application/json"),
  // compared case-insensitively and ignoring parameters such as "; charset=utf-8".
  bool content_type_is(std::string_view media_type) const;
};

}  // namespace mc
