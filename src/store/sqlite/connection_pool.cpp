#include "store/sqlite/connection_pool.h"

namespace mc::store::sqlite {

Result<ConnectionPool::Lease> ConnectionPool::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  auto connection = Connection::open(path_, busy_timeout_);
  if (!connection) return connection.status();
  return Lease(*this, std::move(connection).value());
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  // A connection still inside a transaction would hold its locks for every later borrower;
  // one that cannot leave it is closed instead of kept.
  if (!sqlite3_get_autocommit(connection->handle())) {
    connection->exec("ROLLBACK");
    if (!sqlite3_get_autocommit(connection->handle())) return;
  }
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

}  // namespace mc::store::sqlite
