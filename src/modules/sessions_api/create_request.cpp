#include "modules/sessions_api/create_request.h"

#include <set>

#include "core/response.h"
#include "core/time_format.h"

namespace mc::modules::sessions_api {
namespace {

Status bad(const std::string& message) {
  return Status::invalid_argument(message, sessions::api_code::kInvalidSession);
}

Status expect_string(const Json::Value& value, const std::string& field) {
  return value.isString() ? Status::ok() : bad(field + " must be a string");
}

Status add_duration(const Json::Value& value, const std::string& field, int64_t minimum_seconds,
                    const std::string& param, Params& params) {
  if (Status s = expect_string(value, field); !s) return s;
  auto duration = parse_iso8601_duration(value.asString());
  if (!duration || duration->count() < minimum_seconds) {
    return bad(field + " must be an ISO 8601 duration of at least " +
               std::to_string(minimum_seconds / 60) + " minutes, like PT" +
               std::to_string(minimum_seconds / 60) + "M");
  }
  params.emplace_back(param, value.asString());
  return Status::ok();
}

Status add_date(const Json::Value& value, const std::string& field, const std::string& param,
                Params& params) {
  if (Status s = expect_string(value, field); !s) return s;
  if (!parse_iso8601(value.asString())) return bad(field + " must be an ISO 8601 date-time");
  params.emplace_back(param, value.asString());
  return Status::ok();
}

Status add_email(const Json::Value& value, const std::string& field, const std::string& param,
                 Params& params) {
  if (Status s = expect_string(value, field); !s) return s;
  params.emplace_back(param, value.asString());
  return Status::ok();
}

}  // namespace

Result<sessions::CreateSessionRequest> parse_create_request(const Json::Value& body,
                                                            TimePoint now) {
  if (!body.isObject()) return bad("the request body must be a JSON object");
  sessions::CreateSessionRequest request;
  Params& params = request.conversation;
  if (!body.isMember("addresses")) return bad("addresses is required: an array of E.164 numbers");
  const Json::Value& addresses = body["addresses"];
  if (!addresses.isArray()) return bad("addresses must be an array of E.164 phone numbers");
  for (const Json::Value& address : addresses) {
    if (!address.isString()) return bad("addresses must contain only strings");
    request.addresses.push_back(address.asString());
  }

  for (const std::string& key : body.getMemberNames()) {
    const Json::Value& value = body[key];
    Status status;
    if (key == "addresses") {
      continue;
    } else if (key == "friendlyName") {
      status = expect_string(value, key);
      if (status && value.asString().size() > 256)
        status = bad("friendlyName is longer than 256 characters");
      if (status) params.emplace_back("FriendlyName", value.asString());
    } else if (key == "uniqueName") {
      status = expect_string(value, key);
      if (status) request.unique_name = value.asString();
    } else if (key == "attributes") {
      std::string text;
      if (value.isString()) {
        Json::Value parsed;
        std::string error;
        if (!parse_json_text(value.asString(), &parsed, &error)) {
          status = bad("attributes must be JSON text or a JSON object");
        }
        text = value.asString();
      } else if (value.isObject() || value.isArray()) {
        text = to_json_text(value);
      } else {
        status = bad("attributes must be JSON text or a JSON object");
      }
      if (status) params.emplace_back("Attributes", text);
    } else if (key == "messagingServiceSid") {
      status = expect_string(value, key);
      const std::string sid = status ? value.asString() : "";
      if (status && (sid.size() != 34 || sid.rfind("MG", 0) != 0)) {
        status = bad("messagingServiceSid must be MG followed by 32 hex digits");
      }
      if (status) params.emplace_back("MessagingServiceSid", sid);
    } else if (key == "state") {
      status = expect_string(value, key);
      if (status && value.asString() != "active" && value.asString() != "inactive") {
        status = bad("state must be active or inactive for a new session");
      }
      if (status) params.emplace_back("State", value.asString());
    } else if (key == "timers") {
      if (!value.isObject()) {
        status = bad("timers must be an object like {\"inactive\": \"PT1H\", \"closed\": \"P1D\"}");
      }
      for (const std::string& timer :
           status ? value.getMemberNames() : std::vector<std::string>{}) {
        if (timer == "inactive") {
          status = add_duration(value[timer], "timers.inactive", 60, "Timers.Inactive", params);
        } else if (timer == "closed") {
          status = add_duration(value[timer], "timers.closed", 600, "Timers.Closed", params);
        } else {
          status = bad("unknown timer '" + timer + "' (inactive, closed)");
        }
        if (!status) break;
      }
    } else if (key == "timers.inactive") {
      status = add_duration(value, key, 60, "Timers.Inactive", params);
    } else if (key == "timers.closed") {
      status = add_duration(value, key, 600, "Timers.Closed", params);
    } else if (key == "dateCreated") {
      status = add_date(value, key, "DateCreated", params);
    } else if (key == "dateUpdated") {
      status = add_date(value, key, "DateUpdated", params);
    } else if (key == "bindings") {
      const Json::Value& email = value["email"];
      if (!value.isObject() || (value.size() > 0 && !email.isObject())) {
        status =
            bad("bindings must be an object like {\"email\": {\"address\": ..., \"name\": ...}}");
      }
      if (status && email.isMember("address")) {
        status =
            add_email(email["address"], "bindings.email.address", "Bindings.Email.Address", params);
      }
      if (status && email.isMember("name")) {
        status = add_email(email["name"], "bindings.email.name", "Bindings.Email.Name", params);
      }
    } else if (key == "bindings.email.address") {
      status = add_email(value, key, "Bindings.Email.Address", params);
    } else if (key == "bindings.email.name") {
      status = add_email(value, key, "Bindings.Email.Name", params);
    } else if (key == "xTwilioWebhookEnabled") {
      if (value.isBool()) {
        request.webhooks_enabled = value.asBool();
      } else if (value.isString() && (value.asString() == "true" || value.asString() == "false")) {
        request.webhooks_enabled = value.asString() == "true";
      } else {
        status = bad("xTwilioWebhookEnabled must be true or false");
      }
    } else if (key == "mode") {
      status = expect_string(value, key);
      static const std::set<std::string> kModes = {"message-only", "voice-only",
                                                   "voice-and-message"};
      if (status && !kModes.count(value.asString())) {
        status = bad("mode must be message-only, voice-only or voice-and-message");
      }
      if (status) request.mode = value.asString();
    } else if (key == "ttl") {
      if (!value.isIntegral() || value.asInt64() < 0 || value.asInt64() > 365LL * 86400 * 10) {
        status = bad("ttl must be a whole number of seconds (0 for none)");
      } else if (value.asInt64() > 0) {
        request.ttl_seconds = value.asInt64();
      }
    } else if (key == "dateExpiry") {
      status = expect_string(value, key);
      auto expiry = status ? parse_iso8601(value.asString()) : std::nullopt;
      if (status && !expiry) status = bad("dateExpiry must be an ISO 8601 date-time");
      if (status && *expiry <= now) status = bad("dateExpiry must be in the future");
      if (status) request.date_expiry = *expiry;
    } else if (key == "voice") {
      // {"record": bool, "timeLimit": seconds, "ringTimeout": seconds}, read by the voice module.
      if (!value.isObject())
        status = bad("voice must be an object like {\"record\": true, \"timeLimit\": 600}");
      for (const std::string& option :
           status ? value.getMemberNames() : std::vector<std::string>{}) {
        const Json::Value& v = value[option];
        if (option == "record") {
          if (!v.isBool()) status = bad("voice.record must be true or false");
        } else if (option == "timeLimit") {
          if (!v.isIntegral() || v.asInt64() < 1 || v.asInt64() > 14400) {
            status = bad("voice.timeLimit must be 1 to 14400 seconds");
          }
        } else if (option == "ringTimeout") {
          if (!v.isIntegral() || v.asInt64() < 5 || v.asInt64() > 600) {
            status = bad("voice.ringTimeout must be 5 to 600 seconds");
          }
        } else {
          status = bad("unknown voice option '" + option + "' (record, timeLimit, ringTimeout)");
        }
        if (!status) break;
      }
      if (status) request.voice_options = to_json_text(value);
    } else if (key == "proxyAddresses") {
      if (!value.isObject()) status = bad("proxyAddresses must map addresses to pool numbers");
      for (const std::string& address :
           status ? value.getMemberNames() : std::vector<std::string>{}) {
        if (!value[address].isString()) {
          status = bad("proxyAddresses must map addresses to pool numbers");
          break;
        }
        request.proxy_addresses[address] = value[address].asString();
      }
    } else {
      status = bad("unknown field '" + key +
                   "'; accepted: addresses, friendlyName, uniqueName, attributes, "
                   "messagingServiceSid, state, timers, dateCreated, dateUpdated, bindings, "
                   "xTwilioWebhookEnabled, mode, ttl, dateExpiry, proxyAddresses, voice");
    }
    if (!status) return status;
  }
  return request;
}

}  // namespace mc::modules::sessions_api
