#include "store/sql/session_queries.h"

#include <algorithm>
#include <cstdlib>

#include "store/sql/participant_queries.h"
#include "store/sql/rows.h"

namespace mc::store::sql {

Result<std::optional<SessionRecord>> find_session(Connection& db, const std::string& where,
                                                  const std::string& key) {
  auto statement =
      db.prepare(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE " + where);
  if (!statement) return statement.status();
  (*statement)->bind(1, key);
  SessionRecord session;
  auto found = (*statement)->first([&](const Statement& row) { session = read_session(row); });
  if (!found) return found.status();
  if (!*found) return std::optional<SessionRecord>();
  if (Status s = load_participants(db, session); !s) return s;
  return std::optional<SessionRecord>(std::move(session));
}

Status insert_session(Connection& db, const SessionRecord& s) {
  auto insert = db.prepare(std::string("INSERT INTO sessions (") + kSessionColumns +
                           ") VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.status();
  Statement& q = **insert;
  q.bind(1, s.id)
      .bind(2, s.status)
      .bind(3, s.mode)
      .bind(4, s.friendly_name)
      .bind(5, s.attributes)
      .bind(6, s.ttl_seconds)
      .bind(7, to_ms(s.date_expiry))
      .bind(8, to_ms(s.expires_at))
      .bind(9, to_ms(s.last_interaction_at))
      .bind(10, s.closed_reason)
      .bind(11, to_ms(s.created_at))
      .bind(12, to_ms(s.updated_at))
      .bind(13, to_ms(s.closed_at))
      .bind(14, s.twilio_request)
      .bind(15, s.conversation)
      .bind(16, s.voice_options);
  if (Status status = q.run(); !status) return status.annotate("inserting session " + s.id);
  return Status::ok();
}

Result<bool> change_session_status(Connection& db, const std::string& id,
                                   const std::vector<std::string>& from, const std::string& to,
                                   TimePoint now, const std::string& closed_reason) {
  const bool closing = to == status::kClosed || to == status::kFailed;
  const bool reopening =
      !closing && std::find(from.begin(), from.end(), status::kClosed) != from.end();
  auto statement =
      db.prepare(std::string("UPDATE sessions SET status = ?, updated_at = ?") +
                 (closing ? ", closed_at = ?, closed_reason = ?, expires_at = NULL" : "") +
                 (reopening ? ", closed_at = NULL, closed_reason = ''" : "") +
                 " WHERE id = ? AND status IN (" + placeholders(from.size()) + ")");
  if (!statement) return statement.status();
  Statement& s = **statement;
  int index = 1;
  s.bind(index++, to);
  s.bind(index++, to_ms(now));
  if (closing) {
    s.bind(index++, to_ms(now));
    s.bind(index++, closed_reason);
  }
  s.bind(index++, id);
  for (const std::string& value : from) s.bind(index++, value);
  if (Status status = s.run(); !status) return status;
  return db.changes() == 1;
}

Status set_session_conversation(Connection& db, const std::string& id,
                                const std::string& conversation_sid,
                                const std::string& conversation_json, TimePoint now) {
  auto statement = db.prepare(
      "UPDATE sessions SET conversation_sid = ?, conversation = ?, updated_at = ? WHERE id = ?");
  if (!statement) return statement.status();
  (*statement)
      ->bind(1, conversation_sid)
      .bind(2, conversation_json)
      .bind(3, to_ms(now))
      .bind(4, id);
  return (*statement)->run();
}

namespace {

// record_session_interaction as one statement: every SET expression reads the row as it was,
// so "only forward" and the expiry counted from the new interaction are decided in the
// UPDATE itself, under its row lock.
Status record_interaction_at_once(Connection& db, const std::string& id, TimePoint at) {
  auto update = db.prepare(
      "UPDATE sessions SET "
      "status = CASE WHEN status = 'open' THEN 'in-progress' ELSE status END, "
      "expires_at = CASE WHEN last_interaction_at IS NULL OR last_interaction_at < ?1 "
      "  THEN COALESCE(date_expiry, ?1 + ttl_seconds * 1000) ELSE expires_at END, "
      "updated_at = CASE WHEN last_interaction_at IS NULL OR last_interaction_at < ?1 "
      "  THEN ?1 ELSE updated_at END, "
      "last_interaction_at = CASE WHEN last_interaction_at IS NULL OR last_interaction_at < ?1 "
      "  THEN ?1 ELSE last_interaction_at END "
      "WHERE id = ?2 AND status IN ('open', 'in-progress')");
  if (!update) return update.status();
  (*update)->bind(1, to_ms(at)).bind(2, id);
  return (*update)->run();
}

}  // namespace

Status set_session_expiry(Connection& db, const std::string& id, std::optional<int64_t> ttl_seconds,
                          std::optional<TimePoint> date_expiry, TimePoint now) {
  std::optional<TimePoint> expires = date_expiry;
  if (!expires && ttl_seconds) expires = now + std::chrono::seconds(*ttl_seconds);
  auto update = db.prepare(
      "UPDATE sessions SET ttl_seconds = ?, date_expiry = ?, expires_at = ?, updated_at = ? "
      "WHERE id = ? AND status IN (?, ?)");
  if (!update) return update.status();
  Statement& s = **update;
  s.bind(1, ttl_seconds)
      .bind(2, to_ms(date_expiry))
      .bind(3, to_ms(expires))
      .bind(4, to_ms(now))
      .bind(5, id)
      .bind(6, status::kOpen)
      .bind(7, status::kInProgress);
  return s.run();
}

Status record_session_interaction(Connection& db, const std::string& id, TimePoint at) {
  if (!db.one_writer_at_a_time()) return record_interaction_at_once(db, id, at);
  // One writer at a time: read, then write only the columns that change (their indexes are
  // not rewritten: this runs for every call).
  auto current = db.prepare(
      "SELECT ttl_seconds, date_expiry, last_interaction_at, expires_at, status FROM sessions "
      "WHERE id = ? AND status IN (?, ?)");
  if (!current) return current.status();
  (*current)->bind(1, id).bind(2, status::kOpen).bind(3, status::kInProgress);
  std::optional<int64_t> ttl, date_expiry, last, expires_now;
  bool open = false;
  auto found = (*current)->first([&](const Statement& row) {
    ttl = row.column_optional_int(0);
    date_expiry = row.column_optional_int(1);
    last = row.column_optional_int(2);
    expires_now = row.column_optional_int(3);
    open = row.column_text(4) == status::kOpen;
  });
  if (!found) return found.status();
  if (!*found) return Status::ok();  // closed meanwhile: nothing to move
  // Only ever forward: a delayed webhook must not move the last interaction (and the TTL
  // counted from it) backwards.
  if (!last || to_ms(at) > *last) {
    std::optional<int64_t> expires = date_expiry;
    if (!expires && ttl) expires = to_ms(at) + *ttl * 1000;
    // Columns that did not change stay out of the SET list, so their indexes (expiry,
    // status) are not rewritten: this runs for every call.
    std::string sql = "UPDATE sessions SET last_interaction_at = ?1, updated_at = ?1";
    int next = 3;
    if (expires != expires_now) sql += ", expires_at = ?" + std::to_string(next++);
    if (open) sql += ", status = ?" + std::to_string(next++);
    auto update = db.prepare(sql + " WHERE id = ?2");
    if (!update) return update.status();
    (*update)->bind(1, to_ms(at)).bind(2, id);
    next = 3;
    if (expires != expires_now) (*update)->bind(next++, expires);
    if (open) (*update)->bind(next++, status::kInProgress);
    return (*update)->run();
  }
  if (!open) return Status::ok();
  auto started = db.prepare("UPDATE sessions SET status = ? WHERE id = ?");
  if (!started) return started.status();
  (*started)->bind(1, status::kInProgress).bind(2, id);
  return (*started)->run();
}

Result<SessionPage> list_sessions(Connection& db, const std::string& status, size_t page_size,
                                  const std::string& page_token) {
  // Keyset paging, newest first: the token is "<created_at ms>:<id>" of the last row shown.
  int64_t after_created = INT64_MAX;
  std::string after_id;
  if (!page_token.empty()) {
    const size_t colon = page_token.find(':');
    char* end = nullptr;
    after_created = std::strtoll(page_token.c_str(), &end, 10);
    if (colon == std::string::npos || end != page_token.c_str() + colon) {
      return Status::invalid_argument("invalid pageToken");
    }
    after_id = page_token.substr(colon + 1);
  }
  std::string sql = std::string("SELECT ") + kSessionColumns +
                    " FROM sessions WHERE (created_at < ? OR (created_at = ? AND id < ?))";
  if (!status.empty()) sql += " AND status = ?";
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  auto statement = db.prepare(sql);
  if (!statement) return statement.status();
  Statement& s = **statement;
  int index = 1;
  s.bind(index++, after_created);
  s.bind(index++, after_created);
  s.bind(index++, after_id);  // first page: created_at < INT64_MAX already holds
  if (!status.empty()) s.bind(index++, status);
  s.bind(index, static_cast<int64_t>(page_size + 1));
  auto sessions = s.collect(read_session);
  if (!sessions) return sessions.status();
  SessionPage page;
  page.sessions = std::move(*sessions);
  if (page.sessions.size() > page_size) {
    page.sessions.pop_back();
    const SessionRecord& last = page.sessions.back();
    page.next_token = std::to_string(to_ms(last.created_at)) + ":" + last.id;
  }
  for (SessionRecord& session : page.sessions) {
    if (Status st = load_participants(db, session); !st) return st;
  }
  return page;
}

Result<std::vector<std::string>> sessions_due(Connection& db, TimePoint now, size_t limit) {
  // Through the expiry index, reading only what is due: the status index would visit (and
  // sort) every open session (272 ms a sweep at 1,000,000 of them). INDEXED BY makes SQLite
  // refuse the query rather than plan it any other way. Closing a session clears its
  // expires_at, so the index holds live (and creating) sessions only.
  auto statement = db.prepare("SELECT id FROM sessions" + db.index_hint("sessions_by_expiry") +
                              " WHERE expires_at IS NOT NULL AND expires_at <= ? "
                              "AND status IN (?, ?) ORDER BY expires_at LIMIT ?");
  if (!statement) return statement.status();
  (*statement)
      ->bind(1, to_ms(now))
      .bind(2, status::kOpen)
      .bind(3, status::kInProgress)
      .bind(4, static_cast<int64_t>(limit));
  return text_column(**statement);
}

Result<std::vector<std::string>> sessions_stuck_creating(Connection& db, TimePoint before,
                                                         size_t limit) {
  auto statement = db.prepare(
      "SELECT id FROM sessions WHERE status = ? AND created_at < ? ORDER BY created_at LIMIT ?");
  if (!statement) return statement.status();
  (*statement)
      ->bind(1, status::kCreating)
      .bind(2, to_ms(before))
      .bind(3, static_cast<int64_t>(limit));
  return text_column(**statement);
}

Result<std::vector<std::pair<std::string, std::string>>> mark_sessions_reconciled(Connection& db,
                                                                                  TimePoint now,
                                                                                  size_t limit) {
  // Through its partial index, reading `limit` rows: planned through the status index
  // instead, it sorted every live session each round (15% of a core idle at 1,000,000).
  // Hosts sweeping at once skip each other's rows (PostgreSQL).
  auto statement =
      db.prepare("UPDATE sessions SET reconciled_at = ? WHERE id IN (SELECT id FROM sessions" +
                 db.index_hint("sessions_to_reconcile") +
                 " WHERE status IN ('open', 'in-progress') "
                 "AND conversation_sid IS NOT NULL ORDER BY reconciled_at, id LIMIT ?" +
                 std::string(db.skip_locked()) + ") RETURNING id, conversation_sid");
  if (!statement) return statement.status();
  (*statement)->bind(1, to_ms(now)).bind(2, static_cast<int64_t>(limit));
  return (*statement)->collect([](const Statement& row) {
    return std::pair<std::string, std::string>(row.column_text(0), row.column_text(1));
  });
}

}  // namespace mc::store::sql
