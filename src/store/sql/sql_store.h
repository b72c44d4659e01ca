// The Store over the shared SQL layer: each method is a query of its table's file
// (*_queries.h) run by the backend's Runner, and Transaction is SqlTransaction. SqliteStore
// and PostgresStore are this with their own connections, runner and change signal.
#pragma once

#include "store/sql/runner.h"
#include "store/store.h"

namespace mc::store::sql {

class SqlStore : public Store {
 public:
  Status ping() override;
  Status transact(const std::function<Status(Transaction&)>& work) override;
  Status sync_pool(const std::vector<PoolNumber>& numbers, bool retire_others) override;
  Result<bool> set_pool_flags(const std::string& number, std::optional<bool> reserved,
                              std::optional<bool> retired) override;
  Result<std::vector<PoolNumber>> pool_numbers() override;
  Result<std::optional<PoolNumber>> pool_number(const std::string& number) override;
  Result<std::optional<SessionRecord>> session(const std::string& id) override;
  Result<std::optional<SessionRecord>> session_by_conversation(
      const std::string& conversation_sid) override;
  Result<SessionPage> list_sessions(const std::string& status, size_t page_size,
                                    const std::string& page_token) override;
  Result<std::optional<ActiveBinding>> active_binding(const std::string& address,
                                                      const std::string& proxy) override;
  Result<std::vector<std::string>> sessions_due(TimePoint now, size_t limit) override;
  Result<std::vector<std::string>> sessions_stuck_creating(TimePoint before, size_t limit) override;
  Result<std::vector<std::pair<std::string, std::string>>> claim_sessions_to_reconcile(
      TimePoint now, size_t limit) override;
  Result<std::optional<CallRecord>> call(const std::string& call_sid) override;
  Result<std::vector<CallRecord>> calls_for_session(const std::string& session_id) override;
  Result<std::vector<CallEvent>> call_events(const std::string& call_sid) override;
  Result<bool> record_message(const MessageRecord& message) override;
  Result<MessagePage> list_messages(const std::string& session_id, size_t page_size,
                                    const std::string& page_token) override;
  Result<int64_t> erase_message_bodies(TimePoint before, size_t limit) override;
  Result<bool> record_delivery(const std::string& message_sid, const std::string& address,
                               const std::string& status, int error_code) override;
  Result<bool> set_opt_out(const std::string& address, const std::string& proxy, bool opted_out,
                           TimePoint at) override;
  Result<std::vector<std::string>> opted_out_participants(const std::string& session_id) override;
  Result<int64_t> scan_live_sessions(const std::function<void(LiveSession&&)>& each) override;
  Result<std::optional<LiveSession>> live_session(const std::string& id) override;
  Result<std::vector<BindingChange>> binding_changes(int64_t from, size_t limit) override;
  Status prune_logs(TimePoint before) override;
  Result<std::vector<OutboxItem>> claim_outbox(TimePoint now, std::chrono::milliseconds lease,
                                               size_t limit) override;
  Status complete_outbox(int64_t id) override;
  Status retry_outbox(int64_t id, TimePoint next_attempt, const std::string& error) override;
  Result<int64_t> outbox_size() override;
  Runner* sql_runner() override { return &runner_; }

 protected:
  explicit SqlStore(Runner& runner) : runner_(runner) {}

 private:
  Runner& runner_;
};

}  // namespace mc::store::sql
