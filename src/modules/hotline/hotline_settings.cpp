#include "modules/hotline/hotline_settings.h"

#include "core/json_values.h"
#include "core/response.h"
#include "core/time_format.h"
#include "core/utf8.h"

namespace mc::modules::hotline {
namespace {

Status bad(const std::string& message) { return Status::invalid_argument(message); }

Result<std::string> text_field(const Json::Value& value, const std::string& name) {
  if (!value.isString()) return bad(name + " must be a string");
  const std::string text = value.asString();
  if (text.size() > kMaxText) {
    return bad(name + " must be at most " + std::to_string(kMaxText) + " bytes");
  }
  if (!is_valid_utf8(text)) return bad(name + " must be UTF-8");
  return text;
}

Result<int> int_field(const Json::Value& value, const std::string& name, int min, int max) {
  if (!is_integer_in(value, min, max)) {
    return bad(name + " must be a whole number from " + std::to_string(min) + " to " +
               std::to_string(max));
  }
  return value.asInt();
}

Status apply_no_answer(const Json::Value& value, HotlineSettings& s) {
  if (!value.isObject()) {
    return bad("noAnswer must be {\"message\": \"...\"} or {\"voicemail\": {\"maxLength\": N}}");
  }
  for (const std::string& key : value.getMemberNames()) {
    if (key != "message" && key != "voicemail") return bad("noAnswer." + key + " is not a field");
  }
  if (value.isMember("message")) {
    auto message = text_field(value["message"], "noAnswer.message");
    if (!message) return message.status();
    s.no_answer_message = *message;
  }
  s.voicemail = false;
  if (value.isMember("voicemail")) {
    const Json::Value& voicemail = value["voicemail"];
    if (!voicemail.isObject()) return bad("noAnswer.voicemail must be an object");
    for (const std::string& key : voicemail.getMemberNames()) {
      if (key != "maxLength") return bad("noAnswer.voicemail." + key + " is not a field");
    }
    s.voicemail = true;
    if (voicemail.isMember("maxLength")) {
      auto length =
          int_field(voicemail["maxLength"], "noAnswer.voicemail.maxLength", 1, kMaxVoicemailLength);
      if (!length) return length.status();
      s.voicemail_max_length = *length;
    }
  }
  return Status::ok();
}

}  // namespace

Result<HotlineSettings> apply_settings(const Json::Value& body, HotlineSettings s) {
  if (body.isMember("greeting")) {
    auto greeting = text_field(body["greeting"], "greeting");
    if (!greeting) return greeting.status();
    s.greeting = *greeting;
  }
  if (body.isMember("ringTimeout")) {
    auto timeout = int_field(body["ringTimeout"], "ringTimeout", kMinRingTimeout, kMaxRingTimeout);
    if (!timeout) return timeout.status();
    s.ring_timeout_seconds = *timeout;
  }
  if (body.isMember("answerCheck")) {
    const Json::Value& check = body["answerCheck"];
    const std::string value = check.isString() ? check.asString() : "";
    if (value != answer_check::kPress1 && value != answer_check::kMachineDetection &&
        value != answer_check::kNone) {
      return bad("answerCheck must be \"press-1\", \"machine-detection\" or \"none\"");
    }
    s.answer_check = value;
  }
  if (body.isMember("noAnswer")) {
    if (Status st = apply_no_answer(body["noAnswer"], s); !st) return st;
  }
  if (body.isMember("texts")) {
    if (!body["texts"].isBool()) return bad("texts must be true or false");
    s.texts = body["texts"].asBool();
  }
  return s;
}

Result<mc::hotline::Member> parse_member(const Json::Value& value, const pool::Geography& geography,
                                         TimePoint now) {
  if (!value.isObject()) return bad("a member must be {\"address\": \"+1...\", \"name\": \"...\"}");
  for (const std::string& key : value.getMemberNames()) {
    if (key != "address" && key != "name" && key != "paused") {
      return bad("member field " + key + " is not a field");
    }
  }
  if (!value["address"].isString()) return bad("a member needs an address (E.164)");
  auto info = geography.describe(value["address"].asString());
  if (!info) return bad("member address: " + info.status().message());
  mc::hotline::Member member;
  member.address = info->e164;
  member.created_at = now;
  if (value.isMember("name")) {
    auto name = text_field(value["name"], "member name");
    if (!name) return name.status();
    member.name = *name;
  }
  if (value.isMember("paused")) {
    if (!value["paused"].isBool()) return bad("member paused must be true or false");
    member.paused = value["paused"].asBool();
  }
  return member;
}

Json::Value settings_value(const HotlineSettings& s) {
  Json::Value out(Json::objectValue);
  out["greeting"] = s.greeting;
  out["ringTimeout"] = s.ring_timeout_seconds;
  out["answerCheck"] = s.answer_check;
  Json::Value& no_answer = out["noAnswer"] = Json::Value(Json::objectValue);
  no_answer["message"] = s.no_answer_message;
  if (s.voicemail) no_answer["voicemail"]["maxLength"] = s.voicemail_max_length;
  out["texts"] = s.texts;
  return out;
}

std::string settings_json(const HotlineSettings& s) { return to_json_text(settings_value(s)); }

HotlineSettings settings_of(const std::string& json) {
  Json::Value value;
  std::string error;
  if (!parse_json_text(json, &value, &error) || !value.isObject()) return {};
  auto settings = apply_settings(value, HotlineSettings{});
  return settings ? *settings : HotlineSettings{};
}

Json::Value hotline_json(const mc::hotline::HotlineRecord& h) {
  const Json::Value settings = settings_value(settings_of(h.settings));
  Json::Value out(Json::objectValue);
  out["id"] = h.id;
  out["number"] = h.number;
  out["name"] = h.name;
  for (const std::string& key : settings.getMemberNames()) out[key] = settings[key];
  Json::Value& members = out["members"] = Json::Value(Json::arrayValue);
  for (const mc::hotline::Member& m : h.members) {
    Json::Value member(Json::objectValue);
    member["address"] = m.address;
    member["name"] = m.name;
    member["paused"] = m.paused;
    members.append(member);
  }
  out["dateCreated"] = format_iso8601_millis(h.created_at);
  out["dateUpdated"] = format_iso8601_millis(h.updated_at);
  return out;
}

}  // namespace mc::modules::hotline
