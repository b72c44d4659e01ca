// Posting Proxy's callbacks to a customer's server as Twilio posts them: a form body,
// X-Twilio-Signature computed with the account's auth token over the URL and the
// parameters (so the customer's webhook validator accepts us as it accepted Twilio), and
// a bounded wait. Thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "core/params.h"
#include "core/status.h"
#include "net/http_client.h"

namespace mc::proxy {

struct CallbackAnswer {
  int status = 0;
  std::string content_type;  // lower-case, parameters dropped ("application/json")
  std::string body;
};

class CallbackPoster {
 public:
  CallbackPoster(net::HttpClient& http, std::string auth_token)
      : http_(http), auth_token_(std::move(auth_token)) {}

  // Any HTTP status is an answer; UNAVAILABLE or DEADLINE_EXCEEDED when the server could
  // not be reached within `timeout` (connecting included).
  Result<CallbackAnswer> post(const std::string& url, const Params& params,
                              std::chrono::milliseconds timeout) const;

 private:
  net::HttpClient& http_;
  const std::string auth_token_;
};

}  // namespace mc::proxy
