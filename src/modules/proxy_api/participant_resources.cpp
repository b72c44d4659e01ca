// /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants: create (the pool picks the
// proxy number, or ProxyIdentifier/ProxyIdentifierSid names one of the service's), list,
// fetch, delete. At most 2 participants per session on this API (80609; our own /sessions
// keeps 50). Delete is soft, as Proxy's: the participant stays listed with date_deleted and
// its identifier cannot join that session again; its pair is released once Twilio has
// removed it from the conversation. Delete answers 200 without a body, as the spec says
// (Twilio's Python library then returns False from delete(), Node's remove() true).
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

Response create_participant(ApiScope& scope, const proxy::ServiceRecord& service,
                            const SessionAt& at, const Request& request) {
  const auto identifier = form_value(request, "Identifier");
  if (!identifier) {
    return Response::error(400, code::kInvalidParameter,
                           "Missing required parameter Identifier in the post body");
  }
  const auto proxy_identifier = form_value(request, "ProxyIdentifier");
  const auto proxy_sid = form_value(request, "ProxyIdentifierSid");
  auto fields = check_participant(scope, service, *identifier, form_value(request, "FriendlyName"),
                                  proxy_identifier, proxy_sid);
  if (!fields) return session_error(fields.status());
  auto existing = scope.session_directory.participants(at.row->session_id);
  if (!existing) return error(existing.status());
  size_t present = 0;
  for (const proxy::ProxyParticipant& p : *existing) {
    if (p.identifier == fields->identifier) {
      return Response::error(400, code::kAlreadyParticipant,
                             fields->identifier + " is already a participant of this session" +
                                 (p.deleted_at ? " (removed, and cannot be added again)" : ""));
    }
    if (!p.deleted_at) ++present;
  }
  if (present >= kMaxProxyParticipants) {
    return Response::error(400, code::kTooManyParticipants, "A session has at most 2 participants");
  }

  proxy::ProxyParticipant row;
  row.sid = sessions::new_sid("KP");
  row.session_id = at.row->session_id;
  row.identifier = fields->identifier;
  row.friendly_name = fields->friendly_name;
  row.position = static_cast<int64_t>(existing->size());
  row.created_at = scope.clock.now();
  sessions::AddParticipantRequest add;
  add.address = fields->identifier;
  add.friendly_name = fields->friendly_name.value_or("");
  add.proxy_number = fields->proxy_number;
  add.policy = selection_policy(service);
  add.max_participants = kMaxProxyParticipants;
  add.also_write = [&](store::Transaction& tx, const store::ParticipantRecord& held) -> Status {
    store::sql::Connection* db = tx.connection();
    if (!db) return Status::internal("the Proxy API needs an SQL ledger");
    row.proxy_identifier = held.proxy_number;
    return proxy::insert_proxy_participant(*db, row);
  };
  add.undo = [&](store::Transaction& tx, const store::ParticipantRecord&) -> Status {
    store::sql::Connection* db = tx.connection();
    return db ? proxy::delete_proxy_participant(*db, row.sid) : Status::ok();
  };
  auto added = scope.sessions.add_participant(at.row->session_id, add);
  if (!added) return session_error(added.status(), fields->proxy_number.has_value());
  return Response::json(201, shown(scope, *at.row, row));
}

}  // namespace

void add_participant_routes(Router& router, ApiScope& scope) {
  const std::string list = "/v1/Services/{service}/Sessions/{session}/Participants";
  const std::string one = list + "/{sid}";
  // Both halves of the path, or the 404 to answer.
  struct Found {
    ServiceAt service;
    SessionAt session;
  };
  auto locate = [&scope](const Request& request) {
    Found found{find_service(scope, request), {}};
    if (found.service.error) return found;
    found.session =
        find_session(scope, found.service.service->sid, std::string(request.path_param("session")));
    return found;
  };
  router.add("POST", list, Access::kApi, [&scope, locate](Request& request) {
    Found at = locate(request);
    if (at.service.error) return std::move(*at.service.error);
    if (at.session.error) return std::move(*at.session.error);
    return create_participant(scope, *at.service.service, at.session, request);
  });
  router.add("GET", list, Access::kApi, [&scope, locate](Request& request) {
    Found at = locate(request);
    if (at.service.error) return std::move(*at.service.error);
    if (at.session.error) return std::move(*at.session.error);
    auto page = read_page(request);
    if (!page) return error(page.status());
    auto participants = scope.session_directory.participants(at.session.row->session_id);
    if (!participants) return error(participants.status());
    std::vector<Json::Value> items;
    for (size_t i = page->offset; i < participants->size() && items.size() <= page->page_size;
         ++i) {
      items.push_back(shown(scope, *at.session.row, (*participants)[i]));
    }
    return Response::json(200, list_body("participants", std::move(items), *page,
                                         session_url(scope, *at.session.row) + "/Participants"));
  });
  // The participant of the path; the answer to give instead when there is none.
  auto participant_at = [&scope, locate](const Request& request, Found& at,
                                         std::optional<Response>& failed) {
    std::optional<proxy::ProxyParticipant> found;
    at = locate(request);
    if (at.service.error || at.session.error) {
      failed = std::move(at.service.error ? at.service.error : at.session.error);
      return found;
    }
    const std::string sid(request.path_param("sid"));
    auto participant = scope.session_directory.participant(at.session.row->session_id, sid);
    if (!participant) {
      failed = error(participant.status());
    } else if (!*participant) {
      failed = not_found("/Participants/" + sid);
    } else {
      found = std::move(*participant);
    }
    return found;
  };
  router.add("GET", one, Access::kApi, [&scope, participant_at](Request& request) {
    Found at;
    std::optional<Response> failed;
    auto participant = participant_at(request, at, failed);
    if (!participant) return std::move(*failed);
    return Response::json(200, shown(scope, *at.session.row, *participant));
  });
  router.add("DELETE", one, Access::kApi, [&scope, participant_at](Request& request) {
    Found at;
    std::optional<Response> failed;
    auto participant = participant_at(request, at, failed);
    if (!participant) return std::move(*failed);
    const std::string sid = participant->sid;
    if (participant->deleted_at) return Response::text(200, "");
    const TimePoint now = scope.clock.now();
    auto mark = [&](store::Transaction& tx) -> Status {
      store::sql::Connection* db = tx.connection();
      return db ? proxy::mark_participant_deleted(*db, sid, now) : Status::ok();
    };
    const std::string& status = at.session.session->status;
    const bool live = status == store::status::kOpen || status == store::status::kInProgress;
    if (live) {
      auto removed = scope.sessions.remove_participant(at.session.row->session_id,
                                                       participant->identifier, mark);
      if (!removed) return session_error(removed.status());
      if (*removed) return Response::text(200, "");
    }
    // A closed session's participants hold nothing any more: only the mark is left to make.
    Status marked = scope.session_directory.mark_deleted(sid, now);
    if (!marked) return error(marked);
    return Response::text(200, "");
  });
}

}  // namespace mc::modules::proxy_api
