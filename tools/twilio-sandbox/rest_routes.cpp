#include <openssl/evp.h>

#include <thread>

#include "core/response.h"
#include "routes.h"

namespace mc::sandbox {
namespace {

struct RestCall {
  const httplib::Request& http;
  Params params;
  bool webhooks_enabled;
  std::string arg(size_t index) const { return http.matches[index].str(); }
};

struct RestReply {
  int status = 200;
  Json::Value body;
};

using RestHandler = std::function<RestReply(RestCall&)>;

RestReply from_status(const Status& status) { return {status.http_status(), error_body(status)}; }

std::string decode_base64(const std::string& text) {
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return {};
  size_t length = static_cast<size_t>(n);
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --length;  // padding
  out.resize(length);
  return out;
}

bool authorized(const httplib::Request& request, const SandboxOptions& options) {
  const std::string header = request.get_header_value("Authorization");
  if (header.rfind("Basic ", 0) != 0) return false;
  const std::string credentials = decode_base64(header.substr(6));
  return credentials == options.account_sid + ":" + options.auth_token;
}

// Answers so that the client sees a broken connection: headers promise a body that never
// comes, and the connection is closed.
void drop_connection(httplib::Response& response) {
  response.set_content_provider(64, "application/json",
                                [](size_t, size_t, httplib::DataSink&) { return false; });
}

}  // namespace

class RestApi {
 public:
  RestApi(httplib::Server& server, Sandbox& sandbox) : server_(server), sandbox_(sandbox) {
    register_conversations();
    register_voice_and_numbers();
    register_messaging();
  }

  void route(const std::string& method, const std::string& pattern, const std::string& endpoint,
             RestHandler handler) {
    auto wrapped = [this, endpoint, handler](const httplib::Request& request,
                                             httplib::Response& response) {
      // As Twilio's: clients (maskctl doctor) read the clock skew from it.
      response.set_header("Date", format_http_date(sandbox_.clock().now()));
      if (!authorized(request, sandbox_.options())) {
        response.set_header("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        reply_json(response, 401, error_body(401, 20003, "Authenticate"));
        return;
      }
      FaultInjector& faults = sandbox_.faults();
      const FaultInjector::Decision decision = faults.begin(endpoint);
      struct EndGuard {
        FaultInjector& faults;
        const std::string& endpoint;
        ~EndGuard() { faults.end(endpoint); }
      } guard{faults, endpoint};
      if (decision.delay.count() > 0) std::this_thread::sleep_for(decision.delay);
      switch (decision.action) {
        case FaultInjector::Action::kTooManyRequests:
          reply_json(response, 429, error_body(429, 20429, "Too Many Requests"));
          return;
        case FaultInjector::Action::kServerError:
          reply_json(response, 503, error_body(503, 20503, "Service Unavailable"));
          return;
        case FaultInjector::Action::kDrop:
          drop_connection(response);
          return;
        case FaultInjector::Action::kProceed:
          break;
      }
      RestCall call{request, request_params(request),
                    request.get_header_value("X-Twilio-Webhook-Enabled") == "true"};
      RestReply reply = handler(call);
      if (decision.drop_after) {
        drop_connection(response);
        return;
      }
      if (reply.status == 204) {
        response.status = 204;
        return;
      }
      reply_json(response, reply.status, reply.body);
    };
    if (method == "GET") server_.Get(pattern, wrapped);
    if (method == "POST") server_.Post(pattern, wrapped);
    if (method == "DELETE") server_.Delete(pattern, wrapped);
  }

 private:
  void register_conversations();
  void register_voice_and_numbers();
  void register_messaging();

  State& state() { return sandbox_.state(); }
  const Urls& urls() const { return sandbox_.urls(); }
  RestReply not_found(const std::string& what) {
    return {404, error_body(404, 20404, "The requested resource " + what + " was not found")};
  }
  RestReply list_v1(const RestCall& call, const std::vector<Json::Value>& records,
                    const std::string& key, const std::string& url, const Params& filters,
                    size_t max_page_size) {
    auto page = read_page_request(call.params, max_page_size);
    if (!page) return from_status(page.status());
    return {200, page_v1(records, key, url, filters, *page)};
  }

  httplib::Server& server_;
  Sandbox& sandbox_;
};

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

void RestApi::register_voice_and_numbers() {
  const std::string account = R"(/api/2010-04-01/Accounts/(AC\w+))";
  VoiceEngine& voice = sandbox_.voice();
  auto wrong_account = [this](const RestCall& call) {
    return call.arg(1) != sandbox_.options().account_sid;
  };

  route("GET", account + R"(\.json)", "accounts.fetch", [this, wrong_account](RestCall& call) {
    if (wrong_account(call)) return not_found(call.http.path);
    std::lock_guard lock(sandbox_.mutex());
    Json::Value body(Json::objectValue);
    body["sid"] = state().account_sid;
    body["friendly_name"] = "twilio-sandbox";
    body["status"] = "active";
    body["type"] = "Full";
    body["uri"] = "/2010-04-01/Accounts/" + state().account_sid + ".json";
    return RestReply{200, body};
  });
  route("POST", account + "/Calls.json", "calls.create",
        [this, &voice, wrong_account](RestCall& call) {
          if (wrong_account(call)) return not_found(call.http.path);
          auto sid = voice.create_call(call.params);
          if (!sid) return from_status(sid.status());
          std::lock_guard lock(sandbox_.mutex());
          return RestReply{201, call_json(state(), *state().find_call(*sid))};
        });
  route("GET", account + "/Calls.json", "calls.list", [this, wrong_account](RestCall& call) {
    if (wrong_account(call)) return not_found(call.http.path);
    auto page = read_page_request(call.params, 1000);
    if (!page) return from_status(page.status());
    std::lock_guard lock(sandbox_.mutex());
    const std::string status(param_or(call.params, "Status"));
    std::vector<Json::Value> records;
    for (auto it = state().call_order.rbegin(); it != state().call_order.rend(); ++it) {
      const Call* c = state().find_call(*it);
      if (!c || (!status.empty() && call_status_name(c->status) != status)) continue;
      records.push_back(call_json(state(), *c));
    }
    Params filters;
    if (!status.empty()) filters.emplace_back("Status", status);
    return RestReply{200, page_2010(records, "calls",
                                    "/2010-04-01/Accounts/" + state().account_sid + "/Calls.json",
                                    filters, *page)};
  });
  const std::string call_path = account + R"(/Calls/(CA\w+)\.json)";
  route("GET", call_path, "calls.fetch", [this, wrong_account](RestCall& call) {
    if (wrong_account(call)) return not_found(call.http.path);
    std::lock_guard lock(sandbox_.mutex());
    const Call* c = state().find_call(call.arg(2));
    if (!c) return not_found(call.http.path);
    return RestReply{200, call_json(state(), *c)};
  });
  route("POST", call_path, "calls.update", [this, &voice, wrong_account](RestCall& call) {
    if (wrong_account(call)) return not_found(call.http.path);
    if (Status s = voice.update_call(call.arg(2), call.params); !s) return from_status(s);
    std::lock_guard lock(sandbox_.mutex());
    return RestReply{200, call_json(state(), *state().find_call(call.arg(2)))};
  });

  route("GET", account + "/IncomingPhoneNumbers.json", "incoming_phone_numbers.list",
        [this, wrong_account](RestCall& call) {
          if (wrong_account(call)) return not_found(call.http.path);
          auto page = read_page_request(call.params, 1000);
          if (!page) return from_status(page.status());
          std::lock_guard lock(sandbox_.mutex());
          const std::string filter(param_or(call.params, "PhoneNumber"));
          std::vector<Json::Value> records;
          for (const PhoneNumber& n : state().numbers) {
            if (!filter.empty() && n.phone_number.find(filter) == std::string::npos) continue;
            records.push_back(incoming_number_json(state(), n));
          }
          Params filters;
          if (!filter.empty()) filters.emplace_back("PhoneNumber", filter);
          return RestReply{200, page_2010(records, "incoming_phone_numbers",
                                          "/2010-04-01/Accounts/" + state().account_sid +
                                              "/IncomingPhoneNumbers.json",
                                          filters, *page)};
        });
  const std::string number_path = account + R"(/IncomingPhoneNumbers/(PN\w+)\.json)";
  route("GET", number_path, "incoming_phone_numbers.fetch", [this, wrong_account](RestCall& call) {
    if (wrong_account(call)) return not_found(call.http.path);
    std::lock_guard lock(sandbox_.mutex());
    const PhoneNumber* n = state().find_number(call.arg(2));
    if (!n) return not_found(call.http.path);
    return RestReply{200, incoming_number_json(state(), *n)};
  });
  route("POST", number_path, "incoming_phone_numbers.update",
        [this, wrong_account](RestCall& call) {
          if (wrong_account(call)) return not_found(call.http.path);
          std::lock_guard lock(sandbox_.mutex());
          PhoneNumber* n = state().find_number(call.arg(2));
          if (!n) return not_found(call.http.path);
          for (const auto& [name, field] :
               {std::pair{"VoiceUrl", &n->voice_url}, std::pair{"VoiceMethod", &n->voice_method},
                std::pair{"SmsUrl", &n->sms_url}, std::pair{"SmsMethod", &n->sms_method},
                std::pair{"StatusCallback", &n->status_callback},
                std::pair{"StatusCallbackMethod", &n->status_callback_method},
                std::pair{"FriendlyName", &n->friendly_name}}) {
            if (const std::string* value = find_param(call.params, name)) *field = *value;
          }
          n->date_updated = sandbox_.clock().now();
          return RestReply{200, incoming_number_json(state(), *n)};
        });
}

void RestApi::register_messaging() {
  const std::string v1 = "/messaging/v1";
  route("GET", v1 + "/Services", "messaging_services.list", [this](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    return list_v1(call, {messaging_service_json(state(), urls())}, "services",
                   urls().messaging() + "/Services", {}, 1000);
  });
  route("GET", v1 + R"(/Services/(MG\w+))", "messaging_services.fetch", [this](RestCall& call) {
    std::lock_guard lock(sandbox_.mutex());
    if (call.arg(1) != state().messaging_service_sid) return not_found(call.http.path);
    return RestReply{200, messaging_service_json(state(), urls())};
  });
  route("GET", v1 + R"(/Services/(MG\w+)/PhoneNumbers)", "messaging_phone_numbers.list",
        [this](RestCall& call) {
          std::lock_guard lock(sandbox_.mutex());
          if (call.arg(1) != state().messaging_service_sid) return not_found(call.http.path);
          std::vector<Json::Value> records;
          for (const PhoneNumber& n : state().numbers) {
            if (n.in_messaging_service) {
              records.push_back(messaging_phone_number_json(state(), n, urls()));
            }
          }
          return list_v1(call, records, "phone_numbers",
                         urls().messaging() + "/Services/" + call.arg(1) + "/PhoneNumbers", {},
                         1000);
        });
  route("GET", v1 + R"(/Services/(MG\w+)/PhoneNumbers/(PN\w+))", "messaging_phone_numbers.fetch",
        [this](RestCall& call) {
          std::lock_guard lock(sandbox_.mutex());
          const PhoneNumber* n = state().find_number(call.arg(2));
          if (call.arg(1) != state().messaging_service_sid || !n || !n->in_messaging_service) {
            return not_found(call.http.path);
          }
          return RestReply{200, messaging_phone_number_json(state(), *n, urls())};
        });
  route("POST", v1 + R"(/Services/(MG\w+)/PhoneNumbers)", "messaging_phone_numbers.create",
        [this](RestCall& call) {
          std::lock_guard lock(sandbox_.mutex());
          if (call.arg(1) != state().messaging_service_sid) return not_found(call.http.path);
          const std::string sid(param_or(call.params, "PhoneNumberSid"));
          if (sid.empty()) {
            return from_status(
                Status::invalid_argument("Missing required parameter PhoneNumberSid", 21200));
          }
          PhoneNumber* n = state().find_number(sid);
          if (!n) return not_found("/IncomingPhoneNumbers/" + sid);
          if (n->in_messaging_service) {
            // The sandbox's answer to a second add (Twilio's code for it).
            return RestReply{
                409, error_body(409, 21710, "Phone Number is already in the Messaging Service")};
          }
          n->in_messaging_service = true;
          return RestReply{201, messaging_phone_number_json(state(), *n, urls())};
        });
  route("DELETE", v1 + R"(/Services/(MG\w+)/PhoneNumbers/(PN\w+))",
        "messaging_phone_numbers.delete", [this](RestCall& call) {
          std::lock_guard lock(sandbox_.mutex());
          PhoneNumber* n = state().find_number(call.arg(2));
          if (call.arg(1) != state().messaging_service_sid || !n || !n->in_messaging_service) {
            return not_found(call.http.path);
          }
          n->in_messaging_service = false;
          return RestReply{204, Json::Value()};
        });
}

void reply_json(httplib::Response& response, int status, const Json::Value& body) {
  response.status = status;
  response.set_content(to_json_text(body), "application/json");
}

Params request_params(const httplib::Request& request) {
  Params params;
  params.reserve(request.params.size());
  for (const auto& [name, value] : request.params) params.emplace_back(name, value);
  return params;
}

std::unique_ptr<RestApi, RestApiDeleter> make_rest_api(httplib::Server& server, Sandbox& sandbox) {
  return std::unique_ptr<RestApi, RestApiDeleter>(new RestApi(server, sandbox));
}

void RestApiDeleter::operator()(RestApi* api) const { delete api; }

}  // namespace mc::sandbox
