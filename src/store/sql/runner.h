// How a backend runs the ledger's units of work on its connections: reads on any
// connection outside a transaction, writes inside a transaction that commits when the work
// returns OK and rolls back otherwise. A write whose work returns ABORTED (a concurrent
// writer won a race: the masking index, a serialization failure, a deadlock) is rolled back
// and rerun a bounded number of times, so work must be free of side effects outside the
// transaction.
#pragma once

#include <functional>
#include <optional>

#include "core/status.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

class Runner {
 public:
  virtual ~Runner() = default;

  virtual Status write(const std::function<Status(Connection&)>& work) = 0;
  virtual Status read(const std::function<Status(Connection&)>& work) = 0;

  // write() for work that produces a value (claims: one UPDATE ... RETURNING marks rows
  // taken and reads them); a rerun replaces what an earlier attempt produced.
  template <typename T>
  Result<T> write_with(const std::function<Result<T>(Connection&)>& work) {
    std::optional<T> produced;
    Status status = write([&](Connection& db) -> Status { return keep(work(db), produced); });
    if (!status) return status;
    return std::move(*produced);
  }

  // `work` on a borrowed connection, outside any transaction.
  template <typename T>
  Result<T> read_with(const std::function<Result<T>(Connection&)>& work) {
    std::optional<T> produced;
    Status status = read([&](Connection& db) -> Status { return keep(work(db), produced); });
    if (!status) return status;
    return std::move(*produced);
  }

 private:
  template <typename T>
  static Status keep(Result<T> result, std::optional<T>& into) {
    if (!result) return result.status();
    into = std::move(result).value();
    return Status::ok();
  }
};

}  // namespace mc::store::sql
