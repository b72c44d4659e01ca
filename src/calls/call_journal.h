// The call journal: on a ledger that takes one write transaction at a time (SQLite), what
// the call log is asked to record is appended here first and applied to the call tables
// later (call_log.h says by whom and when).
//
// Why: a recorded call touches b-tree pages no other call of its batch shares (its SID's
// and its session's index entries, the session row), about 20 KB of WAL per call at
// 1,000,000 sessions, and on two cores that work took the CPU the request threads needed.
// An append touches only the journal's last page, shared by the whole batch.
//
// Entries are kept in commit order (the rowid, assigned under SQLite's write lock), so
// applying them oldest first gives each call's history in the order it was reported, by
// whichever process appended it. Applying a prefix and forgetting it happen in one
// transaction: an entry is applied exactly once, by whichever process gets there first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::calls {

struct JournalEntry {
  int64_t id = 0;     // its place in the journal; 0 before it is appended
  std::string entry;  // what it is: the kinds are call_log.cpp's
  // The fields that kind uses, in a call's columns (calls/call_log.cpp maps them).
  store::CallRecord call;
};

// Appends `entry` inside the caller's write transaction.
Status append_to_journal(store::sql::Connection& db, const JournalEntry& entry);
// The newest id in the journal, 0 when it is empty.
Result<int64_t> newest_journal_id(store::sql::Connection& db);
// Up to `limit` entries, oldest first.
Result<std::vector<JournalEntry>> oldest_journal_entries(store::sql::Connection& db, size_t limit);
// Forgets the entries up to and including `through_id`.
Status forget_journal_through(store::sql::Connection& db, int64_t through_id);
// Forgets one entry.
Status forget_journal_entry(store::sql::Connection& db, int64_t id);

}  // namespace mc::calls
