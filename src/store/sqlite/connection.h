// A thin RAII layer over the SQLite C API: connections, prepared statements, write
// transactions, and the mapping of SQLite result codes to Status (SQLITE_BUSY ->
// UNAVAILABLE; the masking index refusing a pair -> ABORTED, the transaction is rerun; other
// unique keys -> CONFLICT; any other constraint -> INTERNAL).
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

namespace mc::store::sqlite {

class Statement;

class Connection {
 public:
  // Opens (creating if needed) the database file, in WAL mode with foreign keys on and the
  // given busy timeout, so that several worker processes can share it.
  static Result<std::unique_ptr<Connection>> open(const std::string& path,
                                                  std::chrono::milliseconds busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results.
  Status exec(std::string_view sql);
  // A prepared statement, cached per connection by its SQL text.
  Result<Statement*> prepare(std::string_view sql);

  sqlite3* handle() const { return db_; }
  // The Status for SQLite result code `rc` on this connection, with `what` as context.
  Status error(int rc, std::string_view what) const;
  int64_t changes() const { return sqlite3_changes64(db_); }
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
  // Prepared statements by their SQL text (found without copying the text).
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>>
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

// A prepared statement. Reset and cleared each time it is taken from prepare(); bind
// indexes start at 1, column indexes at 0.
class Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* stmt) : connection_(connection), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<int64_t>& value);

  // Steps once: true with a row, false when done, or an error.
  Result<bool> step();
  // Runs to completion, ignoring rows.
  Status run();
  // Runs to completion, calling `row` for each row; resets the statement afterwards.
  Status each(const std::function<void(const Statement&)>& row);
  // Every row, each turned into a value by `read` (a callable taking const Statement&).
  template <typename Read>
  Result<std::vector<std::invoke_result_t<Read, const Statement&>>> collect(Read read) {
    std::vector<std::invoke_result_t<Read, const Statement&>> out;
    if (Status s = each([&](const Statement& row) { out.push_back(read(row)); }); !s) return s;
    return out;
  }
  // Steps once and, when there is a row, calls `row` with it; resets the statement
  // afterwards. True when there was a row.
  Result<bool> first(const std::function<void(const Statement&)>& row);

  std::string column_text(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  int64_t column_int(int index) const;
  std::optional<int64_t> column_optional_int(int index) const;
  double column_double(int index) const;
  bool column_is_null(int index) const;

  void reset();

 private:
  Connection& connection_;
  sqlite3_stmt* stmt_;
  Status bind_status_;
};

}  // namespace mc::store::sqlite
