// Converts a FastCGI request (its parameters and body) into a core Request. Pure functions,
// so the conversion is unit-tested without a socket. Form encoding is decoded by cgicc, JSON
// by jsoncpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/params.h"
#include "core/request.h"
#include "core/status.h"

namespace mc::fcgi {

// The FastCGI parameters of one request ("REQUEST_METHOD", "HTTP_HOST", ...). The views
// point into libfcgi's buffers and live as long as the request.
using FcgiParams = std::vector<std::pair<std::string_view, std::string_view>>;

// Splits libfcgi's "NAME=value" environment array.
FcgiParams params_from_envp(const char* const* envp);

// The first value of `name`, or "".
std::string_view fcgi_param(const FcgiParams& params, std::string_view name);

// CONTENT_LENGTH as a number: 0 when absent or empty, an error when not a number.
Result<size_t> content_length(const FcgiParams& params);

// How many body bytes to read for this request: CONTENT_LENGTH when it is at most
// `max_body_bytes`; a PAYLOAD_TOO_LARGE error (413) when it is more; INVALID_ARGUMENT (400)
// when it is malformed. Decided before any of the body is read.
Result<size_t> acceptable_body_length(const FcgiParams& params, size_t max_body_bytes);

// Builds the request from its parameters and the body already read. Parses the query
// string, a form body (application/x-www-form-urlencoded) and a JSON body
// (application/json; a parse failure is reported in Request::json_error, not here).
Request build_request(const FcgiParams& params, std::string body);

// Decodes a query string or an application/x-www-form-urlencoded body ("a=1&b=%2B2+3" ->
// {a:1, b:"+2 3"}) as core/params decode_form splits it, each name and value decoded by
// cgicc. Order and repeated names are kept.
Params parse_form(std::string_view text);

}  // namespace mc::fcgi
