#include "store/postgres/connection_pool.h"

namespace mc::store::postgres {

Result<ConnectionPool::Lease> ConnectionPool::borrow() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + wait_;
  while (idle_.empty() && open_ >= size_) {
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= size_) {
      return Status::unavailable("the ledger is busy: all " + std::to_string(size_) +
                                 " PostgreSQL connections in use for " +
                                 std::to_string(wait_.count()) + " ms");
    }
  }
  if (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  if (std::chrono::steady_clock::now() < next_connect_) return last_connect_error_;
  ++open_;
  lock.unlock();
  auto opened = Connection::open(options_);
  lock.lock();
  if (!opened) {
    --open_;
    next_connect_ = std::chrono::steady_clock::now() + kReconnectPause;
    last_connect_error_ = opened.status();
    returned_.notify_one();
    return opened.status();
  }
  return Lease(*this, std::move(opened).value());
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  const bool reusable = connection->healthy();
  if (!reusable) connection.reset();  // closed outside the lock
  std::lock_guard lock(mutex_);
  if (reusable) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  returned_.notify_one();
}

}  // namespace mc::store::postgres
