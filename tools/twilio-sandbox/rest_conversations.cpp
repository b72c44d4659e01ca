#include <algorithm>

#include "core/response.h"
#include "rest_api.h"

namespace mc::sandbox {

void RestApi::register_conversations() {
  const std::string v1 = "/conversations/v1";
  ConversationsEngine& engine = sandbox_.conversations();

  route("GET", v1 + "/Configuration", "configuration.fetch", [this](RestCall&) {
    std::lock_guard lock(sandbox_.mutex());
    Json::Value body(Json::objectValue);
    body["account_sid"] = state().account_sid;
    body["default_chat_service_sid"] = state().chat_service_sid;
    body["default_messaging_service_sid"] = state().messaging_service_sid;
    body["default_inactive_timer"] = Json::Value(Json::nullValue);
    body["default_closed_timer"] = Json::Value(Json::nullValue);
    body["url"] = urls().conversations() + "/Configuration";
    return RestReply{200, body};
  });

  auto webhook_routes = [this](const std::string& path, const std::string& endpoint, bool service) {
    route("GET", path, endpoint + ".fetch", [this, service](RestCall& call) {
      std::lock_guard lock(sandbox_.mutex());
      if (service && call.arg(1) != state().chat_service_sid) return not_found(call.http.path);
      return RestReply{
          200, webhook_config_json(state(),
                                   service ? state().service_webhooks : state().account_webhooks,
                                   urls(), service)};
    });
    route("POST", path, endpoint + ".update", [this, service](RestCall& call) {
      std::lock_guard lock(sandbox_.mutex());
      if (service && call.arg(1) != state().chat_service_sid) return not_found(call.http.path);
      WebhookConfig& config = service ? state().service_webhooks : state().account_webhooks;
      WebhookConfig updated = config;
      if (const std::string* method = find_param(call.params, "Method")) {
        if (*method != "GET" && *method != "POST") {
          return from_status(Status::invalid_argument("Method must be GET or POST", 20001));
        }
        updated.method = *method;
      }
      if (const std::string* url = find_param(call.params, "PreWebhookUrl"))
        updated.pre_webhook_url = *url;
      if (const std::string* url = find_param(call.params, "PostWebhookUrl"))
        updated.post_webhook_url = *url;
      if (const std::string* target = find_param(call.params, "Target")) updated.target = *target;
      const std::vector<std::string> filters = all_params(call.params, "Filters");
      if (!filters.empty()) updated.filters = filters;
      config = updated;
      return RestReply{200, webhook_config_json(state(), config, urls(), service)};
    });
  };
  webhook_routes(v1 + "/Configuration/Webhooks", "webhooks", false);
  webhook_routes(v1 + R"(/Services/(IS\w+)/Configuration/Webhooks)", "service_webhooks", true);

  route("POST", v1 + "/Conversations", "conversations.create", [this, &engine](RestCall& call) {
    Webhooks webhooks;
    RestReply reply;
    {
      std::lock_guard lock(sandbox_.mutex());
      auto created = engine.create(call.params, call.webhooks_enabled, webhooks);
      if (!created) return from_status(created.status());
      reply = {201, conversation_json(state(), **created, urls())};
    }
    sandbox_.deliver_later(std::move(webhooks));
    return reply;
  });

  route("POST", v1 + "/ConversationWithParticipants", "conversation_with_participants.create",
        [this, &engine](RestCall& call) {
          Webhooks webhooks;
          RestReply reply;
          {
            std::lock_guard lock(sandbox_.mutex());
            auto created =
                engine.create_with_participants(call.params, call.webhooks_enabled, webhooks);
            if (!created) return from_status(created.status());
            reply = {201, conversation_json(state(), **created, urls())};
          }
          sandbox_.deliver_later(std::move(webhooks));
          return reply;
        });

  route("GET", v1 + "/Conversations", "conversations.list", [this](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    const std::string wanted(param_or(call.params, "State"));
    std::vector<Json::Value> records;
    for (const auto& [sequence, c] : state().conversations) {
      if (!wanted.empty() && c.state != wanted) continue;
      records.push_back(conversation_json(state(), c, urls()));
    }
    Params filters;
    if (!wanted.empty()) filters.emplace_back("State", wanted);
    return list_v1(call, records, "conversations", urls().conversations() + "/Conversations",
                   filters, 100);
  });

  const std::string conversation = v1 + R"(/Conversations/([^/]+))";
  route("GET", conversation, "conversations.fetch", [this](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    Conversation* c = state().find_conversation(call.arg(1));
    if (!c) return not_found("/Conversations/" + call.arg(1));
    return RestReply{200, conversation_json(state(), *c, urls())};
  });
  route("POST", conversation, "conversations.update", [this, &engine](RestCall& call) {
    Webhooks webhooks;
    RestReply reply;
    {
      std::lock_guard lock(sandbox_.mutex());
      Conversation* c = state().find_conversation(call.arg(1));
      if (!c) return not_found("/Conversations/" + call.arg(1));
      if (Status s = engine.update(*c, call.params, call.webhooks_enabled, webhooks); !s) {
        return from_status(s);
      }
      reply = {200, conversation_json(state(), *c, urls())};
    }
    sandbox_.deliver_later(std::move(webhooks));
    return reply;
  });
  route("DELETE", conversation, "conversations.delete", [this, &engine](RestCall& call) {
    Webhooks webhooks;
    {
      std::lock_guard lock(sandbox_.mutex());
      if (Status s = engine.remove(call.arg(1), call.webhooks_enabled, webhooks); !s) {
        return from_status(s);
      }
    }
    sandbox_.deliver_later(std::move(webhooks));
    return RestReply{204, {}};
  });

  route("POST", conversation + "/Participants", "participants.create",
        [this, &engine](RestCall& call) {
          Webhooks webhooks;
          RestReply reply;
          {
            std::lock_guard lock(sandbox_.mutex());
            Conversation* c = state().find_conversation(call.arg(1));
            if (!c) return not_found("/Conversations/" + call.arg(1));
            auto spec = ConversationsEngine::participant_from_params(call.params);
            if (!spec) return from_status(spec.status());
            auto added = engine.add_participant(*c, *spec, call.webhooks_enabled, webhooks);
            if (!added) return from_status(added.status());
            reply = {201, participant_json(state(), *c, **added, urls())};
          }
          sandbox_.deliver_later(std::move(webhooks));
          return reply;
        });
  route("GET", conversation + "/Participants", "participants.list", [this](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    Conversation* c = state().find_conversation(call.arg(1));
    if (!c) return not_found("/Conversations/" + call.arg(1));
    std::vector<Json::Value> records;
    for (const Participant& p : c->participants)
      records.push_back(participant_json(state(), *c, p, urls()));
    return list_v1(call, records, "participants",
                   urls().conversations() + "/Conversations/" + c->sid + "/Participants", {}, 100);
  });
  const std::string participant = conversation + R"(/Participants/([^/]+))";
  route("GET", participant, "participants.fetch", [this, &engine](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    Conversation* c = state().find_conversation(call.arg(1));
    if (!c) return not_found("/Conversations/" + call.arg(1));
    Participant* p = engine.find_participant(*c, call.arg(2));
    if (!p) return not_found("/Participants/" + call.arg(2));
    return RestReply{200, participant_json(state(), *c, *p, urls())};
  });
  route("POST", participant, "participants.update", [this, &engine](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    Conversation* c = state().find_conversation(call.arg(1));
    if (!c) return not_found("/Conversations/" + call.arg(1));
    Participant* p = engine.find_participant(*c, call.arg(2));
    if (!p) return not_found("/Participants/" + call.arg(2));
    if (const std::string* attributes = find_param(call.params, "Attributes"))
      p->attributes = *attributes;
    if (const std::string* role = find_param(call.params, "RoleSid")) p->role_sid = *role;
    p->date_updated = sandbox_.clock().now();
    return RestReply{200, participant_json(state(), *c, *p, urls())};
  });
  route("DELETE", participant, "participants.delete", [this, &engine](RestCall& call) {
    Webhooks webhooks;
    {
      std::lock_guard lock(sandbox_.mutex());
      Conversation* c = state().find_conversation(call.arg(1));
      if (!c) return not_found("/Conversations/" + call.arg(1));
      Participant* p = engine.find_participant(*c, call.arg(2));
      if (!p) return not_found("/Participants/" + call.arg(2));
      if (Status s = engine.remove_participant(*c, p->sid, call.webhooks_enabled, webhooks); !s) {
        return from_status(s);
      }
    }
    sandbox_.deliver_later(std::move(webhooks));
    return RestReply{204, {}};
  });

  route("GET", conversation + "/Messages", "messages.list", [this](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    Conversation* c = state().find_conversation(call.arg(1));
    if (!c) return not_found("/Conversations/" + call.arg(1));
    std::vector<Json::Value> records;
    for (const Message& m : c->messages) records.push_back(message_json(state(), *c, m, urls()));
    if (param_or(call.params, "Order") == "desc") std::reverse(records.begin(), records.end());
    return list_v1(call, records, "messages",
                   urls().conversations() + "/Conversations/" + c->sid + "/Messages", {}, 100);
  });
  route("DELETE", conversation + R"(/Messages/(IM\w+))", "messages.delete", [this](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    Conversation* c = state().find_conversation(call.arg(1));
    if (!c) return not_found("/Conversations/" + call.arg(1));
    auto it = std::find_if(c->messages.begin(), c->messages.end(),
                           [&](const Message& m) { return m.sid == call.arg(2); });
    if (it == c->messages.end()) return not_found("/Messages/" + call.arg(2));
    c->messages.erase(it);
    return RestReply{204, {}};
  });
  route("POST", conversation + "/Messages", "messages.create", [this, &engine](RestCall& call) {
    Webhooks webhooks;
    RestReply reply;
    {
      std::lock_guard lock(sandbox_.mutex());
      Conversation* c = state().find_conversation(call.arg(1));
      if (!c) return not_found("/Conversations/" + call.arg(1));
      auto message = engine.add_message(*c, std::string(param_or(call.params, "Author", "system")),
                                        std::string(param_or(call.params, "Body")),
                                        std::string(param_or(call.params, "Attributes", "{}")),
                                        "API", call.webhooks_enabled, webhooks);
      if (!message) return from_status(message.status());
      reply = {201, message_json(state(), *c, **message, urls())};
    }
    sandbox_.deliver_later(std::move(webhooks));
    return reply;
  });

  route("GET", v1 + "/ParticipantConversations", "participant_conversations.list",
        [this, &engine](RestCall& call) {
          const std::string address(param_or(call.params, "Address"));
          const std::string identity(param_or(call.params, "Identity"));
          if (address.empty() == identity.empty()) {
            return from_status(
                Status::invalid_argument("Either Address or Identity must be specified", 20001));
          }
          std::lock_guard lock(sandbox_.mutex());
          std::vector<Json::Value> records;
          if (!address.empty()) {
            for (const auto& [c, p] : engine.participant_conversations(address)) {
              records.push_back(participant_conversation_json(state(), *c, *p, urls()));
            }
          } else {
            for (const auto& [sequence, c] : state().conversations) {
              for (const Participant& p : c.participants) {
                if (p.identity && *p.identity == identity) {
                  records.push_back(participant_conversation_json(state(), c, p, urls()));
                }
              }
            }
          }
          Params filters = {
              {address.empty() ? "Identity" : "Address", address.empty() ? identity : address}};
          return list_v1(call, records, "conversations",
                         urls().conversations() + "/ParticipantConversations", filters, 50);
        });
}

}  // namespace mc::sandbox
