// The CGI response head the worker writes before a body: "Status: 200 OK\r\n...\r\n\r\n".
#pragma once

#include <string>

#include "core/response.h"

namespace mc::fcgi {

// Status line, Content-Type, Content-Length and the response's own headers. Header values
// containing CR or LF are dropped, so a value can never split the head.
std::string format_response_head(const Response& response);

}  // namespace mc::fcgi
