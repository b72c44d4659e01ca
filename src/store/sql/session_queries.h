// The sessions table: a session's row and life cycle, and the sweeps that find sessions due
// for expiry, stuck in creation, or to be checked against Twilio.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

// One session with its participants, selected by `where` ("id = ?") bound to `key`.
Result<std::optional<SessionRecord>> find_session(Connection& db, const std::string& where,
                                                  const std::string& key);
// Inserts the session's row (not its participants).
Status insert_session(Connection& db, const SessionRecord& session);
// Moves the session to `to` if its status is one of `from`; true when it moved. Closing
// statuses also set closed_at and closed_reason and clear expires_at.
Result<bool> change_session_status(Connection& db, const std::string& id,
                                   const std::vector<std::string>& from, const std::string& to,
                                   TimePoint now, const std::string& closed_reason);
Status set_session_conversation(Connection& db, const std::string& id,
                                const std::string& conversation_sid,
                                const std::string& conversation_json, TimePoint now);
// open -> in-progress; last_interaction_at (and the TTL counted from it) only moves forward.
Status record_session_interaction(Connection& db, const std::string& id, TimePoint at);
// Transaction::set_expiry.
Status set_session_expiry(Connection& db, const std::string& id, std::optional<int64_t> ttl_seconds,
                          std::optional<TimePoint> date_expiry, TimePoint now);
// Newest first, keyset paging; `status` "" for all.
Result<SessionPage> list_sessions(Connection& db, const std::string& status, size_t page_size,
                                  const std::string& page_token);
Result<std::vector<std::string>> sessions_due(Connection& db, TimePoint now, size_t limit);
Result<std::vector<std::string>> sessions_stuck_creating(Connection& db, TimePoint before,
                                                         size_t limit);
// Marks up to `limit` live sessions with a conversation checked at `now`, least recently
// checked first, and returns (id, conversation SID) pairs. Inside a write transaction.
Result<std::vector<std::pair<std::string, std::string>>> mark_sessions_reconciled(Connection& db,
                                                                                  TimePoint now,
                                                                                  size_t limit);

}  // namespace mc::store::sql
