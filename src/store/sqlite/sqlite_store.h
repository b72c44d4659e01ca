// The SQLite Store: one database file shared by every worker thread (through a connection
// pool) and by every worker process on the host (WAL mode, busy timeout, BEGIN IMMEDIATE
// write transactions). Each method is a query of its table's file (*_queries.h) run by the
// TransactionRunner; Transaction is SqliteTransaction.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/sqlite/change_signal.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/transaction_runner.h"
#include "store/store.h"

namespace mc::store::sqlite {

class SqliteStore final : public Store {
 public:
  ~SqliteStore() override;

  // Opens the file and brings its schema up to date; `checkpoints` tunes the background
  // checkpointer (checkpointer.h).
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   std::chrono::milliseconds busy_timeout,
                                                   CheckpointerOptions checkpoints = {});
  // WAL restarts the checkpointer has achieved.
  int64_t wal_restarts() const { return checkpointer_->restarts(); }

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
  Result<int64_t> scan_live_sessions(const std::function<void(LiveSession&&)>& each) override;
  Result<std::optional<LiveSession>> live_session(const std::string& id) override;
  Result<std::vector<BindingChange>> binding_changes(int64_t from, size_t limit) override;
  Status prune_logs(TimePoint before) override;
  std::optional<uint64_t> binding_signal() override { return signal_->value(); }
  Result<std::vector<OutboxItem>> claim_outbox(TimePoint now, std::chrono::milliseconds lease,
                                               size_t limit) override;
  Status complete_outbox(int64_t id) override;
  Status retry_outbox(int64_t id, TimePoint next_attempt, const std::string& error) override;
  Result<int64_t> outbox_size() override;

 private:
  SqliteStore(std::unique_ptr<ConnectionPool> pool, CheckpointerOptions checkpoints,
              std::unique_ptr<ChangeSignal> signal);

  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<ChangeSignal> signal_;        // bumped after commits changing bindings
  TransactionRunner runner_;                    // reads and writes on pool_
  std::unique_ptr<Checkpointer> checkpointer_;  // the WAL copied back and bounded
};

}  // namespace mc::store::sqlite
