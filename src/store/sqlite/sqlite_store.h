// The SQLite Store: one database file shared by every worker thread (through a connection
// pool) and by every worker process on the host (WAL mode, busy timeout, BEGIN IMMEDIATE
// write transactions). The queries are SqlStore's, run by the TransactionRunner.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/sql/sql_store.h"
#include "store/sqlite/change_signal.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/transaction_runner.h"

namespace mc::store::sqlite {

class SqliteStore final : public sql::SqlStore {
 public:
  ~SqliteStore() override;

  // Opens the file and brings its schema up to date; `checkpoints` tunes the background
  // checkpointer (checkpointer.h).
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   std::chrono::milliseconds busy_timeout,
                                                   CheckpointerOptions checkpoints = {});
  // WAL restarts the checkpointer has achieved.
  int64_t wal_restarts() const { return checkpointer_->restarts(); }

  std::optional<uint64_t> binding_signal() override { return signal_->value(); }
  bool journals_calls() const override { return true; }

 private:
  SqliteStore(std::unique_ptr<ConnectionPool> pool, CheckpointerOptions checkpoints,
              std::unique_ptr<ChangeSignal> signal);

  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<ChangeSignal> signal_;        // bumped after commits changing bindings
  TransactionRunner runner_;                    // reads and writes on pool_
  std::unique_ptr<Checkpointer> checkpointer_;  // the WAL copied back and bounded
};

}  // namespace mc::store::sqlite
