// The PostgreSQL Store: one database shared by every worker process on every host. The
// queries are SqlStore's (the same as SQLite's), run by the TransactionRunner on a bounded
// pool of connections; the schema is migrations.cpp's.
//
// The in-memory index of live sessions stays coherent across hosts through the commit-
// ordered binding-change log (migrations.cpp): there is no host-wide signal to skip
// reading it (binding_signal() is nullopt), so every find() reads the log past what its
// index applied (one indexed range read) and reloads the sessions changed, whichever host
// changed them. A session closed through one host is therefore never connected by the
// next call on another.
#pragma once

#include <memory>

#include "core/metrics.h"
#include "store/postgres/connection_pool.h"
#include "store/postgres/transaction_runner.h"
#include "store/sql/sql_store.h"

namespace mc::store::postgres {

struct PostgresOptions {
  ConnectOptions connect;
  size_t pool_size = 8;
};

class PostgresStore final : public sql::SqlStore {
 public:
  // Connects, applies pending migrations (under the migration lock) and opens the pool.
  // `metrics` (may be null) counts transaction retries.
  static Result<std::unique_ptr<PostgresStore>> open(const PostgresOptions& options,
                                                     Metrics* metrics);

  // Transactions rerun after losing a race, since open.
  int64_t transaction_retries() const { return runner_.retries(); }

 private:
  PostgresStore(const PostgresOptions& options, Metrics* metrics);

  ConnectionPool pool_;
  TransactionRunner runner_;
};

}  // namespace mc::store::postgres
