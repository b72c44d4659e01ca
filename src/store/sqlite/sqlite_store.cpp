#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/migrations.h"

namespace mc::store::sqlite {
Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       std::chrono::milliseconds busy_timeout,
                                                       CheckpointerOptions checkpoints) {
  auto pool = std::make_unique<ConnectionPool>(path, busy_timeout);
  auto connection = pool->borrow();
  if (!connection) return connection.status();
  if (Status s = migrate(**connection); !s) return s;
  auto signal = ChangeSignal::open(path);
  if (!signal) return signal.status();
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(pool), checkpoints, std::move(signal).value()));
}

SqliteStore::SqliteStore(std::unique_ptr<ConnectionPool> pool, CheckpointerOptions checkpoints,
                         std::unique_ptr<ChangeSignal> signal)
    : SqlStore(runner_),
      pool_(std::move(pool)),
      signal_(std::move(signal)),
      runner_(*pool_, *signal_),
      checkpointer_(
          std::make_unique<Checkpointer>(pool_->path(), checkpoints, runner_.write_mutex())) {}

SqliteStore::~SqliteStore() = default;

}  // namespace mc::store::sqlite
