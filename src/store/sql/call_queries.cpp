#include "store/sql/call_queries.h"

#include "store/sql/rows.h"

namespace mc::store::sql {
namespace {

// SQL true for Twilio's final CallStatus values (is_final_call_status in records.h).
constexpr const char* kFinalStatusSql =
    "IN ('completed', 'busy', 'no-answer', 'failed', 'canceled')";

Status insert_event(Connection& db, const std::string& call_sid, const std::string& status,
                    TimePoint at) {
  auto event = db.prepare("INSERT INTO call_events (call_sid, status, at) VALUES (?, ?, ?)");
  if (!event) return event.status();
  (*event)->bind(1, call_sid).bind(2, status).bind(3, to_ms(at));
  return (*event)->run();
}

// The statuses that arrived before the call's record: the latest (a final one before any
// other) becomes the call's, and all of them join its history.
Status adopt_early_statuses(Connection& db, const std::string& call_sid) {
  auto any = db.prepare("SELECT 1 FROM early_call_statuses WHERE call_sid = ? LIMIT 1");
  if (!any) return any.status();
  (*any)->bind(1, call_sid);
  auto waiting = (*any)->first([](const Statement&) {});
  if (!waiting) return waiting.status();
  if (!*waiting) return Status::ok();  // the usual case: nothing came first
  auto adopt = db.prepare(std::string("UPDATE calls SET status = e.status, updated_at = CASE WHEN "
                                      "calls.updated_at > e.at THEN calls.updated_at ELSE e.at "
                                      "END, duration_seconds = COALESCE(e.duration_seconds, "
                                      "calls.duration_seconds), ended_at = CASE WHEN e.status ") +
                          kFinalStatusSql +
                          " THEN e.at ELSE calls.ended_at END FROM (SELECT status, at, "
                          "duration_seconds FROM early_call_statuses WHERE call_sid = ?1 "
                          "ORDER BY status " +
                          kFinalStatusSql +
                          " DESC, at DESC, id DESC LIMIT 1) AS e WHERE calls.call_sid = ?1");
  if (!adopt) return adopt.status();
  (*adopt)->bind(1, call_sid);
  if (Status s = (*adopt)->run(); !s) return s;
  auto move = db.prepare(
      "INSERT INTO call_events (call_sid, status, at) SELECT call_sid, status, at "
      "FROM early_call_statuses WHERE call_sid = ? ORDER BY at, id");
  if (!move) return move.status();
  (*move)->bind(1, call_sid);
  if (Status s = (*move)->run(); !s) return s;
  auto forget = db.prepare("DELETE FROM early_call_statuses WHERE call_sid = ?");
  if (!forget) return forget.status();
  (*forget)->bind(1, call_sid);
  return (*forget)->run();
}

}  // namespace

// A call's record and its statuses are written under its SID's lock: on PostgreSQL a
// status arriving while the record is being inserted would otherwise be kept as early and
// never adopted (neither transaction sees the other's rows).
Result<bool> insert_call(Connection& db, const CallRecord& c) {
  if (Status s = db.lock_key(c.call_sid); !s) return s;
  auto insert =
      db.prepare(std::string("INSERT INTO calls (") + kCallColumns +
                 ", first_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?9) ON CONFLICT (call_sid) DO NOTHING");
  if (!insert) return insert.status();
  bind_call(**insert, c);
  if (Status s = (*insert)->run(); !s) return s;
  if (db.changes() == 0) return false;  // known already
  // Its first status is first_status, at created_at: the start of its history.
  if (Status s = adopt_early_statuses(db, c.call_sid); !s) return s;
  return true;
}

Result<bool> update_call_status(Connection& db, const std::string& call_sid,
                                const std::string& status, std::optional<int64_t> duration_seconds,
                                TimePoint at) {
  if (Status s = db.lock_key(call_sid); !s) return s;
  auto update =
      db.prepare(std::string("UPDATE calls SET status = CASE WHEN status ") + kFinalStatusSql +
                 " THEN status ELSE ?1 END, updated_at = ?2, "
                 "duration_seconds = COALESCE(?3, duration_seconds), "
                 "ended_at = CASE WHEN ?4 = 1 THEN COALESCE(ended_at, ?2) ELSE ended_at "
                 "END WHERE call_sid = ?5");
  if (!update) return update.status();
  const int64_t final = is_final_call_status(status) ? 1 : 0;
  (*update)
      ->bind(1, status)
      .bind(2, to_ms(at))
      .bind(3, duration_seconds)
      .bind(4, final)
      .bind(5, call_sid);
  if (Status s = (*update)->run(); !s) return s;
  if (db.changes() == 1) {
    if (Status s = insert_event(db, call_sid, status, at); !s) return s;
    return true;
  }
  auto early = db.prepare(
      "INSERT INTO early_call_statuses (call_sid, status, duration_seconds, at) "
      "VALUES (?, ?, ?, ?)");
  if (!early) return early.status();
  (*early)->bind(1, call_sid).bind(2, status).bind(3, duration_seconds).bind(4, to_ms(at));
  if (Status s = (*early)->run(); !s) return s;
  return false;
}

Status set_call_recording(Connection& db, const std::string& call_sid,
                          const std::string& recording_sid, const std::string& recording_url,
                          std::optional<int64_t> recording_duration) {
  auto update = db.prepare(
      "UPDATE calls SET recording_sid = ?, recording_url = ?, recording_duration = ? "
      "WHERE call_sid = ?");
  if (!update) return update.status();
  (*update)
      ->bind(1, recording_sid)
      .bind(2, recording_url)
      .bind(3, recording_duration)
      .bind(4, call_sid);
  return (*update)->run();
}

Result<std::vector<CallRecord>> find_calls(Connection& db, const std::string& where,
                                           const std::string& key) {
  auto statement = db.prepare(std::string("SELECT ") + kCallColumns + " FROM calls WHERE " + where +
                              " ORDER BY id");
  if (!statement) return statement.status();
  (*statement)->bind(1, key);
  return (*statement)->collect(read_call);
}

Result<std::vector<CallEvent>> find_call_events(Connection& db, const std::string& call_sid) {
  auto statement = db.prepare(
      "SELECT first_status, created_at, 0 FROM calls WHERE call_sid = ?1 AND first_status <> '' "
      "UNION ALL SELECT status, at, id FROM call_events WHERE call_sid = ?1 ORDER BY 2, 3");
  if (!statement) return statement.status();
  (*statement)->bind(1, call_sid);
  return (*statement)->collect([](const Statement& row) {
    return CallEvent{row.column_text(0), from_ms(row.column_int(1))};
  });
}

Result<int64_t> prune_early_call_statuses(Connection& db, TimePoint before, size_t limit) {
  auto statement = db.prepare(
      "DELETE FROM early_call_statuses WHERE id IN (SELECT id FROM early_call_statuses "
      "WHERE at < ? ORDER BY at LIMIT ?)");
  if (!statement) return statement.status();
  (*statement)->bind(1, to_ms(before)).bind(2, static_cast<int64_t>(limit));
  if (Status s = (*statement)->run(); !s) return s;
  return db.changes();
}

}  // namespace mc::store::sql
