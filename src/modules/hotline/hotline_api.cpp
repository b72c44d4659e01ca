#include "modules/hotline/hotline_api.h"

#include <set>

#include "core/json_values.h"
#include "core/time_format.h"
#include "modules/hotline/hotline_settings.h"
#include "sessions/session_service.h"

namespace mc::modules::hotline {
namespace {

using mc::hotline::HotlineRecord;
using mc::hotline::Member;

constexpr size_t kLogLimit = 200;

Response invalid(const std::string& message) {
  return Response::error(400, sessions::api_code::kInvalidSession, message);
}

Response not_found(const std::string& what) {
  return Response::error(404, sessions::api_code::kSessionNotFound, "no " + what);
}

// A store refusal that names bad input is the client's 400.
Response failed(const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument) return invalid(status.message());
  if (status.code() == StatusCode::kConflict) return Response::error(409, 20409, status.message());
  return Response::error(status);
}

// The JSON object of the request, or the 400 that says what is wrong with it.
Result<const Json::Value*> body_of(const Request& request) {
  if (!request.content_type_is("application/json")) {
    return Status::invalid_argument(
        "the request body must be JSON (Content-Type: application/json)");
  }
  if (!request.json) {
    return Status::invalid_argument("the request body is not valid JSON: " + request.json_error);
  }
  if (!request.json->isObject())
    return Status::invalid_argument("the request body must be an object");
  return &*request.json;
}

Status only_fields(const Json::Value& body, const std::set<std::string>& allowed) {
  for (const std::string& key : body.getMemberNames()) {
    if (!allowed.count(key)) return Status::invalid_argument(key + " is not a field of a hotline");
  }
  return Status::ok();
}

const std::set<std::string> kSettingFields = {"name",        "greeting", "ringTimeout",
                                              "answerCheck", "noAnswer", "texts"};

Result<std::string> name_of(const Json::Value& body, std::string fallback) {
  if (!body.isMember("name")) return fallback;
  if (!body["name"].isString() || body["name"].asString().size() > kMaxText) {
    return Status::invalid_argument("name must be a string of at most 1000 bytes");
  }
  return body["name"].asString();
}

Json::Value leg_json(const mc::hotline::Leg& leg) {
  Json::Value out(Json::objectValue);
  out["callSid"] = leg.leg_sid;
  out["member"] = leg.address;
  out["status"] = leg.status;
  out["dateCreated"] = format_iso8601_millis(leg.created_at);
  out["dateUpdated"] = format_iso8601_millis(leg.updated_at);
  return out;
}

Json::Value call_json(const mc::hotline::HotlineCall& c) {
  Json::Value out(Json::objectValue);
  out["callSid"] = c.call_sid;
  out["from"] = c.caller;
  out["status"] = c.status;
  out["answeredBy"] = text_or_null(c.winner);
  out["dateCreated"] = format_iso8601_millis(c.created_at);
  out["dateAnswered"] = optional_iso_time(c.answered_at);
  out["dateEnded"] = optional_iso_time(c.ended_at);
  out["duration"] = optional_int(c.duration_seconds);
  Json::Value& voicemail = out["voicemail"] = Json::Value(Json::nullValue);
  if (c.recording_sid) {
    voicemail = Json::Value(Json::objectValue);
    voicemail["recordingSid"] = *c.recording_sid;
    voicemail["recordingUrl"] = c.recording_url.value_or("");
    voicemail["duration"] = optional_int(c.recording_duration);
  }
  Json::Value& legs = out["legs"] = Json::Value(Json::arrayValue);
  for (const mc::hotline::Leg& leg : c.legs) legs.append(leg_json(leg));
  return out;
}

Json::Value thread_json(const mc::hotline::TextThread& t) {
  Json::Value out(Json::objectValue);
  out["label"] = mc::hotline::thread_label(t.id);
  out["from"] = t.texter;
  out["status"] = t.status;
  out["claimedBy"] = text_or_null(t.claimed_by);
  out["dateCreated"] = format_iso8601_millis(t.created_at);
  out["dateClaimed"] = optional_iso_time(t.claimed_at);
  Json::Value& messages = out["messages"] = Json::Value(Json::arrayValue);
  for (const mc::hotline::ThreadMessage& m : t.messages) {
    Json::Value message(Json::objectValue);
    message["direction"] = m.direction;
    message["author"] = m.author;
    message["body"] = m.body;
    message["delivery"] = text_or_null(m.delivery);
    message["dateCreated"] = format_iso8601_millis(m.created_at);
    messages.append(message);
  }
  return out;
}

// One of a hotline's logs: 404 for a hotline that does not exist, else {key: [entry...]}
// with the entries `list` reads, each shown by `to_json`.
template <typename List, typename ToJson>
Response log_of(mc::hotline::HotlineDirectory& directory, const std::string& id, const char* key,
                List list, ToJson to_json) {
  auto hotline = directory.find(id);
  if (!hotline) return failed(hotline.status());
  if (!*hotline) return not_found("hotline " + id);
  auto entries = list();
  if (!entries) return failed(entries.status());
  Json::Value body(Json::objectValue);
  Json::Value& out = body[key] = Json::Value(Json::arrayValue);
  for (const auto& entry : *entries) out.append(to_json(entry));
  return Response::json(200, body);
}

}  // namespace

void HotlineApi::routes(Router& router) {
  router.add("POST", "/hotlines", Access::kApi, [this](Request& r) { return create(r); });
  router.add("GET", "/hotlines", Access::kApi, [this](Request&) { return list(); });
  router.add("GET", "/hotlines/{id}", Access::kApi,
             [this](Request& r) { return fetch(std::string(r.path_param("id"))); });
  router.add("POST", "/hotlines/{id}", Access::kApi, [this](Request& r) { return update(r); });
  router.add("DELETE", "/hotlines/{id}", Access::kApi,
             [this](Request& r) { return remove(std::string(r.path_param("id"))); });
  router.add("POST", "/hotlines/{id}/members", Access::kApi,
             [this](Request& r) { return add_member(r); });
  router.add("POST", "/hotlines/{id}/members/{address}", Access::kApi,
             [this](Request& r) { return update_member(r); });
  router.add("DELETE", "/hotlines/{id}/members/{address}", Access::kApi,
             [this](Request& r) { return remove_member(r); });
  router.add("GET", "/hotlines/{id}/calls", Access::kApi,
             [this](Request& r) { return calls(std::string(r.path_param("id"))); });
  router.add("GET", "/hotlines/{id}/threads", Access::kApi,
             [this](Request& r) { return threads(std::string(r.path_param("id"))); });
}

Response HotlineApi::create(const Request& request) {
  auto body = body_of(request);
  if (!body) return failed(body.status());
  const Json::Value& b = **body;
  std::set<std::string> allowed = kSettingFields;
  allowed.insert({"number", "members"});
  if (Status s = only_fields(b, allowed); !s) return failed(s);
  if (!b["number"].isString()) return invalid("number is required: a pool number in E.164");
  auto number = geography_.describe(b["number"].asString());
  if (!number) return invalid("number: " + number.status().message());
  auto name = name_of(b, "");
  if (!name) return failed(name.status());
  auto settings = apply_settings(b, HotlineSettings{});
  if (!settings) return failed(settings.status());
  const Json::Value& members = b["members"];
  if (!members.isArray() || members.empty())
    return invalid("members must list at least one member");
  if (members.size() > kMaxMembers) {
    return invalid("a hotline has at most " + std::to_string(kMaxMembers) + " members");
  }
  const TimePoint now = clock_.now();
  HotlineRecord hotline;
  hotline.id = sessions::new_sid("HL");
  hotline.number = number->e164;
  hotline.name = *name;
  hotline.settings = settings_json(*settings);
  hotline.created_at = hotline.updated_at = now;
  std::set<std::string> seen;
  for (const Json::Value& value : members) {
    auto member = parse_member(value, geography_, now);
    if (!member) return failed(member.status());
    if (member->address == hotline.number) {
      return invalid("member " + member->address + " is the hotline's own number");
    }
    if (!seen.insert(member->address).second) {
      return invalid("member " + member->address + " is listed twice");
    }
    hotline.members.push_back(*member);
  }
  if (Status s = directory_.create(hotline); !s) return failed(s);
  return Response::json(201, hotline_json(hotline));
}

Response HotlineApi::update(const Request& request) {
  const std::string id(request.path_param("id"));
  auto body = body_of(request);
  if (!body) return failed(body.status());
  if (Status s = only_fields(**body, kSettingFields); !s) return failed(s);
  auto hotline = directory_.find(id);
  if (!hotline) return failed(hotline.status());
  if (!*hotline) return not_found("hotline " + id);
  auto name = name_of(**body, (*hotline)->name);
  if (!name) return failed(name.status());
  auto settings = apply_settings(**body, settings_of((*hotline)->settings));
  if (!settings) return failed(settings.status());
  auto updated = directory_.update(id, *name, settings_json(*settings), clock_.now());
  if (!updated) return failed(updated.status());
  if (!*updated) return not_found("hotline " + id);
  return fetch(id);
}

Response HotlineApi::add_member(const Request& request) {
  const std::string id(request.path_param("id"));
  auto body = body_of(request);
  if (!body) return failed(body.status());
  auto member = parse_member(**body, geography_, clock_.now());
  if (!member) return failed(member.status());
  auto hotline = directory_.find(id);
  if (!hotline) return failed(hotline.status());
  if (!*hotline) return not_found("hotline " + id);
  if (member->address == (*hotline)->number) {
    return invalid("member " + member->address + " is the hotline's own number");
  }
  if ((*hotline)->members.size() >= kMaxMembers) {
    return invalid("a hotline has at most " + std::to_string(kMaxMembers) + " members");
  }
  auto added = directory_.add_member(id, *member);
  if (!added) {
    if (added.status().code() == StatusCode::kConflict) {
      return invalid("member " + member->address + " is a member already");
    }
    return failed(added.status());
  }
  if (!*added) return not_found("hotline " + id);
  auto after = directory_.find(id);
  if (!after || !*after) return not_found("hotline " + id);
  return Response::json(201, hotline_json(**after));
}

Response HotlineApi::update_member(const Request& request) {
  const std::string id(request.path_param("id"));
  const std::string address(request.path_param("address"));
  auto body = body_of(request);
  if (!body) return failed(body.status());
  const Json::Value& b = **body;
  for (const std::string& key : b.getMemberNames()) {
    if (key != "name" && key != "paused")
      return invalid(key + " is not a field of a member update");
  }
  std::optional<std::string> name;
  std::optional<bool> paused;
  if (b.isMember("name")) {
    auto given = name_of(b, "");
    if (!given) return failed(given.status());
    name = *given;
  }
  if (b.isMember("paused")) {
    if (!b["paused"].isBool()) return invalid("paused must be true or false");
    paused = b["paused"].asBool();
  }
  auto updated = directory_.update_member(id, address, name, paused);
  if (!updated) return failed(updated.status());
  if (!*updated) return not_found("member " + address + " of hotline " + id);
  return fetch(id);
}

Response HotlineApi::remove_member(const Request& request) {
  const std::string id(request.path_param("id"));
  const std::string address(request.path_param("address"));
  auto removed = directory_.remove_member(id, address);
  if (!removed) return failed(removed.status());
  if (!*removed) return not_found("member " + address + " of hotline " + id);
  return Response::text(204, "");
}

Response HotlineApi::fetch(const std::string& id) {
  auto hotline = directory_.find(id);
  if (!hotline) return failed(hotline.status());
  if (!*hotline) return not_found("hotline " + id);
  return Response::json(200, hotline_json(**hotline));
}

Response HotlineApi::list() {
  auto hotlines = directory_.list();
  if (!hotlines) return failed(hotlines.status());
  Json::Value body(Json::objectValue);
  Json::Value& list = body["hotlines"] = Json::Value(Json::arrayValue);
  for (const HotlineRecord& h : *hotlines) list.append(hotline_json(h));
  return Response::json(200, body);
}

Response HotlineApi::remove(const std::string& id) {
  auto removed = directory_.remove(id, clock_.now());
  if (!removed) return failed(removed.status());
  if (!*removed) return not_found("hotline " + id);
  return Response::text(204, "");
}

Response HotlineApi::calls(const std::string& id) {
  return log_of(
      directory_, id, "calls", [&] { return calls_.list(id, kLogLimit); }, call_json);
}

Response HotlineApi::threads(const std::string& id) {
  return log_of(
      directory_, id, "threads", [&] { return threads_.list(id, kLogLimit); }, thread_json);
}

}  // namespace mc::modules::hotline
