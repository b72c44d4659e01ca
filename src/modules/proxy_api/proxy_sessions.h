// Internal to the proxy_api module: what the Sessions and Participants resources share.
// A Proxy Session is a ledger session (SessionService) plus its row in the SessionDirectory;
// these helpers find both, shape them as Proxy's JSON, and translate the session service's
// errors into Proxy's codes.
#pragma once

#include <json/value.h>

#include <optional>
#include <string>

#include "core/request.h"
#include "core/response.h"
#include "modules/proxy_api/service_resources.h"

namespace mc::modules::proxy_api {

// Proxy's codes beyond proxy_wire.h's.
namespace code {
inline constexpr int kInvalidIdentifier = 80404;    // not an E.164 phone number
inline constexpr int kPairInUse = 80604;            // the identifier+proxy pair is active elsewhere
inline constexpr int kSessionClosed = 80607;        // a closed session cannot be updated
inline constexpr int kInvalidTransition = 80608;    // a status change Proxy does not allow
inline constexpr int kTooManyParticipants = 80609;  // at most 2 per session on this API
inline constexpr int kAlreadyParticipant = 80103;
inline constexpr int kInvalidParticipant = 80405;  // a participant that cannot take part
}  // namespace code

inline constexpr size_t kMaxProxyParticipants = 2;

// Runs `write` on the ledger transaction's connection: the Proxy API's own rows commit with
// the ledger's change (the module runs only on an SQL ledger).
template <typename Write>
Status with_rows(store::Transaction& tx, Write write) {
  store::sql::Connection* db = tx.connection();
  if (!db) return Status::internal("the Proxy API needs an SQL ledger");
  return write(*db);
}

// The service named in the path, or the 404 to answer.
struct ServiceAt {
  std::optional<proxy::ServiceRecord> service;
  std::optional<Response> error;
};
ServiceAt find_service(ApiScope& scope, const Request& request);

// The selection a service asks for: its numbers, its geo-match level and stickiness.
pool::SelectionPolicy selection_policy(const proxy::ServiceRecord& service);

// The service and session of the path ({service}; {session}: SID or unique name), the
// session's both halves, or the 404 to answer.
struct SessionAt {
  std::optional<proxy::ServiceRecord> service;
  std::optional<proxy::ProxySession> row;
  std::optional<store::SessionRecord> session;
  std::optional<Response> error;
};
SessionAt session_of_path(ApiScope& scope, const Request& request);

// The participant of the path (its SID in path parameter `param`) in the path's session,
// or the 404 to answer.
struct ParticipantAt {
  SessionAt at;
  std::optional<proxy::ProxyParticipant> participant;
  std::optional<Response> error;
};
ParticipantAt participant_of_path(ApiScope& scope, const Request& request,
                                  const std::string& param);

std::string session_url(const ApiScope& scope, const proxy::ProxySession& row);
Json::Value session_json(const ApiScope& scope, const proxy::ProxySession& row,
                         const store::SessionRecord& session);
Json::Value participant_json(const ApiScope& scope, const proxy::ProxySession& row,
                             const proxy::ProxyParticipant& participant,
                             const std::string& proxy_identifier_sid);

// A participant's fields, read from a form (Participants create) or from one JSON object
// of a Session create's Participants.
struct ParticipantFields {
  std::string identifier;  // E.164
  std::optional<std::string> friendly_name;
  std::optional<std::string> proxy_number;  // resolved from ProxyIdentifier(Sid)
};
// Checks the identifier (80404), the friendly name (<= 255) and resolves a requested
// proxy identifier among the service's numbers (80601 when it is not one of them).
Result<ParticipantFields> check_participant(ApiScope& scope, const proxy::ServiceRecord& service,
                                            const std::string& identifier,
                                            const std::optional<std::string>& friendly_name,
                                            const std::optional<std::string>& proxy_identifier,
                                            const std::optional<std::string>& proxy_sid);

// A Proxy Session to create: from a Sessions create, or from an out-of-session callback's
// auto-create answer.
struct ProxySessionSpec {
  std::optional<std::string> unique_name;
  std::optional<int64_t> ttl;  // seconds; nullopt: the service's default_ttl; 0: none
  std::optional<TimePoint> date_expiry;
  std::string mode = "voice-and-message";
  std::vector<ParticipantFields> participants;  // checked (check_participant), at most 2
};
struct CreatedProxySession {
  proxy::ProxySession row;
  store::SessionRecord session;
};
// Creates the ledger session (with its conversation unless voice-only) and the Proxy
// API's rows in one commit; the session service's errors as they are (session_error).
Result<CreatedProxySession> create_proxy_session(ApiScope& scope,
                                                 const proxy::ServiceRecord& service,
                                                 const ProxySessionSpec& spec);
// Whether the spec names a participant's proxy number (for session_error).
bool requested_proxy(const ProxySessionSpec& spec);

// The KI... SID of the interaction of a message or call (its SID) of a session: the same
// on every host, in every list and callback.
std::string interaction_sid(const std::string& session_id, const std::string& resource_sid);

// A message's or call's status as an Interaction shows it: one of Twilio's resource
// statuses (interaction_enum_resource_status), any other as "unknown".
std::string resource_status(const std::string& status);

// The session service's error in Proxy's terms; `requested_proxy`: the request named the
// proxy number (a pair taken is then 80604 rather than exhaustion).
Response session_error(const Status& status, bool requested_proxy = false);

}  // namespace mc::modules::proxy_api
