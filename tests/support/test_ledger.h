// The ledger a test runs against. Test executables run once per backend (CTest registers a
// *_postgres twin of each that touches the ledger): without MC_TEST_POSTGRES_URL_FILE a
// SQLite file in the test's directory; with it, a fresh database of its own on the
// PostgreSQL server that file names (started by scripts/dev-postgres), dropped
// when the TestLedger goes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace mc::testing {

// True when this run's ledgers are PostgreSQL databases.
bool postgres_ledgers();
// The PostgreSQL server's base URL (its `postgres` database); fails the test without one.
std::string postgres_server_url();

// Boost.Test preconditions: a case or suite only for one backend.
struct SqliteOnly {
  bool operator()(unsigned long) const { return !postgres_ledgers(); }
};
struct PostgresOnly {
  bool operator()(unsigned long) const { return postgres_ledgers(); }
};

class TestLedger {
 public:
  // `directory`: where a SQLite ledger's file goes.
  explicit TestLedger(const std::string& directory);
  ~TestLedger();
  TestLedger(const TestLedger&) = delete;
  TestLedger& operator=(const TestLedger&) = delete;

  // What MC_DATABASE is set to for this ledger.
  const std::string& database() const { return database_; }
  bool postgres() const { return !database_name_.empty(); }
  // Opens (and migrates) it, as the worker does.
  Result<std::unique_ptr<store::Store>> open() const;

 private:
  std::string database_;
  std::string database_name_;  // PostgreSQL: the database created for this ledger
};

// Runs one SQL command on the PostgreSQL server's `postgres` database (or `url`).
Status postgres_command(const std::string& sql, const std::string& url = "");
// The first column of every row `sql` returns on the database at `url` (test assertions).
std::vector<std::string> postgres_column(const std::string& url, const std::string& sql);

// Opens (and migrates) the ledger MC_DATABASE=`database` names, as the worker does.
Result<std::unique_ptr<store::Store>> open_database(const std::string& database);

}  // namespace mc::testing
