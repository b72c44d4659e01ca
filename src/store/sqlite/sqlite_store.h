// The SQLite Store: one database file shared by every worker thread (through a connection
// pool) and by every worker process on the host (WAL mode, busy timeout, BEGIN IMMEDIATE
// write transactions).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/connection_pool.h"
#include "store/store.h"

namespace mc::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens the file and brings its schema up to date.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   std::chrono::milliseconds busy_timeout);

  Status ping() override;
  Status transact(const std::function<Status(Transaction&)>& work) override;
  Status sync_pool(const std::vector<PoolNumber>& numbers, bool retire_others) override;
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
  Result<std::vector<OutboxItem>> claim_outbox(TimePoint now, std::chrono::milliseconds lease,
                                               size_t limit) override;
  Status complete_outbox(int64_t id) override;
  Status retry_outbox(int64_t id, TimePoint next_attempt, const std::string& error) override;
  Result<int64_t> outbox_size() override;

 private:
  explicit SqliteStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}
  // BEGIN IMMEDIATE, `work`, COMMIT; rolled back and rerun (a few times) when the database
  // is busy or a concurrent writer made `work` fail with ABORTED.
  Status in_transaction(const std::function<Status(Connection&)>& work);
  std::unique_ptr<ConnectionPool> pool_;
  // SQLite has one writer at a time. Threads of this process queue here, in order, rather
  // than in SQLite's busy handler, which polls with growing sleeps (seen: p99 over 1 s at 32
  // concurrent creates). Other processes still meet SQLite's own lock and busy timeout.
  std::mutex write_mutex_;
};

}  // namespace mc::store::sqlite
