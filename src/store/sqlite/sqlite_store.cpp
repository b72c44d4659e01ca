#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/migrations.h"

namespace mc::store::sqlite {

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       std::chrono::milliseconds busy_timeout) {
  auto pool = std::make_unique<ConnectionPool>(path, busy_timeout);
  auto connection = pool->borrow();
  if (!connection) return connection.status();
  if (Status s = migrate(**connection); !s) return s;
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(pool)));
}

Status SqliteStore::ping() {
  auto connection = pool_->borrow();
  if (!connection) return connection.status();
  auto statement = (*connection)->prepare("SELECT 1");
  if (!statement) return statement.status();
  Result<bool> row = (*statement)->step();
  (*statement)->reset();
  return row.status();
}

}  // namespace mc::store::sqlite
