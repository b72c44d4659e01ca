// The ledger's queries are written once, against this interface, and run on SQLite (the
// embedded default) or PostgreSQL (several hosts). A Connection prepares statements and
// says how its database spells the few things the two write differently: index hints,
// claims that skip locked rows, snapshot reads and transaction-scoped locks on a key.
//
// SQL conventions shared by both: `?` and `?N` placeholders (PostgreSQL's connection turns
// them into $N), times as integer milliseconds since the Unix epoch, booleans as integers
// 0/1, and only constructs both databases accept (ON CONFLICT, RETURNING, UPDATE ... FROM).
//
// Status mapping (both backends): a busy or unreachable database -> UNAVAILABLE (the caller
// answers 503); the masking index refusing a pair, a serialization failure or a deadlock ->
// ABORTED (the transaction runner reruns the whole transaction); other unique keys ->
// CONFLICT; any other constraint -> INTERNAL.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/status.h"

namespace mc::store::sql {

// A prepared statement, reset and cleared each time it is taken from prepare(). Bind
// indexes start at 1, column indexes at 0. A bind error is reported by the next step().
class Statement {
 public:
  virtual ~Statement() = default;

  Statement& bind(int index, std::string_view value) { return bind_text(index, value); }
  Statement& bind(int index, const std::string& value) { return bind_text(index, value); }
  Statement& bind(int index, const char* value) { return bind_text(index, value); }
  Statement& bind(int index, int64_t value) { return bind_int(index, value); }
  Statement& bind(int index, int value) { return bind_int(index, value); }
  Statement& bind(int index, const std::optional<std::string>& value) {
    return value ? bind_text(index, *value) : bind_null_text(index);
  }
  Statement& bind(int index, const std::optional<int64_t>& value) {
    return value ? bind_int(index, *value) : bind_null_int(index);
  }

  virtual Statement& bind_text(int index, std::string_view value) = 0;
  virtual Statement& bind_int(int index, int64_t value) = 0;
  // NULL of a text or an integer column (PostgreSQL needs to know which).
  virtual Statement& bind_null_text(int index) = 0;
  virtual Statement& bind_null_int(int index) = 0;

  // Steps once: true with a row, false when done, or an error.
  virtual Result<bool> step() = 0;
  virtual void reset() = 0;

  virtual std::string column_text(int index) const = 0;
  virtual int64_t column_int(int index) const = 0;  // a boolean column reads as 0 or 1
  virtual bool column_is_null(int index) const = 0;
  std::optional<std::string> column_optional_text(int index) const;
  std::optional<int64_t> column_optional_int(int index) const;

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
  // The first row turned into a value by `read`, or nullopt when there is none (a lookup by
  // key); resets the statement afterwards.
  template <typename Read>
  Result<std::optional<std::invoke_result_t<Read, const Statement&>>> first_as(Read read) {
    std::optional<std::invoke_result_t<Read, const Statement&>> found;
    auto row = first([&](const Statement& r) { found = read(r); });
    if (!row) return row.status();
    return found;
  }
};

// For connections' caches of prepared statements by SQL text: found without copying it.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one or more statements without results.
  virtual Status exec(std::string_view sql) = 0;
  // A prepared statement, cached per connection by its SQL text.
  virtual Result<Statement*> prepare(std::string_view sql) = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
  virtual int64_t changes() const = 0;

  // True when write transactions run one at a time (SQLite): reading a row and then
  // writing it needs no lock, and a query may pick, after reading, the fewest columns to
  // write. False (PostgreSQL): writers run at once, so a read-then-write is better one
  // conditional statement.
  virtual bool one_writer_at_a_time() const = 0;

  // Dialect. Each returns SQL to splice into a query:
  // " INDEXED BY <index>" where SQLite must be told which index to walk (PostgreSQL plans
  // by statistics and takes no hints).
  virtual std::string index_hint(std::string_view index) const = 0;
  // After the SELECT of rows to claim: " FOR UPDATE SKIP LOCKED" on PostgreSQL, so hosts
  // claiming at once take different rows rather than waiting for (and sharing) the same.
  virtual std::string_view skip_locked() const = 0;
  // Starts a read transaction that sees one snapshot throughout; ended with COMMIT.
  virtual std::string_view begin_snapshot() const = 0;
  // Inside a write transaction: waits for, then holds until it ends, a lock on `key`, so
  // transactions on one key (a call SID) run one after another. Nothing on SQLite.
  virtual Status lock_key(std::string_view key) = 0;
};

}  // namespace mc::store::sql
