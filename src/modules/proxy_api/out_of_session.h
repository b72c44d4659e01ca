// Internal to the proxy_api module: a text or call to a service's number from someone with
// no open session on it (the unmatched_text and unmatched_call hooks), when the service has
// an OutOfSessionCallbackUrl. The inbound webhook's parameters are posted there as Twilio
// forwards them (signed, waiting at most MC_PROXY_OUT_OF_SESSION_TIMEOUT_MS); the answer:
//   XML (application/xml, text/xml)  TwiML, answered to Twilio as it is;
//   JSON                             auto-create: a session of the service with the sender,
//                                    who keeps the number they texted or called as their
//                                    proxy number, and `participantIdentifier` (optionally
//                                    `participantProxyIdentifier`, `participantFriendlyName`,
//                                    `uniqueName`, `ttl`, `dateExpiry`, `mode`; the mode is
//                                    voice-and-message when absent). Then the text goes on
//                                    into the new conversation as the sender's message, and
//                                    the call is redirected to /inbound-call, which connects
//                                    it as any call of an open session.
// Anything else (no URL, a non-2xx answer, a timeout, an unusable JSON answer) declines,
// and the caller or texter gets the ordinary out-of-session answer.
//
// The auto-create waits on Twilio (the conversation and its participants) on the request
// thread: the text or call is carried on only once the session exists.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/request.h"
#include "core/response.h"
#include "modules/proxy_api/service_resources.h"
#include "proxy/callback_poster.h"

namespace mc::modules::proxy_api {

class OutOfSession {
 public:
  OutOfSession(ApiScope& scope, const proxy::CallbackPoster& poster,
               std::chrono::milliseconds timeout)
      : scope_(scope), poster_(poster), timeout_(timeout) {}

  std::optional<Response> text(const Request& request);
  std::optional<Response> call(const Request& request);

 private:
  enum class Channel { kText, kCall };
  std::optional<Response> answer(const Request& request, Channel channel);

  ApiScope& scope_;
  const proxy::CallbackPoster& poster_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace mc::modules::proxy_api
