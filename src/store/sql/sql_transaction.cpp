#include "store/sql/sql_transaction.h"

#include <algorithm>

#include "store/sql/call_queries.h"
#include "store/sql/message_queries.h"
#include "store/sql/outbox_queries.h"
#include "store/sql/participant_queries.h"
#include "store/sql/pool_queries.h"
#include "store/sql/rows.h"
#include "store/sql/session_queries.h"

namespace mc::store::sql {

std::optional<CallRecord> first_call(std::vector<CallRecord> calls) {
  if (calls.empty()) return std::nullopt;
  return std::move(calls.front());
}

Result<std::vector<std::string>> SqlTransaction::numbers_held_by(const std::string& address) {
  return sql::numbers_held_by(db_, address);
}

Result<std::optional<std::string>> SqlTransaction::sticky_number(
    const std::string& address, const std::vector<std::string>& counterparts) {
  return sql::sticky_number(db_, address, counterparts);
}

Result<std::vector<pool::Candidate>> SqlTransaction::least_loaded(const pool::Tier& tier,
                                                                  size_t limit) {
  // Numbers this transaction filled may be among the first `limit`: read as many more.
  auto found = least_loaded_numbers(db_, tier, limit + pending_loads_.size());
  if (!found) return found.status();
  std::vector<pool::Candidate> candidates = with_pending_loads(std::move(*found));
  if (candidates.size() > limit) candidates.resize(limit);
  return candidates;
}

Result<std::optional<pool::Candidate>> SqlTransaction::candidate(const std::string& number) {
  auto found = find_pool_number(db_, number);
  if (!found) return found.status();
  if (!*found) return std::optional<pool::Candidate>();
  pool::Candidate candidate = to_candidate(**found);
  if (auto pending = pending_loads_.find(number); pending != pending_loads_.end()) {
    candidate.load += static_cast<int>(pending->second);
  }
  return std::optional<pool::Candidate>(std::move(candidate));
}

std::vector<pool::Candidate> SqlTransaction::with_pending_loads(
    std::vector<pool::Candidate> candidates) const {
  if (pending_loads_.empty()) return candidates;
  std::vector<pool::Candidate> out;
  for (pool::Candidate& c : candidates) {
    if (auto pending = pending_loads_.find(c.number); pending != pending_loads_.end()) {
      c.load += static_cast<int>(pending->second);
    }
    if (c.load < c.capacity) out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const pool::Candidate& a, const pool::Candidate& b) {
    return a.load != b.load ? a.load < b.load : a.number < b.number;
  });
  return out;
}

Status SqlTransaction::lock_addresses(const std::vector<std::string>& addresses) {
  std::vector<std::string> sorted = addresses;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const std::string& address : sorted) {
    if (Status s = db_.lock_key("address " + address); !s) return s;
  }
  return Status::ok();
}

Status SqlTransaction::lock_session(const std::string& id) { return db_.lock_key("session " + id); }

Status SqlTransaction::finish() {
  for (const auto& [number, delta] : pending_loads_) {  // a std::map: sorted by number
    if (delta == 0) continue;
    if (Status s = change_load(db_, number, delta); !s) return s;
  }
  pending_loads_.clear();
  return Status::ok();
}

Status SqlTransaction::insert_session(const SessionRecord& session) {
  return sql::insert_session(db_, session);
}

Status SqlTransaction::add_participant(const ParticipantRecord& participant) {
  if (Status s = insert_participant(db_, participant); !s) return s;
  ++pending_loads_[participant.proxy_number];
  return Status::ok();
}

Result<std::optional<ActiveBinding>> SqlTransaction::active_binding(const std::string& address,
                                                                    const std::string& proxy) {
  return find_active_binding(db_, address, proxy);
}

Result<std::optional<SessionRecord>> SqlTransaction::session(const std::string& id) {
  return find_session(db_, "id = ?", id);
}

Result<bool> SqlTransaction::change_status(const std::string& id,
                                           const std::vector<std::string>& from,
                                           const std::string& to, TimePoint now,
                                           const std::string& closed_reason) {
  return change_session_status(db_, id, from, to, now, closed_reason);
}

Status SqlTransaction::set_conversation(
    const std::string& id, const std::string& conversation_sid,
    const std::string& conversation_json,
    const std::vector<std::pair<std::string, std::string>>& participant_sids, TimePoint now) {
  if (Status s = set_session_conversation(db_, id, conversation_sid, conversation_json, now); !s) {
    return s;
  }
  return sql::set_participant_sids(db_, id, participant_sids);
}

Status SqlTransaction::set_participant_sids(
    const std::string& session_id,
    const std::vector<std::pair<std::string, std::string>>& participant_sids) {
  return sql::set_participant_sids(db_, session_id, participant_sids);
}

Status SqlTransaction::release_participants(const std::string& session_id) {
  auto released = sql::release_participants(db_, session_id);
  if (!released) return released.status();
  for (const std::string& number : *released) --pending_loads_[number];
  return Status::ok();
}

Result<bool> SqlTransaction::release_participant(const std::string& session_id,
                                                 const std::string& address) {
  auto released = sql::release_participant(db_, session_id, address);
  if (!released) return released.status();
  if (!*released) return false;
  --pending_loads_[**released];
  return true;
}

Status SqlTransaction::set_expiry(const std::string& id, std::optional<int64_t> ttl_seconds,
                                  std::optional<TimePoint> date_expiry, TimePoint now) {
  return set_session_expiry(db_, id, ttl_seconds, date_expiry, now);
}

Status SqlTransaction::record_interaction(const std::string& session_id, TimePoint at) {
  return record_session_interaction(db_, session_id, at);
}

Status SqlTransaction::enqueue(const std::string& kind, const std::string& payload, TimePoint due) {
  return enqueue_outbox(db_, kind, payload, due);
}

Result<bool> SqlTransaction::record_call(const CallRecord& call) { return insert_call(db_, call); }

Result<bool> SqlTransaction::update_call_status(const std::string& call_sid,
                                                const std::string& status,
                                                std::optional<int64_t> duration_seconds,
                                                TimePoint at) {
  return sql::update_call_status(db_, call_sid, status, duration_seconds, at);
}

Status SqlTransaction::set_recording(const std::string& call_sid, const std::string& recording_sid,
                                     const std::string& recording_url,
                                     std::optional<int64_t> recording_duration) {
  return set_call_recording(db_, call_sid, recording_sid, recording_url, recording_duration);
}

Result<std::optional<CallRecord>> SqlTransaction::call(const std::string& call_sid) {
  auto calls = find_calls(db_, "call_sid = ?", call_sid);
  if (!calls) return calls.status();
  return first_call(std::move(*calls));
}

Result<std::vector<CallRecord>> SqlTransaction::call_legs(const std::string& parent_call_sid) {
  return find_calls(db_, "parent_call_sid = ? AND parent_call_sid <> ''", parent_call_sid);
}

Result<std::optional<std::string>> SqlTransaction::last_session_of_pair(const std::string& address,
                                                                        const std::string& proxy) {
  return sql::last_session_of_pair(db_, address, proxy);
}

Result<bool> SqlTransaction::record_message(const MessageRecord& message) {
  return insert_message(db_, message);
}

Result<bool> SqlTransaction::set_opt_out(const std::string& address, const std::string& proxy,
                                         bool opted_out, TimePoint at) {
  return sql::set_opt_out(db_, address, proxy, opted_out, at);
}

}  // namespace mc::store::sql
