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

// The session service's error in Proxy's terms; `requested_proxy`: the request named the
// proxy number (a pair taken is then 80604 rather than exhaustion).
Response session_error(const Status& status, bool requested_proxy = false);

}  // namespace mc::modules::proxy_api
