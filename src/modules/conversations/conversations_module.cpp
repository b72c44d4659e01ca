#include "modules/conversations/conversations_module.h"

#include "core/log.h"
#include "core/time_format.h"
#include "sessions/session_service.h"

namespace mc::modules {
namespace {

class ConversationsModule final : public Module {
 public:
  std::string_view name() const override { return "conversations"; }

  Status check(const Context& context) override {
    return context.twilio ? Status::ok() : needs_twilio();
  }

  Status init(Context& context) override {
    if (!context.sessions) return needs_twilio();
    sessions_ = context.sessions;
    clock_ = &context.clock;
    return Status::ok();
  }

  void routes(Router& router) override {
    router.add("POST", "/conversations-post-event", Access::kWebhook,
               [this](Request& request) { return post_event(request); });
  }

 private:
  Response post_event(const Request& request) {
    const std::string event(request.param("EventType"));
    const std::string conversation(request.param("ConversationSid"));
    const bool closed =
        (event == "onConversationStateUpdated" && request.param("StateTo") == "closed") ||
        (event == "onConversationUpdated" && request.param("State") == "closed");
    const bool removed = event == "onConversationRemoved";
    if ((closed || removed) && !conversation.empty()) {
      auto session = sessions_->close_for_conversation(
          conversation, removed ? "conversation-removed" : "conversation-closed");
      if (!session)
        return Response::text(503,
                              conversation + " failed to close: " + session.status().message());
      if (!*session) return Response::text(200, "not processed");
      return Response::text(
          200, conversation + (sessions_->deletes_closed_conversations() ? " deleted" : " closed"));
    }
    if (event == "onMessageAdded" && !conversation.empty()) {
      const TimePoint at = parse_iso8601(request.param("DateCreated")).value_or(clock_->now());
      Status status = sessions_->record_conversation_interaction(conversation, at);
      if (status.code() == StatusCode::kNotFound) return Response::text(200, "not processed");
      if (!status) return Response::text(503, "failed to record: " + status.message());
      return Response::text(200, "processed");
    }
    return Response::text(200, "not processed");
  }

  sessions::SessionService* sessions_ = nullptr;
  Clock* clock_ = nullptr;
};

}  // namespace

std::unique_ptr<Module> make_conversations_module() {
  return std::make_unique<ConversationsModule>();
}

}  // namespace mc::modules
