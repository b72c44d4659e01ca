#include "core/response.h"
#include "rest_api.h"

namespace mc::sandbox {

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
  route(
      "POST", account + "/Messages.json", "messages.create", [this, wrong_account](RestCall& call) {
        if (wrong_account(call)) return not_found(call.http.path);
        const std::string from(param_or(call.params, "From"));
        const std::string to(param_or(call.params, "To"));
        const std::string body(param_or(call.params, "Body"));
        auto sid = sandbox_.send_message(from, to, body,
                                         std::string(param_or(call.params, "StatusCallback")));
        if (!sid) return from_status(sid.status());
        std::lock_guard lock(sandbox_.mutex());
        Json::Value out(Json::objectValue);
        out["sid"] = *sid;
        out["account_sid"] = state().account_sid;
        out["from"] = from;
        out["to"] = to;
        out["body"] = body;
        out["status"] = "queued";
        out["direction"] = "outbound-api";
        out["num_segments"] = "1";
        out["num_media"] = "0";
        out["date_created"] = format_rfc2822(sandbox_.clock().now());
        out["uri"] = "/2010-04-01/Accounts/" + state().account_sid + "/Messages/" + *sid + ".json";
        return RestReply{201, out};
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

}  // namespace mc::sandbox
