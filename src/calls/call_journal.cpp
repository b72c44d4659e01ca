#include "calls/call_journal.h"

#include "store/sql/rows.h"

namespace mc::calls {

using store::sql::Connection;
using store::sql::kCallColumns;
using store::sql::Statement;

Status append_to_journal(Connection& db, const JournalEntry& entry) {
  auto insert = db.prepare(std::string("INSERT INTO call_journal (entry, ") + kCallColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.status();
  (*insert)->bind(1, entry.entry);
  store::sql::bind_call(**insert, entry.call, 2);
  return (*insert)->run();
}

Result<int64_t> newest_journal_id(Connection& db) {
  auto newest = db.prepare("SELECT COALESCE(MAX(id), 0) FROM call_journal");
  if (!newest) return newest.status();
  int64_t id = 0;
  auto found = (*newest)->first([&](const Statement& row) { id = row.column_int(0); });
  if (!found) return found.status();
  return id;
}

Result<std::vector<JournalEntry>> oldest_journal_entries(Connection& db, size_t limit) {
  auto select = db.prepare(std::string("SELECT ") + kCallColumns +
                           ", id, entry FROM call_journal ORDER BY id LIMIT ?");
  if (!select) return select.status();
  (*select)->bind(1, static_cast<int64_t>(limit));
  return (*select)->collect([](const Statement& row) {
    JournalEntry entry;
    entry.call = store::sql::read_call(row);
    entry.id = row.column_int(16);
    entry.entry = row.column_text(17);
    return entry;
  });
}

Status forget_journal_through(Connection& db, int64_t through_id) {
  auto forget = db.prepare("DELETE FROM call_journal WHERE id <= ?");
  if (!forget) return forget.status();
  (*forget)->bind(1, through_id);
  return (*forget)->run();
}

Status forget_journal_entry(Connection& db, int64_t id) {
  auto forget = db.prepare("DELETE FROM call_journal WHERE id = ?");
  if (!forget) return forget.status();
  (*forget)->bind(1, id);
  return (*forget)->run();
}

}  // namespace mc::calls
