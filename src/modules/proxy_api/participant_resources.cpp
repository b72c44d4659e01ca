// /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants: create (the pool picks the
// proxy number, or ProxyIdentifier/ProxyIdentifierSid names one of the service's), list,
// fetch, delete. At most 2 participants per session on this API (80609; our own /sessions
// keeps 50), checked with the identifier's uniqueness (80103) inside the ledger transaction
// that reserves the number, under the session's lock. Delete is soft, as Proxy's: the
// participant stays listed with date_deleted and its identifier cannot join that session
// again; its pair is released once Twilio has removed it from the conversation. Delete
// answers 200 without a body, as the spec says (Twilio's Python library then returns False
// from delete(), Node's remove() true).
#include "modules/proxy_api/proxy_sessions.h"
#include "modules/proxy_api/proxy_wire.h"

namespace mc::modules::proxy_api {
namespace {

// The PN... SID of a participant's proxy number.
std::string number_sid_of(ApiScope& scope, const std::string& service_sid,
                          const std::string& number) {
  auto found = scope.directory.find_number(service_sid, number);
  if (found && *found) return (*found)->number_sid;
  return proxy::derived_number_sid(number);  // drained out of the service since
}

Json::Value shown(ApiScope& scope, const proxy::ProxySession& row,
                  const proxy::ProxyParticipant& p) {
  return participant_json(scope, row, p, number_sid_of(scope, row.service_sid, p.proxy_identifier));
}

// Proxy's rules for one more participant, against the session's participants so far.
Status check_room(const std::vector<proxy::ProxyParticipant>& existing,
                  const std::string& identifier) {
  size_t present = 0;
  for (const proxy::ProxyParticipant& p : existing) {
    if (p.identifier == identifier) {
      return Status::invalid_argument(
          identifier + " is already a participant of this session" +
              (p.deleted_at ? " (removed, and cannot be added again)" : ""),
          code::kAlreadyParticipant);
    }
    if (!p.deleted_at) ++present;
  }
  if (present >= kMaxProxyParticipants) {
    return Status::invalid_argument("A session has at most 2 participants",
                                    code::kTooManyParticipants);
  }
  return Status::ok();
}

Response create_participant(ApiScope& scope, const SessionAt& at, const Request& request) {
  const auto identifier = form_value(request, "Identifier");
  if (!identifier) {
    return Response::error(400, code::kInvalidParameter,
                           "Missing required parameter Identifier in the post body");
  }
  // Read as a boolean; a conflict always fails here (no pair is active in two sessions).
  if (auto conflict = form_bool(request, "FailOnParticipantConflict"); !conflict) {
    return error(conflict.status());
  }
  auto fields = check_participant(
      scope, *at.service, *identifier, form_value(request, "FriendlyName"),
      form_value(request, "ProxyIdentifier"), form_value(request, "ProxyIdentifierSid"));
  if (!fields) return session_error(fields.status());

  proxy::ProxyParticipant row;
  row.sid = sessions::new_sid("KP");
  row.session_id = at.row->session_id;
  row.identifier = fields->identifier;
  row.friendly_name = fields->friendly_name;
  row.created_at = scope.clock.now();
  sessions::AddParticipantRequest add;
  add.address = fields->identifier;
  add.friendly_name = fields->friendly_name.value_or("");
  add.proxy_number = fields->proxy_number;
  add.policy = selection_policy(*at.service);
  add.also_write = [&](store::Transaction& tx, const store::ParticipantRecord& held) {
    return with_rows(tx, [&](store::sql::Connection& db) -> Status {
      auto existing = proxy::participants_of(db, row.session_id);
      if (!existing) return existing.status();
      if (Status s = check_room(*existing, row.identifier); !s) return s;
      row.position = static_cast<int64_t>(existing->size());
      row.proxy_identifier = held.proxy_number;
      return proxy::insert_proxy_participant(db, row);
    });
  };
  add.undo = [&](store::Transaction& tx, const store::ParticipantRecord&) {
    return with_rows(tx, [&](store::sql::Connection& db) {
      return proxy::delete_proxy_participant(db, row.sid);
    });
  };
  auto added = scope.sessions.add_participant(row.session_id, add);
  if (!added) return session_error(added.status(), fields->proxy_number.has_value());
  return Response::json(201, shown(scope, *at.row, row));
}

Response delete_participant(ApiScope& scope, const ParticipantAt& found) {
  const proxy::ProxyParticipant& participant = *found.participant;
  if (participant.deleted_at) return Response::text(200, "");
  const TimePoint now = scope.clock.now();
  if (store::is_live_status(found.at.session->status)) {
    auto removed = scope.sessions.remove_participant(
        participant.session_id, participant.identifier, [&](store::Transaction& tx) {
          return with_rows(tx, [&](store::sql::Connection& db) {
            return proxy::mark_participant_deleted(db, participant.sid, now);
          });
        });
    if (!removed) return session_error(removed.status());
    if (*removed) return Response::text(200, "");
  }
  // The participant holds nothing any more (its session closed): only the mark is left.
  if (Status s = scope.session_directory.mark_deleted(participant.sid, now); !s) return error(s);
  return Response::text(200, "");
}

}  // namespace

void add_participant_routes(Router& router, ApiScope& scope) {
  const std::string list = "/v1/Services/{service}/Sessions/{session}/Participants";
  const std::string one = list + "/{sid}";
  router.add("POST", list, Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    return create_participant(scope, at, request);
  });
  router.add("GET", list, Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    auto page = read_page(request);
    if (!page) return error(page.status());
    auto participants = scope.session_directory.participants(at.row->session_id);
    if (!participants) return error(participants.status());
    std::vector<Json::Value> all;
    for (const proxy::ProxyParticipant& p : *participants) all.push_back(shown(scope, *at.row, p));
    return Response::json(200, list_body_of_all("participants", all, *page,
                                                session_url(scope, *at.row) + "/Participants"));
  });
  router.add("GET", one, Access::kApi, [&scope](Request& request) {
    ParticipantAt found = participant_of_path(scope, request, "sid");
    if (found.error) return std::move(*found.error);
    return Response::json(200, shown(scope, *found.at.row, *found.participant));
  });
  router.add("DELETE", one, Access::kApi, [&scope](Request& request) {
    ParticipantAt found = participant_of_path(scope, request, "sid");
    if (found.error) return std::move(*found.error);
    return delete_participant(scope, found);
  });
}

}  // namespace mc::modules::proxy_api
