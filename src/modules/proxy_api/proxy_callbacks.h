// Internal to the proxy_api module: Proxy's callbacks to the customer's server about its
// sessions' interactions (TWILIO.md 7.8), camelCase form posts signed with
// X-Twilio-Signature (proxy::CallbackPoster).
//
//   intercept  InterceptCallbackUrl, before a text or a call of a Proxy session is
//              delivered. The request thread waits for the answer at most
//              MC_PROXY_INTERCEPT_TIMEOUT_MS (well inside the 5 s Conversations gives a
//              pre-event webhook and the 15 s of a voice webhook): 403 blocks the text (it
//              is logged as blocked) or rejects the call; any other answer, an error or a
//              timeout lets it through. A text's interactionSid there is provisional: the
//              message does not exist yet.
//   status     CallbackUrl, on every status change of an interaction: a text delivered to
//              the conversation ("sent"), each delivery receipt, each status of a call and
//              of the leg rung for it. Queued in the outbox (kind proxy-callback) and posted
//              in the background; any HTTP answer ends it, a server that cannot be reached
//              is tried again for an hour.
//
// Which services have callback URLs is read at most once a second, so a change to a
// service's URLs takes effect within a second, and texts and calls of deployments without
// any pay one atomic read.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/events.h"
#include "core/hooks.h"
#include "modules/proxy_api/service_resources.h"
#include "proxy/callback_poster.h"
#include "sessions/outbox.h"
#include "store/live_session_index.h"

namespace mc::modules::proxy_api {

inline constexpr const char* kProxyCallback = "proxy-callback";

class ProxyCallbacks {
 public:
  ProxyCallbacks(ApiScope& scope, const proxy::CallbackPoster& poster, sessions::Outbox& outbox,
                 store::LiveSessionIndex& live_sessions,
                 std::chrono::milliseconds intercept_timeout,
                 std::chrono::milliseconds callback_timeout);

  // Registers kProxyCallback; start-up only.
  void register_outbox();
  // Registers intercept, message_status and call_status.
  void add_hooks(Hooks& hooks);

  // The reason when the session's intercept callback answered 403.
  std::optional<std::string> intercept(const InteractionEvent& event);
  void message_status(const MessageStatusEvent& event);
  void call_status(const CallStatusEvent& event);

 private:
  // A Proxy session with its service and participants.
  struct Target {
    proxy::ProxySession row;
    proxy::ServiceRecord service;
    std::vector<proxy::ProxyParticipant> participants;
  };
  std::optional<Target> target_of(const std::string& session_id);
  // Whether any service has an intercept (or status) callback URL, as of the last second.
  bool any_url(bool intercept);
  void queue(const std::string& url, const Params& params);

  ApiScope& scope_;
  const proxy::CallbackPoster& poster_;
  sessions::Outbox& outbox_;
  store::LiveSessionIndex& live_sessions_;
  const std::chrono::milliseconds intercept_timeout_;
  const std::chrono::milliseconds callback_timeout_;

  std::mutex refresh_mutex_;  // one refresh of the flags below at a time
  std::atomic<int64_t> checked_at_ms_{-1};
  std::atomic<bool> any_intercept_{false};
  std::atomic<bool> any_callback_{false};
};

}  // namespace mc::modules::proxy_api
