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
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

}  // namespace mc::store::sqlite
