// What the in-memory index of live sessions reads: live sessions with their active members,
// and the binding_changes log that triggers (migration 4) append to whenever a session's
// bindings change, so every process sees what any other committed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

// Calls `each` with every live session and returns the change sequence they are current
// at: all read in one snapshot (a read transaction on `db`).
Result<int64_t> scan_live_sessions(Connection& db, const std::function<void(LiveSession&&)>& each);
// The session if it is live now.
Result<std::optional<LiveSession>> find_live_session(Connection& db, const std::string& id);
// Changes with seq >= from (the caller passes the last one it applied, to see that it is
// still there), oldest first, at most `limit`.
Result<std::vector<BindingChange>> binding_changes_from(Connection& db, int64_t from, size_t limit);
// Deletes up to `limit` changes logged before `before`, never the newest one; how many.
Result<int64_t> prune_binding_changes(Connection& db, TimePoint before, size_t limit);

}  // namespace mc::store::sql
