#include "webhooks.h"

#include "twilio/signature.h"

namespace mc::sandbox {

WebhookResponse WebhookSender::send(const WebhookRequest& request) {
  net::HttpRequest http;
  http.method = request.method;
  http.timeout = timeout_;
  http.headers.emplace_back("I-Twilio-Idempotency-Token", sids_.hex32());
  http.headers.emplace_back("User-Agent", "TwilioProxy/1.1");
  http.headers.emplace_back("Accept", "*/*");
  if (request.method == "GET") {
    http.url = request.url;
    if (!request.params.empty()) {
      http.url += request.url.find('?') == std::string::npos ? '?' : '&';
      http.url += encode_form(request.params);
    }
    http.headers.emplace_back("X-Twilio-Signature",
                              twilio::compute_signature(auth_token_, http.url, {}));
  } else {
    http.url = request.url;
    http.body = encode_form(request.params);
    http.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
    http.headers.emplace_back("X-Twilio-Signature",
                              twilio::compute_signature(auth_token_, request.url, request.params));
  }
  WebhookResponse response;
  auto result = http_.send(http);
  if (!result) {
    response.error = result.status().message();
    return response;
  }
  response.status = result->status;
  response.body = std::move(result->body);
  if (const std::string* type = result->header("content-type")) response.content_type = *type;
  return response;
}

}  // namespace mc::sandbox
