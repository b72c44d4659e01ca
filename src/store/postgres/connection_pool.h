// At most `size` server connections shared by the worker's threads. A thread borrows one
// for a unit of work and gives it back; a connection that was lost (or is left inside a
// transaction) is closed rather than reused, and the next borrow opens a new one, so the
// pool reconnects by itself when the server returns.
//
// Losing the server must not stall request threads: a borrow waits at most `wait` for a
// free connection, and after a failed connect further connects are not tried for
// kReconnectPause (borrows needing one answer UNAVAILABLE at once, with the last error).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/postgres/connection.h"
#include "store/sql/lease.h"

namespace mc::store::postgres {

class ConnectionPool {
 public:
  static constexpr std::chrono::milliseconds kReconnectPause{250};

  ConnectionPool(ConnectOptions options, size_t size, std::chrono::milliseconds wait)
      : options_(std::move(options)), size_(size), wait_(wait) {}

  using Lease = sql::Lease<Connection, ConnectionPool>;

  Result<Lease> borrow();
  const ConnectOptions& options() const { return options_; }

 private:
  friend Lease;
  void give_back(std::unique_ptr<Connection> connection);

  const ConnectOptions options_;
  const size_t size_;
  const std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;       // guarded by mutex_
  size_t open_ = 0;                                     // connections open or opening, guarded
  std::chrono::steady_clock::time_point next_connect_;  // guarded by mutex_
  Status last_connect_error_;                           // guarded by mutex_
};

}  // namespace mc::store::postgres
