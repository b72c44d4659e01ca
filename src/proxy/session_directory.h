// The Proxy API's view of ledger sessions: which service each belongs to, its UniqueName
// (unique within the service), and its Participants (KP...), soft-deleted as Proxy does.
// The sessions themselves, their pairs and numbers are the ledger's (SessionService); the
// writes here run on the connection of the ledger's transaction that makes the session or
// participant (store::Transaction::connection()), so both commit together or not at all.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "proxy/proxy_records.h"
#include "store/sql/runner.h"

namespace mc::proxy {

// Writes, inside the ledger's transaction.
// CONFLICT (80603) when the service has a session of that unique name.
Status insert_proxy_session(store::sql::Connection& db, const ProxySession& session);
Status insert_proxy_participant(store::sql::Connection& db, const ProxyParticipant& participant);
// Removes a participant row (a create Twilio refused).
Status delete_proxy_participant(store::sql::Connection& db, const std::string& sid);
Status mark_participant_deleted(store::sql::Connection& db, const std::string& sid, TimePoint at);
// The session's participants, soft-deleted ones included, in the order they joined (a
// read inside the ledger's transaction, under its session lock).
Result<std::vector<ProxyParticipant>> participants_of(store::sql::Connection& db,
                                                      const std::string& session_id);

class SessionDirectory {
 public:
  explicit SessionDirectory(store::sql::Runner& runner) : runner_(runner) {}

  // `sid_or_unique_name`: the session's KC... SID, or its unique name in the service.
  Result<std::optional<ProxySession>> find(const std::string& service_sid,
                                           const std::string& sid_or_unique_name);
  // By the ledger's session id alone, whatever the service: none for a session of the
  // masked-communications API (/sessions).
  Result<std::optional<ProxySession>> of_session(const std::string& session_id);
  // Newest first; `offset` rows skipped, at most `limit`.
  Result<std::vector<ProxySession>> list(const std::string& service_sid, size_t offset,
                                         size_t limit);
  // The service's sessions that are still live in the ledger (open, in-progress, creating).
  Result<std::vector<std::string>> live_session_ids(const std::string& service_sid);
  // Forgets the session and its participants (the ledger keeps the closed session).
  Status remove(const std::string& session_id);

  // participants_of, outside a transaction.
  Result<std::vector<ProxyParticipant>> participants(const std::string& session_id);
  Result<std::optional<ProxyParticipant>> participant(const std::string& session_id,
                                                      const std::string& sid);
  // Interactions deleted on the Proxy API (the logs keep them): hidden from its lists.
  Status delete_interaction(const std::string& session_id, const std::string& interaction_sid,
                            TimePoint at);
  Result<std::set<std::string>> deleted_interactions(const std::string& session_id);
  // mark_participant_deleted in a transaction of its own.
  Status mark_deleted(const std::string& sid, TimePoint at);

 private:
  store::sql::Runner& runner_;
};

}  // namespace mc::proxy
