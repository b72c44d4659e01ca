// Webhooks the sandbox sends: signed with X-Twilio-Signature exactly as Twilio signs them
// (form POST: URL + sorted parameters; GET: the full URL), with an I-Twilio-Idempotency-Token.
#pragma once

#include <chrono>
#include <string>

#include "core/params.h"
#include "net/http_client.h"
#include "sid.h"

namespace mc::sandbox {

struct WebhookRequest {
  std::string kind;  // "onMessageAdded", "voice", "status-callback", "sms", ...
  std::string url;
  std::string method = "POST";
  Params params;
};

struct WebhookResponse {
  int status = 0;  // 0: the request failed (see error)
  std::string body;
  std::string content_type;
  std::string error;
  bool ok() const { return status >= 200 && status < 300; }
};

class WebhookSender {
 public:
  WebhookSender(net::HttpClient& http, std::string auth_token, SidGenerator& sids,
                std::chrono::milliseconds timeout)
      : http_(http), auth_token_(std::move(auth_token)), sids_(sids), timeout_(timeout) {}

  // Never throws; transport failures come back as status 0.
  WebhookResponse send(const WebhookRequest& request);

 private:
  net::HttpClient& http_;
  const std::string auth_token_;
  SidGenerator& sids_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace mc::sandbox
