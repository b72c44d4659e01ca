#include "modules/conversations/conversations_module.h"

#include "core/log.h"
#include "core/time_format.h"
#include "messages/messages_config.h"
#include "modules/conversations/message_webhooks.h"
#include "sessions/session_service.h"

namespace mc::modules {
namespace {

class ConversationsModule final : public Module {
 public:
  std::string_view name() const override { return "conversations"; }

  Status check(const Context& context) override {
    if (!context.twilio) return needs_twilio();
    auto config = messages::load_messages_config(context.env);
    if (!config) return config.status();
    return messages::MessageRules::compile(*config).status();
  }

  Status init(Context& context) override {
    if (!context.sessions || !context.messages) return needs_twilio();
    sessions_ = context.sessions;
    clock_ = &context.clock;
    auto config = messages::load_messages_config(context.env);
    if (!config) return config.status();
    auto rules = messages::MessageRules::compile(*config);
    if (!rules) return rules.status();
    webhooks_ = std::make_unique<conversations::MessageWebhooks>(
        *context.store, *context.sessions, *context.messages, std::move(rules).value(), *config,
        *context.outbox, *context.twilio, context.clock, context.hooks);
    webhooks_->register_outbox_handlers();
    return Status::ok();
  }

  void routes(Router& router) override {
    router.add("POST", "/conversations-post-event", Access::kWebhook,
               [this](Request& request) { return post_event(request); });
    router.add("POST", "/conversations-pre-event", Access::kWebhook,
               [this](Request& request) { return webhooks_->pre_event(request); });
    router.add("POST", "/inbound-sms", Access::kWebhook,
               [this](Request& request) { return webhooks_->inbound_sms(request); });
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
    if (event == "onDeliveryUpdated") return webhooks_->delivery(request);
    if (event == "onMessageAdded" && !conversation.empty()) return webhooks_->added(request);
    return Response::text(200, "not processed");
  }

  sessions::SessionService* sessions_ = nullptr;
  Clock* clock_ = nullptr;
  std::unique_ptr<conversations::MessageWebhooks> webhooks_;
};

}  // namespace

std::unique_ptr<Module> make_conversations_module() {
  return std::make_unique<ConversationsModule>();
}

}  // namespace mc::modules
