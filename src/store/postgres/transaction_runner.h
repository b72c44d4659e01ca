// Runs units of work on the pool's connections: reads outside a transaction, writes in
// READ COMMITTED transactions that commit when the work succeeds and roll back when it
// fails or throws. Many writers run at once (unlike SQLite); the invariants hold through
// the database's own means (the unique masking index, conditional UPDATEs, row locks,
// SKIP LOCKED claims, advisory locks on keys). A transaction that lost a race (the masking
// index, a serialization failure, a deadlock: ABORTED) is rerun as a whole, at most
// kAttempts times with a short random back-off; each rerun is counted by its reason.
#pragma once

#include <atomic>
#include <functional>

#include "core/metrics.h"
#include "store/postgres/connection_pool.h"
#include "store/sql/runner.h"

namespace mc::store::postgres {

class TransactionRunner final : public sql::Runner {
 public:
  static constexpr int kAttempts = 6;

  // `metrics` may be null (tools); retries are counted as
  // mc_store_transaction_retries_total{reason="masking-index"|"serialization"|"deadlock"}.
  TransactionRunner(ConnectionPool& pool, Metrics* metrics) : pool_(pool), metrics_(metrics) {}

  Status write(const std::function<Status(sql::Connection&)>& work) override;
  Status read(const std::function<Status(sql::Connection&)>& work) override;

  int64_t retries() const { return retries_.load(); }

 private:
  void count_retry(const std::string& sqlstate);

  ConnectionPool& pool_;
  Metrics* metrics_;
  std::atomic<int64_t> retries_{0};
};

}  // namespace mc::store::postgres
