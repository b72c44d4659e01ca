#include "store/postgres/postgres_store.h"

#include "store/postgres/migrations.h"

namespace mc::store::postgres {

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const PostgresOptions& options,
                                                           Metrics* metrics) {
  {
    // Its own connection: migrate() lifts the timeouts for as long as it runs.
    auto connection = Connection::open(options.connect);
    if (!connection) return connection.status();
    if (Status s = migrate(**connection); !s) return s;
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(options, metrics));
}

PostgresStore::PostgresStore(const PostgresOptions& options, Metrics* metrics)
    : SqlStore(runner_),
      // A request waits for a free connection no longer than for a statement.
      pool_(options.connect, options.pool_size, options.connect.statement_timeout),
      runner_(pool_, metrics) {}

}  // namespace mc::store::postgres
