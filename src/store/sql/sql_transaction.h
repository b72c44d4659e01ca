// store::Transaction on one connection inside a write transaction (either backend): each
// operation is the query of its table (the *_queries.h files), shared with SqlStore's reads.
#pragma once

#include <map>

#include "store/sql/connection.h"
#include "store/store.h"

namespace mc::store::sql {

class SqlTransaction final : public Transaction {
 public:
  explicit SqlTransaction(Connection& db) : db_(db) {}

  // pool::CandidateSource
  Result<std::vector<std::string>> numbers_held_by(const std::string& address) override;
  Result<std::optional<std::string>> sticky_number(
      const std::string& address, const std::vector<std::string>& counterparts) override;
  Result<std::vector<pool::Candidate>> least_loaded(const pool::Tier& tier, size_t limit) override;
  Result<std::optional<pool::Candidate>> candidate(const std::string& number) override;

  Status lock_addresses(const std::vector<std::string>& addresses) override;
  Status lock_session(const std::string& id) override;
  Status insert_session(const SessionRecord& session) override;
  Status add_participant(const ParticipantRecord& participant) override;
  Result<std::optional<ActiveBinding>> active_binding(const std::string& address,
                                                      const std::string& proxy) override;
  Result<std::optional<SessionRecord>> session(const std::string& id) override;
  Result<bool> change_status(const std::string& id, const std::vector<std::string>& from,
                             const std::string& to, TimePoint now,
                             const std::string& closed_reason) override;
  Status set_conversation(const std::string& id, const std::string& conversation_sid,
                          const std::string& conversation_json,
                          const std::vector<std::pair<std::string, std::string>>& participant_sids,
                          TimePoint now) override;
  Status set_participant_sids(
      const std::string& session_id,
      const std::vector<std::pair<std::string, std::string>>& participant_sids) override;
  Status release_participants(const std::string& session_id) override;
  Result<bool> release_participant(const std::string& session_id,
                                   const std::string& address) override;
  Status set_expiry(const std::string& id, std::optional<int64_t> ttl_seconds,
                    std::optional<TimePoint> date_expiry, TimePoint now) override;
  Connection* connection() override { return &db_; }
  Status record_interaction(const std::string& session_id, TimePoint at) override;
  Status enqueue(const std::string& kind, const std::string& payload, TimePoint due) override;
  Result<bool> record_call(const CallRecord& call) override;
  Result<bool> update_call_status(const std::string& call_sid, const std::string& status,
                                  std::optional<int64_t> duration_seconds, TimePoint at) override;
  Status set_recording(const std::string& call_sid, const std::string& recording_sid,
                       const std::string& recording_url,
                       std::optional<int64_t> recording_duration) override;
  Result<std::optional<CallRecord>> call(const std::string& call_sid) override;
  Result<std::vector<CallRecord>> call_legs(const std::string& parent_call_sid) override;
  Result<bool> record_message(const MessageRecord& message) override;
  Result<bool> set_opt_out(const std::string& address, const std::string& proxy, bool opted_out,
                           TimePoint at) override;
  Result<std::optional<std::string>> last_session_of_pair(const std::string& address,
                                                          const std::string& proxy) override;

  // After the work succeeded, before the commit: writes the load changes, number by number
  // in sorted order. ABORTED when a number has no room left.
  Status finish();

 private:
  // The candidates as this transaction sees them: their loads with its own changes, the
  // full ones left out, least loaded first.
  std::vector<pool::Candidate> with_pending_loads(std::vector<pool::Candidate> candidates) const;

  Connection& db_;
  std::map<std::string, int64_t> pending_loads_;  // number -> load change not yet written
};

// The first of `calls`, if any.
std::optional<CallRecord> first_call(std::vector<CallRecord> calls);

}  // namespace mc::store::sql
