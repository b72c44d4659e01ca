// Runs units of work on the pool's connections: reads on any connection, writes one at a
// time in BEGIN IMMEDIATE transactions that commit when the work succeeds, roll back when it
// fails or throws, and are rerun (a few times) when a concurrent writer won a race for the
// masking index. After a commit that logged binding changes (the triggers' rows in
// binding_changes, whoever wrote them) it bumps the host's change signal.
#pragma once

#include <functional>
#include <mutex>

#include "core/status.h"
#include "store/sql/runner.h"
#include "store/sqlite/change_signal.h"
#include "store/sqlite/connection_pool.h"

namespace mc::store::sqlite {

class TransactionRunner final : public sql::Runner {
 public:
  TransactionRunner(ConnectionPool& pool, ChangeSignal& binding_signal)
      : pool_(pool), binding_signal_(binding_signal) {}

  // BEGIN IMMEDIATE, `work`, COMMIT. ABORTED from `work` rolls back and reruns it (backing
  // off outside the write mutex); a busy BEGIN has already waited SQLite's busy timeout and
  // is returned as it is (the caller answers 503).
  Status write(const std::function<Status(sql::Connection&)>& work) override;
  Status read(const std::function<Status(sql::Connection&)>& work) override;

  // Held by every write transaction of this process (and by the checkpointer's RESTART).
  std::mutex& write_mutex() { return write_mutex_; }

 private:
  ConnectionPool& pool_;
  ChangeSignal& binding_signal_;
  // SQLite has one writer at a time. Threads of this process queue here, in order, rather
  // than in SQLite's busy handler, which polls with growing sleeps (seen: p99 over 1 s at 32
  // concurrent creates). Other processes still meet SQLite's own lock and busy timeout.
  std::mutex write_mutex_;
};

}  // namespace mc::store::sqlite
