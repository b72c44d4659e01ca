// Connections for many threads: each thread borrows one connection for the length of a unit
// of work and gives it back. Connections are opened on demand and kept for reuse.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sql/lease.h"
#include "store/sqlite/connection.h"

namespace mc::store::sqlite {

class ConnectionPool {
 public:
  ConnectionPool(std::string path, std::chrono::milliseconds busy_timeout)
      : path_(std::move(path)), busy_timeout_(busy_timeout) {}

  // Borrows a connection; it returns to the pool when the lease is destroyed.
  using Lease = sql::Lease<Connection, ConnectionPool>;

  Result<Lease> borrow();
  const std::string& path() const { return path_; }

 private:
  friend Lease;
  void give_back(std::unique_ptr<Connection> connection);

  const std::string path_;
  const std::chrono::milliseconds busy_timeout_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
};

}  // namespace mc::store::sqlite
