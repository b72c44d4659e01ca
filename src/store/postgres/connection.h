// The SQL layer (store/sql/connection.h) over libpq: one server connection with its
// prepared statements, and the mapping of PostgreSQL's SQLSTATEs to Status:
//   23505 on participants_active_pair (the masking index), 40001 (serialization failure),
//   40P01 (deadlock)                                   -> ABORTED: the transaction is rerun
//   other 23505                                          -> CONFLICT
//   other class 23 (constraints)                         -> INTERNAL: a bug, not a race
//   57014 (statement timeout), 55P03 (lock timeout), class 08 (connection), class 53
//   (resources), 57P01-57P03 (server shutting down), a lost connection -> UNAVAILABLE (503)
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/sql/connection.h"

namespace mc::store::postgres {

// How to reach the server and how long anything may wait on it.
struct ConnectOptions {
  std::string url;      // postgresql://user@host:port/db?... (libpq's URI)
  std::string sslmode;  // "" keeps the URL's (libpq's default: prefer)
  std::chrono::milliseconds connect_timeout{3000};
  // Every statement (and the wait for any lock) is cancelled by the server after this.
  std::chrono::milliseconds statement_timeout{5000};
};

// `sql` with SQLite's placeholders (`?`: one more than the largest number so far; `?N`)
// written as PostgreSQL's $N; text inside quotes is left alone.
std::string to_dollar_placeholders(std::string_view sql);

class Statement;

class Connection final : public sql::Connection {
 public:
  // Connects and sets the session's timeouts. UNAVAILABLE when the server cannot be reached.
  static Result<std::unique_ptr<Connection>> open(const ConnectOptions& options);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status exec(std::string_view sql) override;
  Result<sql::Statement*> prepare(std::string_view sql) override;
  int64_t changes() const override { return changes_; }
  std::string index_hint(std::string_view) const override { return ""; }
  bool one_writer_at_a_time() const override { return false; }
  std::string_view skip_locked() const override { return " FOR UPDATE SKIP LOCKED"; }
  std::string_view begin_snapshot() const override {
    return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }
  Status lock_key(std::string_view key) override;

  // False once the server connection is lost: the pool drops it rather than reuse it.
  bool healthy() const;
  // The SQLSTATE of the last failed command ("" after a success).
  const std::string& last_sqlstate() const { return last_sqlstate_; }

  // The Status for a finished command's result (which it frees), with `what` as context;
  // OK for a command or a query that succeeded. Rows changed are kept for changes().
  Status check(PGresult* result, std::string_view what);

 private:
  friend class Statement;
  explicit Connection(PGconn* conn) : conn_(conn) {}

  PGconn* conn_;
  int64_t changes_ = 0;
  std::string last_sqlstate_;
  int next_statement_ = 0;  // names the server-side prepared statements
  std::unordered_map<std::string, std::unique_ptr<Statement>, sql::TextHash, std::equal_to<>>
      statements_;
};

// A statement prepared on the server the first time it runs, its parameters sent as text
// with their types (bigint or text) so the server need not guess them; results are read in
// text form.
class Statement final : public sql::Statement {
 public:
  Statement(Connection& connection, std::string name, std::string sql)
      : connection_(connection), name_(std::move(name)), sql_(std::move(sql)) {}
  ~Statement() override;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sql::Statement& bind_text(int index, std::string_view value) override;
  sql::Statement& bind_int(int index, int64_t value) override;
  sql::Statement& bind_null_text(int index) override;
  sql::Statement& bind_null_int(int index) override;
  Result<bool> step() override;
  void reset() override;
  std::string column_text(int index) const override;
  int64_t column_int(int index) const override;
  bool column_is_null(int index) const override;

 private:
  struct Parameter {
    std::string value;
    bool null = true;
    Oid type = 0;
  };
  Parameter& parameter(int index);
  Status execute();

  Connection& connection_;
  const std::string name_;
  const std::string sql_;
  bool prepared_ = false;
  std::vector<Parameter> parameters_;
  PGresult* result_ = nullptr;  // the executed statement's rows
  int row_ = -1;
};

}  // namespace mc::store::postgres
