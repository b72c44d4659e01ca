// Hooks: how modules react to each other's events without including each other. Each hook
// point declares its semantics once, here, like Apache's run-all / run-first hooks:
//   RunAllHook    every registered function runs, in registration (= module list) order.
//   FirstWinsHook functions run in order until one returns a value; later ones never run.
// Functions are registered at start-up (Module::hooks) and called from request threads, so
// they must be thread-safe and must not throw.
#pragma once

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "core/events.h"
#include "core/request.h"
#include "core/response.h"

namespace mc {

template <typename... Args>
class RunAllHook {
 public:
  using Function = std::function<void(Args...)>;
  void add(Function function) { functions_.push_back(std::move(function)); }
  void run(Args... args) const {
    for (const Function& function : functions_) function(args...);
  }
  size_t size() const { return functions_.size(); }

 private:
  std::vector<Function> functions_;
};

template <typename R, typename... Args>
class FirstWinsHook {
 public:
  // Returns std::nullopt to decline.
  using Function = std::function<std::optional<R>(Args...)>;
  void add(Function function) { functions_.push_back(std::move(function)); }
  // The first answer, or std::nullopt when every function declined.
  std::optional<R> run(Args... args) const {
    for (const Function& function : functions_) {
      if (std::optional<R> answer = function(args...)) return answer;
    }
    return std::nullopt;
  }
  size_t size() const { return functions_.size(); }

 private:
  std::vector<Function> functions_;
};

// The hook points of masked-comms.
struct Hooks {
  // Run-all, after a session was closed (by the API, a webhook, its TTL or expiry) and its
  // numbers released.
  RunAllHook<const SessionClosedEvent&> session_closed;
  // First-wins, for a call to a pool number no session holds for the caller (the voice
  // module's /inbound-call): a module that owns the dialled number (the hotline) answers it
  // with TwiML; declined, the caller hears the out-of-session message.
  FirstWinsHook<Response, const Request&> unmatched_call;
  // First-wins, for a text to a pool number outside any conversation (/inbound-sms): a
  // module that owns the number answers it; declined, the auto-reply is sent.
  FirstWinsHook<Response, const Request&> unmatched_text;
  // Run-all, for every call status reported at /call-status, before it is logged.
  RunAllHook<const CallStatusEvent&> call_status;
  // First-wins, before a text (Conversations' pre-event webhook) or a call (/inbound-call)
  // of a session is delivered: a module that answers with a reason blocks it (the Proxy
  // API's intercept callback). Runs on the request thread, so it must answer well inside
  // Twilio's webhook timeout. Callers skip it when nothing is registered.
  FirstWinsHook<std::string, const InteractionEvent&> intercept;
  // Run-all, after a session's message was logged or a recipient's delivery recorded.
  RunAllHook<const MessageStatusEvent&> message_status;
};

}  // namespace mc
