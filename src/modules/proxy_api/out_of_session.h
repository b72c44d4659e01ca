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
//                                    voice-and-message when absent). A text: Twilio is
//                                    answered at once, and the outbox (kind
//                                    proxy-auto-created-text) makes the session and carries
//                                    the text on into its conversation as the sender's
//                                    message. A call waits for its session on the request
//                                    thread (it cannot be connected before), then is
//                                    redirected to /inbound-call, which connects it as any
//                                    call of an open session.
// Anything else (no URL, a non-2xx answer, a timeout, an unusable JSON answer) declines,
// and the caller or texter gets the ordinary out-of-session answer.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/request.h"
#include "core/response.h"
#include "modules/proxy_api/service_resources.h"
#include "proxy/callback_poster.h"
#include "sessions/outbox.h"
#include "store/live_session_index.h"

namespace mc::modules::proxy_api {

inline constexpr const char* kAutoCreatedText = "proxy-auto-created-text";

class OutOfSession {
 public:
  OutOfSession(ApiScope& scope, const proxy::CallbackPoster& poster, sessions::Outbox& outbox,
               store::LiveSessionIndex& live_sessions, std::chrono::milliseconds timeout)
      : scope_(scope),
        poster_(poster),
        outbox_(outbox),
        live_sessions_(live_sessions),
        timeout_(timeout) {}

  // Registers kAutoCreatedText; start-up only.
  void register_outbox();
  std::optional<Response> text(const Request& request);
  std::optional<Response> call(const Request& request);

 private:
  enum class Channel { kText, kCall };
  std::optional<Response> answer(const Request& request, Channel channel);
  // The outbox item: {"service", "from", "to", "body", "answer": the callback's JSON}.
  Status carry_text_on(const Json::Value& payload);

  ApiScope& scope_;
  const proxy::CallbackPoster& poster_;
  sessions::Outbox& outbox_;
  store::LiveSessionIndex& live_sessions_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace mc::modules::proxy_api
