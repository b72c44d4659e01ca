#include "store/sql/outbox_queries.h"

#include "store/sql/rows.h"

namespace mc::store::sql {

Status enqueue_outbox(Connection& db, const std::string& kind, const std::string& payload,
                      TimePoint due) {
  auto statement = db.prepare(
      "INSERT INTO outbox (kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)");
  if (!statement) return statement.status();
  (*statement)->bind(1, kind).bind(2, payload).bind(3, to_ms(due)).bind(4, to_ms(due));
  return (*statement)->run();
}

Result<std::vector<OutboxItem>> lease_outbox(Connection& db, TimePoint now,
                                             std::chrono::milliseconds lease, size_t limit) {
  // An item is leased to one caller: on PostgreSQL, hosts claiming at once skip the rows
  // another is claiming, and the outer WHERE rechecks the lease on the row it updates.
  auto statement = db.prepare(
      "UPDATE outbox SET locked_until = ?1 WHERE locked_until <= ?2 AND id IN (SELECT id "
      "FROM outbox WHERE next_attempt_at <= ?2 AND locked_until <= ?2 "
      "ORDER BY next_attempt_at LIMIT ?3" +
      std::string(db.skip_locked()) +
      ") RETURNING id, kind, payload, attempts, next_attempt_at, last_error");
  if (!statement) return statement.status();
  Statement& s = **statement;
  s.bind(1, to_ms(now + lease)).bind(2, to_ms(now)).bind(3, static_cast<int64_t>(limit));
  return s.collect([](const Statement& row) {
    return OutboxItem{row.column_int(0),          row.column_text(1),
                      row.column_text(2),         static_cast<int>(row.column_int(3)),
                      from_ms(row.column_int(4)), row.column_text(5)};
  });
}

Status delete_outbox(Connection& db, int64_t id) {
  auto statement = db.prepare("DELETE FROM outbox WHERE id = ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, id);
  return (*statement)->run();
}

Status reschedule_outbox(Connection& db, int64_t id, TimePoint next_attempt,
                         const std::string& error) {
  auto statement = db.prepare(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, locked_until = 0, "
      "last_error = ? WHERE id = ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, to_ms(next_attempt)).bind(2, error).bind(3, id);
  return (*statement)->run();
}

Result<int64_t> count_outbox(Connection& db) {
  auto statement = db.prepare("SELECT COUNT(*) FROM outbox");
  if (!statement) return statement.status();
  int64_t count = 0;
  auto found = (*statement)->first([&](const Statement& row) { count = row.column_int(0); });
  if (!found) return found.status();
  return count;
}

}  // namespace mc::store::sql
