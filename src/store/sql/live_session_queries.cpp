#include "store/sql/live_session_queries.h"

#include "store/sql/rows.h"

namespace mc::store::sql {
namespace {

Result<int64_t> newest_change(Connection& db) {
  auto statement = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM binding_changes");
  if (!statement) return statement.status();
  int64_t seq = 0;
  auto found = (*statement)->first([&](const Statement& row) { seq = row.column_int(0); });
  if (!found) return found.status();
  return seq;
}

}  // namespace

Result<int64_t> scan_live_sessions(Connection& db, const std::function<void(LiveSession&&)>& each) {
  if (Status s = db.exec(db.begin_snapshot()); !s) return s;
  auto seq = newest_change(db);
  auto statement = db.prepare(
      "SELECT s.id, s.mode, s.voice_options, p.address, p.proxy_number FROM sessions s "
      "JOIN participants p ON p.session_id = s.id AND p.active = 1 "
      "WHERE s.status IN (?, ?) ORDER BY s.id");
  Status scanned = !seq ? seq.status() : statement.status();
  if (seq && statement) {
    (*statement)->bind(1, status::kOpen).bind(2, status::kInProgress);
    LiveSession current;
    scanned = (*statement)->each([&](const Statement& row) {
      std::string id = row.column_text(0);
      if (id != current.id) {
        if (!current.id.empty()) each(std::move(current));
        current = LiveSession{std::move(id), row.column_text(1), row.column_text(2), {}};
      }
      current.members.push_back({row.column_text(3), row.column_text(4)});
    });
    if (scanned && !current.id.empty()) each(std::move(current));
  }
  db.exec("COMMIT");  // a read transaction: nothing to keep or lose
  if (!scanned) return scanned;
  return seq;
}

Result<std::optional<LiveSession>> find_live_session(Connection& db, const std::string& id) {
  auto statement = db.prepare(
      "SELECT s.mode, s.voice_options, p.address, p.proxy_number FROM sessions s "
      "JOIN participants p ON p.session_id = s.id AND p.active = 1 "
      "WHERE s.id = ? AND s.status IN (?, ?) ORDER BY p.id");
  if (!statement) return statement.status();
  (*statement)->bind(1, id).bind(2, status::kOpen).bind(3, status::kInProgress);
  std::optional<LiveSession> session;
  Status read = (*statement)->each([&](const Statement& row) {
    if (!session) session = LiveSession{id, row.column_text(0), row.column_text(1), {}};
    session->members.push_back({row.column_text(2), row.column_text(3)});
  });
  if (!read) return read;
  return session;
}

Result<std::vector<BindingChange>> binding_changes_from(Connection& db, int64_t from,
                                                        size_t limit) {
  auto statement =
      db.prepare("SELECT seq, session_id FROM binding_changes WHERE seq >= ? ORDER BY seq LIMIT ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, from).bind(2, static_cast<int64_t>(limit));
  return (*statement)->collect([](const Statement& row) {
    return BindingChange{row.column_int(0), row.column_text(1)};
  });
}

Result<int64_t> prune_binding_changes(Connection& db, TimePoint before, size_t limit) {
  auto statement = db.prepare(
      "DELETE FROM binding_changes WHERE seq IN (SELECT seq FROM binding_changes "
      "WHERE at < ? AND seq < (SELECT MAX(seq) FROM binding_changes) ORDER BY at LIMIT ?)");
  if (!statement) return statement.status();
  (*statement)->bind(1, to_ms(before)).bind(2, static_cast<int64_t>(limit));
  if (Status s = (*statement)->run(); !s) return s;
  return db.changes();
}

}  // namespace mc::store::sql
