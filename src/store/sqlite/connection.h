// The SQL layer (store/sql/connection.h) over the SQLite C API: connections, prepared
// statements, write transactions, and the mapping of SQLite result codes to Status
// (SQLITE_BUSY -> UNAVAILABLE; the masking index refusing a pair -> ABORTED, the transaction
// is rerun; other unique keys -> CONFLICT; any other constraint -> INTERNAL).
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/sql/connection.h"

namespace mc::store::sqlite {

class Statement;

class Connection final : public sql::Connection {
 public:
  // Opens (creating if needed) the database file, in WAL mode with foreign keys on and the
  // given busy timeout, so that several worker processes can share it.
  static Result<std::unique_ptr<Connection>> open(const std::string& path,
                                                  std::chrono::milliseconds busy_timeout);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results.
  Status exec(std::string_view sql) override;
  // A prepared statement, cached per connection by its SQL text.
  Result<sql::Statement*> prepare(std::string_view sql) override;

  sqlite3* handle() const { return db_; }
  // The Status for SQLite result code `rc` on this connection, with `what` as context.
  Status error(int rc, std::string_view what) const;
  int64_t changes() const override { return sqlite3_changes64(db_); }
  std::string index_hint(std::string_view index) const override {
    return " INDEXED BY " + std::string(index);
  }
  bool one_writer_at_a_time() const override { return true; }
  std::string_view skip_locked() const override { return ""; }
  std::string_view begin_snapshot() const override { return "BEGIN"; }
  Status lock_key(std::string_view) override { return Status::ok(); }
  // Counts rows inserted into `table` on this connection (triggers' inserts included), from
  // now on; the count is read (and reset) by take_inserts(). One table per connection: a
  // later call names the same table or does nothing.
  void watch_inserts(std::string_view table);
  // Rows inserted into the watched table since the last call.
  int64_t take_inserts();
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::string watched_table_;
  int64_t watched_inserts_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Statement>, sql::TextHash, std::equal_to<>>
      statements_;
};

// One write transaction on a connection: BEGIN IMMEDIATE, then commit() or roll_back().
// Rolls back when destroyed uncommitted (the work returned an error or threw), so a
// connection never goes back to its pool inside a transaction holding the write lock.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& db) : db_(db) {}
  ~WriteTransaction() { roll_back(); }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  Status begin();
  Status commit();
  void roll_back();

 private:
  Connection& db_;
  bool open_ = false;
};

// A prepared statement of a Connection.
class Statement final : public sql::Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* stmt) : connection_(connection), stmt_(stmt) {}
  ~Statement() override;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sql::Statement& bind_text(int index, std::string_view value) override;
  sql::Statement& bind_int(int index, int64_t value) override;
  sql::Statement& bind_null_text(int index) override { return bind_null(index); }
  sql::Statement& bind_null_int(int index) override { return bind_null(index); }
  Result<bool> step() override;
  void reset() override;
  std::string column_text(int index) const override;
  int64_t column_int(int index) const override;
  bool column_is_null(int index) const override;

 private:
  sql::Statement& bind_null(int index);
  // Records the first failed bind, for step() to report.
  sql::Statement& checked(int rc);

  Connection& connection_;
  sqlite3_stmt* stmt_;
  Status bind_status_;
};

}  // namespace mc::store::sqlite
