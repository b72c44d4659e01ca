#include "proxy/session_directory.h"

#include "store/sql/rows.h"

namespace mc::proxy {
namespace {

using store::sql::Connection;
using store::sql::from_ms;
using store::sql::Statement;
using store::sql::to_ms;

constexpr int kUniqueNameTaken = 80603;

constexpr const char* kSessionColumns = "session_id, service_sid, unique_name, created_at";

ProxySession read_session(const Statement& row) {
  return {row.column_text(0), row.column_text(1), row.column_optional_text(2),
          from_ms(row.column_int(3))};
}

constexpr const char* kParticipantColumns =
    "sid, session_id, identifier, friendly_name, proxy_identifier, position, created_at, "
    "deleted_at";

ProxyParticipant read_participant(const Statement& row) {
  return {row.column_text(0),         row.column_text(1),
          row.column_text(2),         row.column_optional_text(3),
          row.column_text(4),         row.column_int(5),
          from_ms(row.column_int(6)), from_ms(row.column_optional_int(7))};
}

}  // namespace

Status insert_proxy_session(Connection& db, const ProxySession& s) {
  if (s.unique_name) {
    // Checked first, so a name taken gets its own answer rather than the index's; the
    // index still decides between two creates racing for one name.
    auto taken = db.prepare(
        "SELECT session_id FROM proxy_sessions WHERE service_sid = ? AND unique_name = ?");
    if (!taken) return taken.status();
    (*taken)->bind(1, s.service_sid).bind(2, *s.unique_name);
    auto found = (*taken)->first_as([](const Statement& row) { return row.column_text(0); });
    if (!found) return found.status();
    if (*found) {
      return Status::conflict("Session UniqueName " + *s.unique_name + " is already in use",
                              kUniqueNameTaken);
    }
  }
  auto insert = db.prepare(std::string("INSERT INTO proxy_sessions (") + kSessionColumns +
                           ") VALUES (?, ?, ?, ?)");
  if (!insert) return insert.status();
  (*insert)
      ->bind(1, s.session_id)
      .bind(2, s.service_sid)
      .bind(3, s.unique_name)
      .bind(4, to_ms(s.created_at));
  return (*insert)->run();
}

Status insert_proxy_participant(Connection& db, const ProxyParticipant& p) {
  auto insert = db.prepare(std::string("INSERT INTO proxy_participants (") + kParticipantColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.status();
  (*insert)
      ->bind(1, p.sid)
      .bind(2, p.session_id)
      .bind(3, p.identifier)
      .bind(4, p.friendly_name)
      .bind(5, p.proxy_identifier)
      .bind(6, p.position)
      .bind(7, to_ms(p.created_at))
      .bind(8, to_ms(p.deleted_at));
  return (*insert)->run();
}

Status delete_proxy_participant(Connection& db, const std::string& sid) {
  auto remove = db.prepare("DELETE FROM proxy_participants WHERE sid = ?");
  if (!remove) return remove.status();
  (*remove)->bind(1, sid);
  return (*remove)->run();
}

Status mark_participant_deleted(Connection& db, const std::string& sid, TimePoint at) {
  auto update = db.prepare(
      "UPDATE proxy_participants SET deleted_at = ? WHERE sid = ? AND deleted_at IS NULL");
  if (!update) return update.status();
  (*update)->bind(1, to_ms(at)).bind(2, sid);
  return (*update)->run();
}

Result<std::optional<ProxySession>> SessionDirectory::find(const std::string& service_sid,
                                                           const std::string& key) {
  return runner_.read_with<std::optional<ProxySession>>(
      [&](Connection& db) -> Result<std::optional<ProxySession>> {
        auto statement = db.prepare(std::string("SELECT ") + kSessionColumns +
                                    " FROM proxy_sessions WHERE service_sid = ? AND "
                                    "(session_id = ? OR unique_name = ?) "
                                    "ORDER BY CASE WHEN session_id = ? THEN 0 ELSE 1 END LIMIT 1");
        if (!statement) return statement.status();
        (*statement)->bind(1, service_sid).bind(2, key).bind(3, key).bind(4, key);
        return (*statement)->first_as(read_session);
      });
}

Result<std::optional<ProxySession>> SessionDirectory::of_session(const std::string& session_id) {
  return runner_.read_with<std::optional<ProxySession>>(
      [&](Connection& db) -> Result<std::optional<ProxySession>> {
        auto statement = db.prepare(std::string("SELECT ") + kSessionColumns +
                                    " FROM proxy_sessions WHERE session_id = ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, session_id);
        return (*statement)->first_as(read_session);
      });
}

Result<std::vector<ProxySession>> SessionDirectory::list(const std::string& service_sid,
                                                         size_t offset, size_t limit) {
  return runner_.read_with<std::vector<ProxySession>>(
      [&](Connection& db) -> Result<std::vector<ProxySession>> {
        auto statement = db.prepare(std::string("SELECT ") + kSessionColumns +
                                    " FROM proxy_sessions WHERE service_sid = ? "
                                    "ORDER BY created_at DESC, session_id DESC LIMIT ? OFFSET ?");
        if (!statement) return statement.status();
        (*statement)
            ->bind(1, service_sid)
            .bind(2, static_cast<int64_t>(limit))
            .bind(3, static_cast<int64_t>(offset));
        return (*statement)->collect(read_session);
      });
}

Result<std::vector<std::string>> SessionDirectory::live_session_ids(
    const std::string& service_sid) {
  return runner_.read_with<std::vector<std::string>>(
      [&](Connection& db) -> Result<std::vector<std::string>> {
        auto statement = db.prepare(
            "SELECT p.session_id FROM proxy_sessions p JOIN sessions s ON s.id = p.session_id "
            "WHERE p.service_sid = ? AND s.status IN ('open', 'in-progress', 'creating', "
            "'recovering')");
        if (!statement) return statement.status();
        (*statement)->bind(1, service_sid);
        return store::sql::text_column(**statement);
      });
}

Status SessionDirectory::remove(const std::string& session_id) {
  return runner_.write([&](Connection& db) -> Status {
    for (const char* sql : {"DELETE FROM proxy_participants WHERE session_id = ?",
                            "DELETE FROM proxy_deleted_interactions WHERE session_id = ?",
                            "DELETE FROM proxy_sessions WHERE session_id = ?"}) {
      auto statement = db.prepare(sql);
      if (!statement) return statement.status();
      (*statement)->bind(1, session_id);
      if (Status s = (*statement)->run(); !s) return s;
    }
    return Status::ok();
  });
}

Status SessionDirectory::delete_interaction(const std::string& session_id,
                                            const std::string& interaction_sid, TimePoint at) {
  return runner_.write([&](Connection& db) -> Status {
    auto statement = db.prepare(
        "INSERT INTO proxy_deleted_interactions (session_id, interaction_sid, deleted_at) "
        "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    if (!statement) return statement.status();
    (*statement)->bind(1, session_id).bind(2, interaction_sid).bind(3, to_ms(at));
    return (*statement)->run();
  });
}

Result<std::set<std::string>> SessionDirectory::deleted_interactions(
    const std::string& session_id) {
  return runner_.read_with<std::set<std::string>>(
      [&](Connection& db) -> Result<std::set<std::string>> {
        auto statement = db.prepare(
            "SELECT interaction_sid FROM proxy_deleted_interactions WHERE session_id = ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, session_id);
        auto sids = (*statement)->collect([](const store::sql::Statement& row) {
          return row.column_text(0);
        });
        if (!sids) return sids.status();
        return std::set<std::string>(sids->begin(), sids->end());
      });
}

Result<std::vector<ProxyParticipant>> participants_of(Connection& db,
                                                      const std::string& session_id) {
  auto statement = db.prepare(std::string("SELECT ") + kParticipantColumns +
                              " FROM proxy_participants WHERE session_id = ? "
                              "ORDER BY position, sid");
  if (!statement) return statement.status();
  (*statement)->bind(1, session_id);
  return (*statement)->collect(read_participant);
}

Result<std::vector<ProxyParticipant>> SessionDirectory::participants(
    const std::string& session_id) {
  return runner_.read_with<std::vector<ProxyParticipant>>(
      [&](Connection& db) { return participants_of(db, session_id); });
}

Result<std::optional<ProxyParticipant>> SessionDirectory::participant(const std::string& session_id,
                                                                      const std::string& sid) {
  return runner_.read_with<std::optional<ProxyParticipant>>(
      [&](Connection& db) -> Result<std::optional<ProxyParticipant>> {
        auto statement = db.prepare(std::string("SELECT ") + kParticipantColumns +
                                    " FROM proxy_participants WHERE session_id = ? AND sid = ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, session_id).bind(2, sid);
        return (*statement)->first_as(read_participant);
      });
}

Status SessionDirectory::mark_deleted(const std::string& sid, TimePoint at) {
  return runner_.write([&](Connection& db) { return mark_participant_deleted(db, sid, at); });
}

}  // namespace mc::proxy
