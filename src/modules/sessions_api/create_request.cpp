#include "modules/sessions_api/create_request.h"

#include <map>
#include <set>

#include "core/json_values.h"
#include "core/response.h"
#include "core/time_format.h"

namespace mc::modules::sessions_api {
namespace {

using sessions::CreateSessionRequest;

Status bad(const std::string& message) {
  return Status::invalid_argument(message, sessions::api_code::kInvalidSession);
}

Status expect_string(const Json::Value& value, const std::string& field) {
  return value.isString() ? Status::ok() : bad(field + " must be a string");
}

// Each body field has one reader: it checks `value` (found under `field`; `now` is the time
// of the request) and writes it into the request, or returns the 400 that names what is wrong.
using FieldReader = Status (*)(const Json::Value& value, const std::string& field, TimePoint now,
                               CreateSessionRequest& request);

Status add_string(const Json::Value& value, const std::string& field, const std::string& param,
                  CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  request.conversation.emplace_back(param, value.asString());
  return Status::ok();
}

Status add_duration(const Json::Value& value, const std::string& field, int64_t minimum_minutes,
                    const std::string& param, CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  auto duration = parse_iso8601_duration(value.asString());
  if (!duration || *duration < std::chrono::minutes(minimum_minutes)) {
    return bad(field + " must be an ISO 8601 duration of at least " +
               std::to_string(minimum_minutes) + " minutes, like PT" +
               std::to_string(minimum_minutes) + "M");
  }
  request.conversation.emplace_back(param, value.asString());
  return Status::ok();
}

Status add_date(const Json::Value& value, const std::string& field, const std::string& param,
                CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  if (!parse_iso8601(value.asString())) {
    return bad(field + " must be an ISO 8601 date-time before " + std::to_string(kMaxYear + 1));
  }
  request.conversation.emplace_back(param, value.asString());
  return Status::ok();
}

Status read_friendly_name(const Json::Value& value, const std::string& field, TimePoint,
                          CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  if (value.asString().size() > 256) return bad("friendlyName is longer than 256 characters");
  return add_string(value, field, "FriendlyName", request);
}

Status read_unique_name(const Json::Value& value, const std::string& field, TimePoint,
                        CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  request.unique_name = value.asString();
  return Status::ok();
}

// JSON text, or a JSON object or array that is sent to Twilio as text.
Status read_attributes(const Json::Value& value, const std::string&, TimePoint,
                       CreateSessionRequest& request) {
  std::string text;
  if (value.isString()) {
    Json::Value parsed;
    std::string error;
    if (!parse_json_text(value.asString(), &parsed, &error)) {
      return bad("attributes must be JSON text or a JSON object");
    }
    text = value.asString();
  } else if (value.isObject() || value.isArray()) {
    text = to_json_text(value);
  } else {
    return bad("attributes must be JSON text or a JSON object");
  }
  request.conversation.emplace_back("Attributes", text);
  return Status::ok();
}

Status read_messaging_service_sid(const Json::Value& value, const std::string& field, TimePoint,
                                  CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  const std::string sid = value.asString();
  if (sid.size() != 34 || sid.rfind("MG", 0) != 0 ||
      sid.find_first_not_of("0123456789abcdefABCDEF", 2) != std::string::npos) {
    return bad("messagingServiceSid must be MG followed by 32 hex digits");
  }
  return add_string(value, field, "MessagingServiceSid", request);
}

Status read_state(const Json::Value& value, const std::string& field, TimePoint,
                  CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  if (value.asString() != "active" && value.asString() != "inactive") {
    return bad("state must be active or inactive for a new session");
  }
  return add_string(value, field, "State", request);
}

// Twilio's minimums: one minute before inactive, ten before closed.
Status read_inactive_timer(const Json::Value& value, const std::string& field, TimePoint,
                           CreateSessionRequest& request) {
  return add_duration(value, field, 1, "Timers.Inactive", request);
}

Status read_closed_timer(const Json::Value& value, const std::string& field, TimePoint,
                         CreateSessionRequest& request) {
  return add_duration(value, field, 10, "Timers.Closed", request);
}

// {"inactive": "PT1H", "closed": "P1D"}
Status read_timers(const Json::Value& value, const std::string&, TimePoint now,
                   CreateSessionRequest& request) {
  if (!value.isObject()) {
    return bad("timers must be an object like {\"inactive\": \"PT1H\", \"closed\": \"P1D\"}");
  }
  for (const std::string& timer : value.getMemberNames()) {
    Status status;
    if (timer == "inactive") {
      status = read_inactive_timer(value[timer], "timers.inactive", now, request);
    } else if (timer == "closed") {
      status = read_closed_timer(value[timer], "timers.closed", now, request);
    } else {
      status = bad("unknown timer '" + timer + "' (inactive, closed)");
    }
    if (!status) return status;
  }
  return Status::ok();
}

Status read_date_created(const Json::Value& value, const std::string& field, TimePoint,
                         CreateSessionRequest& request) {
  return add_date(value, field, "DateCreated", request);
}

Status read_date_updated(const Json::Value& value, const std::string& field, TimePoint,
                         CreateSessionRequest& request) {
  return add_date(value, field, "DateUpdated", request);
}

Status read_email_address(const Json::Value& value, const std::string& field, TimePoint,
                          CreateSessionRequest& request) {
  return add_string(value, field, "Bindings.Email.Address", request);
}

Status read_email_name(const Json::Value& value, const std::string& field, TimePoint,
                       CreateSessionRequest& request) {
  return add_string(value, field, "Bindings.Email.Name", request);
}

// {"email": {"address": ..., "name": ...}}
Status read_bindings(const Json::Value& value, const std::string&, TimePoint now,
                     CreateSessionRequest& request) {
  const Json::Value& email = value.isObject() ? value["email"] : Json::Value::nullSingleton();
  if (!value.isObject() || (value.size() > 0 && !email.isObject())) {
    return bad("bindings must be an object like {\"email\": {\"address\": ..., \"name\": ...}}");
  }
  if (email.isMember("address")) {
    if (Status s = read_email_address(email["address"], "bindings.email.address", now, request);
        !s) {
      return s;
    }
  }
  if (email.isMember("name"))
    return read_email_name(email["name"], "bindings.email.name", now, request);
  return Status::ok();
}

// A JSON boolean, or "true"/"false" as twilio-node sends it.
Status read_webhook_enabled(const Json::Value& value, const std::string&, TimePoint,
                            CreateSessionRequest& request) {
  if (value.isBool()) {
    request.webhooks_enabled = value.asBool();
  } else if (value.isString() && (value.asString() == "true" || value.asString() == "false")) {
    request.webhooks_enabled = value.asString() == "true";
  } else {
    return bad("xTwilioWebhookEnabled must be true or false");
  }
  return Status::ok();
}

Status read_mode(const Json::Value& value, const std::string& field, TimePoint,
                 CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  static const std::set<std::string> kModes = {"message-only", "voice-only", "voice-and-message"};
  if (!kModes.count(value.asString())) {
    return bad("mode must be message-only, voice-only or voice-and-message");
  }
  request.mode = value.asString();
  return Status::ok();
}

// Whole seconds after the last interaction; 0 means none. At most ten years.
Status read_ttl(const Json::Value& value, const std::string&, TimePoint,
                CreateSessionRequest& request) {
  if (!is_integer_in(value, 0, 365LL * 86400 * 10)) {
    return bad("ttl must be a whole number of seconds (0 for none)");
  }
  if (value.asInt64() > 0) request.ttl_seconds = value.asInt64();
  return Status::ok();
}

// {"record": bool, "timeLimit": seconds, "ringTimeout": seconds}, read by the voice module.
Status read_voice(const Json::Value& value, const std::string&, TimePoint,
                  CreateSessionRequest& request) {
  if (!value.isObject()) {
    return bad("voice must be an object like {\"record\": true, \"timeLimit\": 600}");
  }
  for (const std::string& option : value.getMemberNames()) {
    const Json::Value& v = value[option];
    if (option == "record") {
      if (!v.isBool()) return bad("voice.record must be true or false");
    } else if (option == "timeLimit") {
      if (!is_integer_in(v, 1, 14400)) {
        return bad("voice.timeLimit must be 1 to 14400 seconds");
      }
    } else if (option == "ringTimeout") {
      if (!is_integer_in(v, 5, 600)) {
        return bad("voice.ringTimeout must be 5 to 600 seconds");
      }
    } else {
      return bad("unknown voice option '" + option + "' (record, timeLimit, ringTimeout)");
    }
  }
  request.voice_options = to_json_text(value);
  return Status::ok();
}

Status read_date_expiry(const Json::Value& value, const std::string& field, TimePoint now,
                        CreateSessionRequest& request) {
  if (Status s = expect_string(value, field); !s) return s;
  auto expiry = parse_iso8601(value.asString());
  if (!expiry) {
    return bad("dateExpiry must be an ISO 8601 date-time before " + std::to_string(kMaxYear + 1));
  }
  if (*expiry <= now) return bad("dateExpiry must be in the future");
  request.date_expiry = *expiry;
  return Status::ok();
}

// {"+1415...": "+1415..."}: the pool number a participant should get.
Status read_proxy_addresses(const Json::Value& value, const std::string&, TimePoint,
                            CreateSessionRequest& request) {
  if (!value.isObject()) return bad("proxyAddresses must map addresses to pool numbers");
  for (const std::string& address : value.getMemberNames()) {
    if (!value[address].isString()) return bad("proxyAddresses must map addresses to pool numbers");
    request.proxy_addresses[address] = value[address].asString();
  }
  return Status::ok();
}

// Every field but "addresses" (read first); the flat dotted keys are how twilio-node sends
// nested properties.
const std::map<std::string, FieldReader>& field_readers() {
  static const std::map<std::string, FieldReader> kReaders = {
      {"friendlyName", read_friendly_name},
      {"uniqueName", read_unique_name},
      {"attributes", read_attributes},
      {"messagingServiceSid", read_messaging_service_sid},
      {"state", read_state},
      {"timers", read_timers},
      {"timers.inactive", read_inactive_timer},
      {"timers.closed", read_closed_timer},
      {"dateCreated", read_date_created},
      {"dateUpdated", read_date_updated},
      {"bindings", read_bindings},
      {"bindings.email.address", read_email_address},
      {"bindings.email.name", read_email_name},
      {"xTwilioWebhookEnabled", read_webhook_enabled},
      {"mode", read_mode},
      {"ttl", read_ttl},
      {"dateExpiry", read_date_expiry},
      {"voice", read_voice},
      {"proxyAddresses", read_proxy_addresses},
  };
  return kReaders;
}

std::string accepted_fields() {
  std::string out = "addresses";
  for (const auto& [name, reader] : field_readers()) out += ", " + name;
  return out;
}

Status read_addresses(const Json::Value& body, CreateSessionRequest& request) {
  if (!body.isMember("addresses")) return bad("addresses is required: an array of E.164 numbers");
  const Json::Value& addresses = body["addresses"];
  if (!addresses.isArray()) return bad("addresses must be an array of E.164 phone numbers");
  for (const Json::Value& address : addresses) {
    if (!address.isString()) return bad("addresses must contain only strings");
    request.addresses.push_back(address.asString());
  }
  return Status::ok();
}

}  // namespace

Result<CreateSessionRequest> parse_create_request(const Json::Value& body, TimePoint now) {
  if (!body.isObject()) return bad("the request body must be a JSON object");
  CreateSessionRequest request;
  if (Status s = read_addresses(body, request); !s) return s;
  for (const std::string& key : body.getMemberNames()) {
    if (key == "addresses") continue;
    auto reader = field_readers().find(key);
    if (reader == field_readers().end()) {
      return bad("unknown field '" + key + "'; accepted: " + accepted_fields());
    }
    if (Status s = reader->second(body[key], key, now, request); !s) return s;
  }
  return request;
}

}  // namespace mc::modules::sessions_api
