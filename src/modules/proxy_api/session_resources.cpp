// /v1/Services/{ServiceSid}/Sessions: create (with up to two Participants), fetch by SID or
// unique name, list, update (Status, Ttl, DateExpiry) and delete, over SessionService.
//
// Choices where Proxy's documentation is silent (README, "Proxy API"):
// - A session is created `open`; Status=in-progress on create is accepted and means open
//   (it becomes in-progress at its first interaction); closed, failed and unknown are 80608.
// - Ttl counts from the update when it is changed; 0 means no TTL.
// - Re-opening a closed session (closed -> in-progress) brings back its participants that
//   were not deleted, each with the proxy number it had (80801 when that pair is now active
//   in another session), and a new conversation; it is then open until its first
//   interaction, its TTL counting from the re-open. A failed session cannot be re-opened.
// - FailOnParticipantConflict (on create and update) is read as a boolean: a conflict
//   always fails, since no pair is ever active in two sessions here.
// - Delete closes a live session first; the ledger keeps the closed session until Twilio
//   has released its pairs, but the Proxy API forgets it and its participants at once.
#include "core/time_format.h"
#include "modules/proxy_api/proxy_sessions.h"
#include "modules/proxy_api/proxy_wire.h"

namespace mc::modules::proxy_api {
namespace {

constexpr int64_t kMaxTtl = 365LL * 86400 * 100;
const std::vector<std::string> kModes = {"message-only", "voice-only", "voice-and-message"};
const std::vector<std::string> kStatuses = {"open", "in-progress", "closed", "failed", "unknown"};

Status invalid(const std::string& what) {
  return Status::invalid_argument("Invalid parameter " + what, code::kInvalidParameter);
}

// DateExpiry: ISO 8601, in the future. Debian's Python library sends a naive datetime
// as it is, with "Z" (or none): read as UTC.
Result<std::optional<TimePoint>> read_date_expiry(const Request& request, TimePoint now) {
  auto text = form_value(request, "DateExpiry");
  if (!text || text->empty()) return std::optional<TimePoint>();
  std::optional<TimePoint> at = parse_iso8601(*text);
  if (!at) at = parse_iso8601(*text + "Z");
  if (!at && text->size() == 10) at = parse_iso8601(*text + "T00:00:00Z");
  if (!at) return invalid("DateExpiry: expected an ISO 8601 date-time");
  if (*at <= now) return invalid("DateExpiry: must be in the future");
  return at;
}

// One Participants value: a JSON object as text.
Result<ParticipantFields> read_participant_json(ApiScope& scope,
                                                const proxy::ServiceRecord& service,
                                                const std::string& text) {
  Json::Value object;
  std::string errors;
  if (!parse_json_text(text, &object, &errors) || !object.isObject()) {
    return invalid("Participants: each value must be a JSON object");
  }
  const auto field = [&](const char* name) -> Result<std::optional<std::string>> {
    const Json::Value& value = object[name];
    if (value.isNull()) return std::optional<std::string>();
    if (!value.isString())
      return invalid(std::string("Participants: ") + name + " must be a string");
    return std::optional<std::string>(value.asString());
  };
  auto identifier = field("Identifier");
  if (!identifier) return identifier.status();
  if (!*identifier) {
    return Status::invalid_argument("Missing required parameter Identifier in Participants",
                                    code::kInvalidParameter);
  }
  auto friendly = field("FriendlyName");
  if (!friendly) return friendly.status();
  auto proxy = field("ProxyIdentifier");
  if (!proxy) return proxy.status();
  auto proxy_sid = field("ProxyIdentifierSid");
  if (!proxy_sid) return proxy_sid.status();
  return check_participant(scope, service, **identifier, *friendly, *proxy, *proxy_sid);
}

Response create_session(ApiScope& scope, const proxy::ServiceRecord& service,
                        const Request& request) {
  const TimePoint now = scope.clock.now();
  auto unique_name = form_text(request, "UniqueName", kMaxUniqueName);
  if (!unique_name) return error(unique_name.status());
  auto ttl = form_int(request, "Ttl", 0, kMaxTtl);
  if (!ttl) return error(ttl.status());
  auto expiry = read_date_expiry(request, now);
  if (!expiry) return error(expiry.status());
  auto mode = form_choice(request, "Mode", kModes);
  if (!mode) return error(mode.status());
  auto status = form_choice(request, "Status", kStatuses);
  if (!status) return error(status.status());
  if (auto conflict = form_bool(request, "FailOnParticipantConflict"); !conflict) {
    return error(conflict.status());
  }
  if (*status && **status != "open" && **status != "in-progress") {
    return Response::error(400, code::kInvalidTransition,
                           "A session is created open; Status " + **status + " is not allowed");
  }
  std::vector<ParticipantFields> participants;
  for (const auto& [name, value] : request.form) {
    if (name != "Participants") continue;
    if (participants.size() == kMaxProxyParticipants) {
      return Response::error(400, code::kTooManyParticipants,
                             "A session has at most 2 participants");
    }
    auto fields = read_participant_json(scope, service, value);
    if (!fields) return session_error(fields.status());
    for (const ParticipantFields& earlier : participants) {
      if (earlier.identifier == fields->identifier) {
        return Response::error(400, code::kAlreadyParticipant,
                               fields->identifier + " is listed twice in Participants");
      }
    }
    participants.push_back(std::move(*fields));
  }

  ProxySessionSpec spec;
  spec.unique_name = *unique_name;
  spec.ttl = *ttl;
  spec.date_expiry = *expiry;
  spec.mode = mode->value_or("voice-and-message");
  spec.participants = std::move(participants);
  auto created = create_proxy_session(scope, service, spec);
  if (!created) return session_error(created.status(), requested_proxy(spec));
  return Response::json(201, session_json(scope, created->row, created->session));
}

Response update_session(ApiScope& scope, const SessionAt& at, const Request& request) {
  const store::SessionRecord& session = *at.session;
  auto status = form_choice(request, "Status", kStatuses);
  if (!status) return error(status.status());
  auto ttl = form_int(request, "Ttl", 0, kMaxTtl);
  if (!ttl) return error(ttl.status());
  auto expiry = read_date_expiry(request, scope.clock.now());
  if (!expiry) return error(expiry.status());
  if (auto conflict = form_bool(request, "FailOnParticipantConflict"); !conflict) {
    return error(conflict.status());
  }
  const bool live = store::is_live_status(session.status);
  // Everything is checked before anything changes.
  const bool closing = *status && **status == "closed" && live;
  const bool reopening =
      *status && **status == "in-progress" && session.status == store::status::kClosed;
  if (*status && !closing && !reopening && **status != "closed" &&
      !(live && **status == session.status)) {
    return Response::error(
        400, code::kInvalidTransition,
        "Session status cannot change from " + session.status + " to " + **status);
  }
  if (reopening) {
    if (*ttl || *expiry) {
      return Response::error(400, code::kSessionClosed,
                             "Re-open the session first, then change its Ttl or DateExpiry");
    }
    auto participants = scope.session_directory.participants(session.id);
    if (!participants) return error(participants.status());
    std::vector<std::string> addresses;
    for (const proxy::ProxyParticipant& p : *participants) {
      if (!p.deleted_at) addresses.push_back(p.identifier);
    }
    auto reopened = scope.sessions.reopen(session.id, addresses);
    if (!reopened) return session_error(reopened.status());
    return Response::json(200, session_json(scope, *at.row, *reopened));
  }
  if ((*ttl || *expiry) && !live) {
    return Response::error(400, code::kSessionClosed,
                           "Session " + session.id + " is closed and cannot be updated");
  }
  if (*ttl || *expiry) {
    std::optional<int64_t> new_ttl = *ttl ? **ttl : session.ttl_seconds;
    if (new_ttl && *new_ttl == 0) new_ttl.reset();
    const std::optional<TimePoint> new_expiry = *expiry ? *expiry : session.date_expiry;
    auto updated = scope.sessions.set_expiry(session.id, new_ttl, new_expiry);
    if (!updated) return session_error(updated.status());
  }
  if (closing) {
    auto closed = scope.sessions.close(session.id, "api");
    if (!closed) return session_error(closed.status());
  }
  auto now_is = scope.sessions.get(session.id);
  if (!now_is) return error(now_is.status());
  return Response::json(200, session_json(scope, *at.row, *now_is));
}

}  // namespace

void add_session_routes(Router& router, ApiScope& scope) {
  const std::string list = "/v1/Services/{service}/Sessions";
  const std::string one = list + "/{session}";
  router.add("POST", list, Access::kApi, [&scope](Request& request) {
    ServiceAt at = find_service(scope, request);
    if (at.error) return std::move(*at.error);
    return create_session(scope, *at.service, request);
  });
  router.add("GET", list, Access::kApi, [&scope](Request& request) {
    ServiceAt at = find_service(scope, request);
    if (at.error) return std::move(*at.error);
    auto page = read_page(request);
    if (!page) return error(page.status());
    auto rows = scope.session_directory.list(at.service->sid, page->offset, page->page_size + 1);
    if (!rows) return error(rows.status());
    std::vector<Json::Value> items;
    for (const proxy::ProxySession& row : *rows) {
      auto session = scope.sessions.get(row.session_id);
      if (!session) continue;  // the ledger's row is gone: nothing to show
      items.push_back(session_json(scope, row, *session));
    }
    return Response::json(
        200, list_body("sessions", std::move(items), *page,
                       scope.base_url + "/v1/Services/" + at.service->sid + "/Sessions"));
  });
  router.add("GET", one, Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    return Response::json(200, session_json(scope, *at.row, *at.session));
  });
  router.add("POST", one, Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    return update_session(scope, at, request);
  });
  router.add("DELETE", one, Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    const std::string& status = at.session->status;
    if (store::is_live_status(status)) {
      auto closed = scope.sessions.close(at.session->id, "deleted");
      if (!closed) return session_error(closed.status());
    } else if (status == store::status::kCreating || status == store::status::kRecovering) {
      return Response::error(409, sessions::api_code::kSessionNotReady,
                             "Session " + at.session->id + " is still being created");
    }
    if (Status s = scope.session_directory.remove(at.session->id); !s) return error(s);
    return Response::text(204, "");
  });
}

}  // namespace mc::modules::proxy_api
