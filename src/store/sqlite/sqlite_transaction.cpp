#include "store/sqlite/sqlite_transaction.h"

#include "store/sqlite/call_queries.h"
#include "store/sqlite/outbox_queries.h"
#include "store/sqlite/participant_queries.h"
#include "store/sqlite/pool_queries.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/session_queries.h"

namespace mc::store::sqlite {

std::optional<CallRecord> first_call(std::vector<CallRecord> calls) {
  if (calls.empty()) return std::nullopt;
  return std::move(calls.front());
}

Result<std::vector<std::string>> SqliteTransaction::numbers_held_by(const std::string& address) {
  return sqlite::numbers_held_by(db_, address);
}

Result<std::optional<std::string>> SqliteTransaction::sticky_number(
    const std::string& address, const std::vector<std::string>& counterparts) {
  return sqlite::sticky_number(db_, address, counterparts);
}

Result<std::vector<pool::Candidate>> SqliteTransaction::least_loaded(const pool::Tier& tier,
                                                                     size_t limit) {
  return least_loaded_numbers(db_, tier, limit);
}

Result<std::optional<pool::Candidate>> SqliteTransaction::candidate(const std::string& number) {
  auto found = find_pool_number(db_, number);
  if (!found) return found.status();
  if (!*found) return std::optional<pool::Candidate>();
  return std::optional<pool::Candidate>(to_candidate(**found));
}

Status SqliteTransaction::insert_session(const SessionRecord& session) {
  return sqlite::insert_session(db_, session);
}

Status SqliteTransaction::add_participant(const ParticipantRecord& participant) {
  return insert_participant(db_, participant);
}

Result<std::optional<SessionRecord>> SqliteTransaction::session(const std::string& id) {
  return find_session(db_, "id = ?", id);
}

Result<bool> SqliteTransaction::change_status(const std::string& id,
                                              const std::vector<std::string>& from,
                                              const std::string& to, TimePoint now,
                                              const std::string& closed_reason) {
  return change_session_status(db_, id, from, to, now, closed_reason);
}

Status SqliteTransaction::set_conversation(
    const std::string& id, const std::string& conversation_sid,
    const std::string& conversation_json,
    const std::vector<std::pair<std::string, std::string>>& participant_sids, TimePoint now) {
  if (Status s = set_session_conversation(db_, id, conversation_sid, conversation_json, now); !s) {
    return s;
  }
  return sqlite::set_participant_sids(db_, id, participant_sids);
}

Status SqliteTransaction::set_participant_sids(
    const std::string& session_id,
    const std::vector<std::pair<std::string, std::string>>& participant_sids) {
  return sqlite::set_participant_sids(db_, session_id, participant_sids);
}

Status SqliteTransaction::release_participants(const std::string& session_id) {
  return sqlite::release_participants(db_, session_id);
}

Status SqliteTransaction::record_interaction(const std::string& session_id, TimePoint at) {
  return record_session_interaction(db_, session_id, at);
}

Status SqliteTransaction::enqueue(const std::string& kind, const std::string& payload,
                                  TimePoint due) {
  return enqueue_outbox(db_, kind, payload, due);
}

Result<bool> SqliteTransaction::record_call(const CallRecord& call) {
  return insert_call(db_, call);
}

Result<bool> SqliteTransaction::update_call_status(const std::string& call_sid,
                                                   const std::string& status,
                                                   std::optional<int64_t> duration_seconds,
                                                   TimePoint at) {
  return sqlite::update_call_status(db_, call_sid, status, duration_seconds, at);
}

Status SqliteTransaction::set_recording(const std::string& call_sid,
                                        const std::string& recording_sid,
                                        const std::string& recording_url,
                                        std::optional<int64_t> recording_duration) {
  return set_call_recording(db_, call_sid, recording_sid, recording_url, recording_duration);
}

Result<std::optional<CallRecord>> SqliteTransaction::call(const std::string& call_sid) {
  auto calls = find_calls(db_, "call_sid = ?", call_sid);
  if (!calls) return calls.status();
  return first_call(std::move(*calls));
}

Result<std::vector<CallRecord>> SqliteTransaction::call_legs(const std::string& parent_call_sid) {
  return find_calls(db_, "parent_call_sid = ? AND parent_call_sid <> ''", parent_call_sid);
}

Result<std::optional<std::string>> SqliteTransaction::last_session_of_pair(
    const std::string& address, const std::string& proxy) {
  return sqlite::last_session_of_pair(db_, address, proxy);
}

}  // namespace mc::store::sqlite
