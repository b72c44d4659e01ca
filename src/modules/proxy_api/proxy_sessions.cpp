#include "modules/proxy_api/proxy_sessions.h"

#include <algorithm>

#include "core/json_values.h"
#include "modules/proxy_api/proxy_wire.h"

namespace mc::modules::proxy_api {
namespace {

constexpr size_t kMaxFriendlyName = 255;

// Proxy's status of a ledger session: a session being created (or repaired) shows as open.
std::string proxy_status(const std::string& status) {
  if (status == store::status::kCreating || status == store::status::kRecovering) return "open";
  return status;
}

}  // namespace

ServiceAt find_service(ApiScope& scope, const Request& request) {
  const std::string sid(request.path_param("service"));
  auto service = scope.directory.find(sid);
  if (!service) return {std::nullopt, error(service.status())};
  if (!*service) return {std::nullopt, not_found("/Services/" + sid)};
  return {std::move(*service), std::nullopt};
}

pool::SelectionPolicy selection_policy(const proxy::ServiceRecord& service) {
  pool::SelectionPolicy policy;
  // area-code keeps the participant's area code; overlay and radius (numbers near the
  // participant) are read as its region; country as the country.
  if (service.geo_match_level == "area-code") {
    policy.geo_match = pool::GeoMatch::kAreaCode;
  } else if (service.geo_match_level == "overlay" || service.geo_match_level == "radius") {
    policy.geo_match = pool::GeoMatch::kRegion;
  } else {
    policy.geo_match = pool::GeoMatch::kCountry;
  }
  policy.stickiness = service.number_selection_behavior == "avoid-sticky"
                          ? pool::Stickiness::kAvoidSticky
                          : pool::Stickiness::kPreferSticky;
  policy.service_sid = service.is_default ? "" : service.sid;
  return policy;
}

SessionAt session_of_path(ApiScope& scope, const Request& request) {
  SessionAt at;
  ServiceAt service = find_service(scope, request);
  if (service.error) {
    at.error = std::move(service.error);
    return at;
  }
  at.service = std::move(service.service);
  const std::string key(request.path_param("session"));
  const std::string path = "/Services/" + at.service->sid + "/Sessions/" + key;
  auto row = scope.session_directory.find(at.service->sid, key);
  if (!row || !*row) {
    at.error = row ? not_found(path) : error(row.status());
    return at;
  }
  auto session = scope.sessions.get((*row)->session_id);
  if (!session) {
    at.error = session.status().code() == StatusCode::kNotFound ? not_found(path)
                                                                : error(session.status());
    return at;
  }
  at.row = std::move(*row);
  at.session = std::move(session).value();
  return at;
}

ParticipantAt participant_of_path(ApiScope& scope, const Request& request,
                                  const std::string& param) {
  ParticipantAt found{session_of_path(scope, request), std::nullopt, std::nullopt};
  if (found.at.error) {
    found.error = std::move(found.at.error);
    return found;
  }
  const std::string sid(request.path_param(param));
  auto participant = scope.session_directory.participant(found.at.row->session_id, sid);
  if (!participant || !*participant) {
    found.error = participant ? not_found("/Participants/" + sid) : error(participant.status());
    return found;
  }
  found.participant = std::move(*participant);
  return found;
}

std::string session_url(const ApiScope& scope, const proxy::ProxySession& row) {
  return scope.base_url + "/v1/Services/" + row.service_sid + "/Sessions/" + row.session_id;
}

Json::Value session_json(const ApiScope& scope, const proxy::ProxySession& row,
                         const store::SessionRecord& s) {
  const std::string url = session_url(scope, row);
  Json::Value out(Json::objectValue);
  out["sid"] = s.id;
  out["service_sid"] = row.service_sid;
  out["account_sid"] = scope.account_sid;
  out["date_started"] = iso_time(s.created_at);
  out["date_ended"] = optional_iso(s.closed_at);
  out["date_last_interaction"] = optional_iso(s.last_interaction_at);
  out["date_expiry"] = optional_iso(s.expires_at ? s.expires_at : s.date_expiry);
  out["unique_name"] = optional_text(row.unique_name);
  out["status"] = proxy_status(s.status);
  out["closed_reason"] = s.closed_reason;
  out["ttl"] = static_cast<Json::Int64>(s.ttl_seconds.value_or(0));
  out["mode"] = s.mode;
  out["date_created"] = iso_time(s.created_at);
  out["date_updated"] = iso_time(s.updated_at);
  out["url"] = url;
  out["links"]["interactions"] = url + "/Interactions";
  out["links"]["participants"] = url + "/Participants";
  return out;
}

Json::Value participant_json(const ApiScope& scope, const proxy::ProxySession& row,
                             const proxy::ProxyParticipant& p,
                             const std::string& proxy_identifier_sid) {
  const std::string url = session_url(scope, row) + "/Participants/" + p.sid;
  Json::Value out(Json::objectValue);
  out["sid"] = p.sid;
  out["session_sid"] = p.session_id;
  out["service_sid"] = row.service_sid;
  out["account_sid"] = scope.account_sid;
  out["friendly_name"] = optional_text(p.friendly_name);
  out["identifier"] = p.identifier;
  out["proxy_identifier"] = p.proxy_identifier;
  out["proxy_identifier_sid"] = proxy_identifier_sid;
  out["date_deleted"] = optional_iso(p.deleted_at);
  out["date_created"] = iso_time(p.created_at);
  out["date_updated"] = iso_time(p.deleted_at ? *p.deleted_at : p.created_at);
  out["url"] = url;
  out["links"]["message_interactions"] = url + "/MessageInteractions";
  return out;
}

Result<ParticipantFields> check_participant(ApiScope& scope, const proxy::ServiceRecord& service,
                                            const std::string& identifier,
                                            const std::optional<std::string>& friendly_name,
                                            const std::optional<std::string>& proxy_identifier,
                                            const std::optional<std::string>& proxy_sid) {
  ParticipantFields fields;
  // The same reading of a phone number as every session's (libphonenumber).
  auto phone = scope.geography.describe(identifier);
  if (!phone) {
    return Status::invalid_argument("Identifier: " + phone.status().message(),
                                    code::kInvalidIdentifier);
  }
  fields.identifier = phone->e164;
  if (friendly_name) {
    if (Status s = check_text("FriendlyName", *friendly_name, kMaxFriendlyName); !s) return s;
    fields.friendly_name = friendly_name;
  }
  for (const auto* named : {&proxy_identifier, &proxy_sid}) {
    if (!*named || (*named)->empty()) continue;
    auto number = scope.directory.find_number(service.sid, **named);
    if (!number) return number.status();
    if (!*number) {
      return Status::invalid_argument(**named + " is not a phone number of service " + service.sid,
                                      code::kNumberNotAvailable);
    }
    if (fields.proxy_number && *fields.proxy_number != (*number)->number) {
      return Status::invalid_argument(
          "ProxyIdentifier and ProxyIdentifierSid name different numbers", code::kInvalidParameter);
    }
    fields.proxy_number = (*number)->number;
  }
  return fields;
}

Response session_error(const Status& status, bool requested_proxy) {
  const int api = status.api_code();
  switch (api) {
    case sessions::api_code::kInvalidSession:
      return Response::error(400, code::kInvalidParameter, status.message());
    case sessions::api_code::kSessionClosed:
      return Response::error(400, code::kSessionClosed, status.message());
    case sessions::api_code::kTooManyParticipants:
      return Response::error(400, code::kTooManyParticipants, status.message());
    case sessions::api_code::kAlreadyParticipant:
      return Response::error(400, code::kAlreadyParticipant, status.message());
    case sessions::api_code::kSessionNotReady:
      return Response::error(409, api, status.message());
    case sessions::api_code::kReopenConflict:
      return Response::error(400, api, status.message());
    case pool::kNoNumberAvailable:
      return Response::error(400, requested_proxy ? code::kPairInUse : api, status.message());
    default:
      return error(status);
  }
}

Result<CreatedProxySession> create_proxy_session(ApiScope& scope,
                                                 const proxy::ServiceRecord& service,
                                                 const ProxySessionSpec& spec) {
  const TimePoint now = scope.clock.now();
  sessions::CreateSessionRequest create;
  create.min_participants = 0;
  create.policy = selection_policy(service);
  create.mode = spec.mode;
  create.with_conversation = create.mode != "voice-only";
  if (spec.ttl && *spec.ttl > 0) {
    create.ttl_seconds = *spec.ttl;
  } else if (!spec.ttl && service.default_ttl > 0) {
    create.ttl_seconds = service.default_ttl;
  }
  create.date_expiry = spec.date_expiry;
  for (const ParticipantFields& p : spec.participants) {
    create.addresses.push_back(p.identifier);
    if (p.proxy_number) create.proxy_addresses[p.identifier] = *p.proxy_number;
  }
  CreatedProxySession out;
  out.row.session_id = sessions::new_session_id();
  out.row.service_sid = service.sid;
  out.row.unique_name = spec.unique_name;
  out.row.created_at = now;
  create.unique_name = out.row.session_id;  // the ledger's id: the KC... SID
  create.also_write = [&](store::Transaction& tx, const store::SessionRecord& session) {
    return with_rows(tx, [&](store::sql::Connection& db) -> Status {
      if (Status s = proxy::insert_proxy_session(db, out.row); !s) return s;
      for (size_t i = 0; i < session.participants.size(); ++i) {
        const store::ParticipantRecord& held = session.participants[i];
        proxy::ProxyParticipant p;
        p.sid = sessions::new_sid("KP");
        p.session_id = session.id;
        p.identifier = held.address;
        p.friendly_name = spec.participants[i].friendly_name;
        p.proxy_identifier = held.proxy_number;
        p.position = static_cast<int64_t>(i);
        p.created_at = now;
        if (Status s = proxy::insert_proxy_participant(db, p); !s) return s;
      }
      return Status::ok();
    });
  };
  auto created = scope.sessions.create(create);
  if (!created) return created.status();
  out.session = std::move(*created);
  return out;
}

bool requested_proxy(const ProxySessionSpec& spec) {
  for (const ParticipantFields& p : spec.participants) {
    if (p.proxy_number) return true;
  }
  return false;
}

std::string interaction_sid(const std::string& session_id, const std::string& resource_sid) {
  return proxy::derived_sid("KI", session_id + ":" + resource_sid);
}

std::string resource_status(const std::string& status) {
  static const std::vector<std::string> kResourceStatuses = {
      "accepted",  "answered",         "busy",      "canceled",    "completed", "deleted",
      "delivered", "delivery-unknown", "failed",    "in-progress", "initiated", "no-answer",
      "queued",    "received",         "receiving", "ringing",     "scheduled", "sending",
      "sent",      "undelivered",      "unknown"};
  return std::find(kResourceStatuses.begin(), kResourceStatuses.end(), status) !=
                 kResourceStatuses.end()
             ? status
             : "unknown";
}

}  // namespace mc::modules::proxy_api
