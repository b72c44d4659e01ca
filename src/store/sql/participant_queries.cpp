#include "store/sql/participant_queries.h"

#include "store/sql/rows.h"

namespace mc::store::sql {

Status load_participants(Connection& db, SessionRecord& session) {
  auto statement = db.prepare(std::string("SELECT ") + kParticipantColumns +
                              " FROM participants WHERE session_id = ? ORDER BY id");
  if (!statement) return statement.status();
  (*statement)->bind(1, session.id);
  session.participants.clear();
  return (*statement)->each([&](const Statement& row) {
    session.participants.push_back(read_participant(row));
  });
}

Result<std::vector<std::string>> numbers_held_by(Connection& db, const std::string& address) {
  auto statement = db.prepare(
      "SELECT proxy_number FROM participants WHERE address = ?1 AND active = 1 "
      "UNION SELECT proxy_number FROM opt_outs WHERE address = ?1");
  if (!statement) return statement.status();
  (*statement)->bind(1, address);
  return text_column(**statement);
}

Result<std::optional<std::string>> sticky_number(Connection& db, const std::string& address,
                                                 const std::vector<std::string>& counterparts) {
  auto statement = db.prepare(
      "SELECT a.proxy_number FROM participants a JOIN participants b "
      "ON b.session_id = a.session_id AND b.address <> a.address "
      "WHERE a.address = ? AND b.address IN (" +
      placeholders(counterparts.size()) + ") ORDER BY a.id DESC LIMIT 1");
  if (!statement) return statement.status();
  Statement& s = **statement;
  s.bind(1, address);
  for (size_t i = 0; i < counterparts.size(); ++i) s.bind(static_cast<int>(i + 2), counterparts[i]);
  auto numbers = text_column(s);
  if (!numbers) return numbers.status();
  if (numbers->empty()) return std::optional<std::string>();
  return std::optional<std::string>(numbers->front());
}

Status insert_participant(Connection& db, const ParticipantRecord& p) {
  auto participant = db.prepare(
      "INSERT INTO participants (session_id, address, proxy_number, friendly_name, "
      "participant_sid, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
  if (!participant) return participant.status();
  (*participant)
      ->bind(1, p.session_id)
      .bind(2, p.address)
      .bind(3, p.proxy_number)
      .bind(4, p.friendly_name)
      .bind(5, p.participant_sid)
      .bind(6, to_ms(p.created_at));
  return (*participant)->run();
}

Status set_participant_sids(Connection& db, const std::string& session_id,
                            const std::vector<std::pair<std::string, std::string>>& sids) {
  for (const auto& [address, sid] : sids) {
    auto participant = db.prepare(
        "UPDATE participants SET participant_sid = ? WHERE session_id = ? AND address = ?");
    if (!participant) return participant.status();
    (*participant)->bind(1, sid).bind(2, session_id).bind(3, address);
    if (Status s = (*participant)->run(); !s) return s;
  }
  return Status::ok();
}

Result<std::vector<std::string>> release_participants(Connection& db,
                                                      const std::string& session_id) {
  // One UPDATE decides which participants this transaction releases: two releasing the
  // same session at once (on PostgreSQL) each see only what they deactivated.
  auto deactivate = db.prepare(
      "UPDATE participants SET active = 0 WHERE session_id = ? AND active = 1 "
      "RETURNING proxy_number");
  if (!deactivate) return deactivate.status();
  (*deactivate)->bind(1, session_id);
  return text_column(**deactivate);
}

Result<std::optional<std::string>> release_participant(Connection& db,
                                                       const std::string& session_id,
                                                       const std::string& address) {
  auto deactivate = db.prepare(
      "UPDATE participants SET active = 0 WHERE session_id = ? AND address = ? AND active = 1 "
      "RETURNING proxy_number");
  if (!deactivate) return deactivate.status();
  (*deactivate)->bind(1, session_id).bind(2, address);
  auto numbers = text_column(**deactivate);
  if (!numbers) return numbers.status();
  if (numbers->empty()) return std::optional<std::string>();
  return std::optional<std::string>(numbers->front());
}

Result<std::optional<ActiveBinding>> find_active_binding(Connection& db, const std::string& address,
                                                         const std::string& proxy) {
  auto statement = db.prepare(
      "SELECT p.session_id, s.status, s.mode FROM participants p "
      "JOIN sessions s ON s.id = p.session_id "
      "WHERE p.address = ? AND p.proxy_number = ? AND p.active = 1 AND s.status IN (?, ?)");
  if (!statement) return statement.status();
  (*statement)->bind(1, address).bind(2, proxy).bind(3, status::kOpen).bind(4, status::kInProgress);
  std::optional<ActiveBinding> binding;
  auto found = (*statement)->first([&](const Statement& row) {
    binding =
        ActiveBinding{row.column_text(0), row.column_text(1), row.column_text(2), address, proxy};
  });
  if (!found) return found.status();
  return binding;
}

Result<std::optional<std::string>> last_session_of_pair(Connection& db, const std::string& address,
                                                        const std::string& proxy) {
  auto statement = db.prepare(
      "SELECT session_id FROM participants WHERE address = ? AND proxy_number = ? "
      "ORDER BY id DESC LIMIT 1");
  if (!statement) return statement.status();
  (*statement)->bind(1, address).bind(2, proxy);
  auto ids = text_column(**statement);
  if (!ids) return ids.status();
  if (ids->empty()) return std::optional<std::string>();
  return std::optional<std::string>(ids->front());
}

}  // namespace mc::store::sql
