// The calls and call_events tables: each call leg of a session and its status history.
//
// Status callbacks may arrive before the call's own record is written (records are written
// in batches, off the request path, possibly by another process), or after a crash lost it.
// A status for an unknown SID is kept in early_call_statuses; when the record is inserted
// later it takes the latest of them (a final status first) and they join its history.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

// Inserts a call and its first status event, then adopts the statuses that arrived before
// it. True when the SID was new; a known SID is left as it is (Twilio retries webhooks).
Result<bool> insert_call(Connection& db, const CallRecord& call);
// Appends a status to the call's history and makes it the call's status (a final status is
// never replaced by a later non-final one). True when the call is known; an unknown SID's
// status is kept as an early status for its record to adopt.
Result<bool> update_call_status(Connection& db, const std::string& call_sid,
                                const std::string& status, std::optional<int64_t> duration_seconds,
                                TimePoint at);
Status set_call_recording(Connection& db, const std::string& call_sid,
                          const std::string& recording_sid, const std::string& recording_url,
                          std::optional<int64_t> recording_duration);
// The calls selected by `where` (bound to `key`), oldest first.
Result<std::vector<CallRecord>> find_calls(Connection& db, const std::string& where,
                                           const std::string& key);
// The call's statuses in the order they happened.
Result<std::vector<CallEvent>> find_call_events(Connection& db, const std::string& call_sid);
// Deletes up to `limit` early statuses older than `before` (SIDs that never got a
// record); how many.
Result<int64_t> prune_early_call_statuses(Connection& db, TimePoint before, size_t limit);

}  // namespace mc::store::sql
