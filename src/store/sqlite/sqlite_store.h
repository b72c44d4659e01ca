// The SQLite Store: one database file shared by every worker thread (through a connection
// pool) and by every worker process on the host (WAL mode, busy timeout).
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/connection_pool.h"
#include "store/store.h"

namespace mc::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens the file and brings its schema up to date.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   std::chrono::milliseconds busy_timeout);

  Status ping() override;

 private:
  explicit SqliteStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace mc::store::sqlite
