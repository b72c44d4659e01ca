// Which store to open, read from the environment:
//   MC_DATABASE        a SQLite file path (default: $STATE_DIRECTORY/masked-comms.db under
//                      systemd, else ./masked-comms.db), or a PostgreSQL URL
//                      (postgresql://user:password@host:port/db?sslmode=...; postgres://
//                      too) for a ledger several hosts share
//   MC_DB_BUSY_TIMEOUT_MS  SQLite: how long a writer waits for another process's lock
//                      (default 5000)
//   MC_DB_POOL_SIZE    PostgreSQL: connections per worker process (default 8)
//   MC_DB_STATEMENT_TIMEOUT_MS  PostgreSQL: the longest any statement, lock wait or wait
//                      for a free connection may take (default 5000); past it the request
//                      answers 503
//   MC_DB_CONNECT_TIMEOUT_MS  PostgreSQL: the longest a connection attempt may take
//                      (default 3000)
//   MC_DB_SSLMODE      PostgreSQL: libpq's sslmode (disable, allow, prefer, require,
//                      verify-ca, verify-full); unset keeps the URL's (libpq: prefer)
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/metrics.h"
#include "store/store.h"

namespace mc::store {

struct StoreConfig {
  enum class Backend { kSqlite, kPostgres };
  Backend backend = Backend::kSqlite;
  std::string sqlite_path;
  std::chrono::milliseconds busy_timeout{5000};
  std::string postgres_url;
  size_t pool_size = 8;
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds connect_timeout{3000};
  std::string sslmode;

  // The SQLite path, or the PostgreSQL URL with its password hidden: fit for logs.
  std::string location() const;
};

Result<StoreConfig> load_store_config(const Environment& env);

// `url` with any password (user:password@, password=...) replaced by "***".
std::string redact_database_url(const std::string& url);

// What the configured store holds, read without changing anything.
struct StoreInspection {
  std::string location;  // StoreConfig::location()
  bool exists = false;   // false: the worker creates it at start-up (when `creatable`)
  bool creatable = false;
  int schema_version = 0;  // newest migration applied
  int latest_version = 0;  // newest migration this build knows
};
// UNAVAILABLE when the store is there but cannot be read (or, PostgreSQL, reached).
Result<StoreInspection> inspect_store(const StoreConfig& config);

// Opens the configured store and applies pending migrations. `metrics` (may be null)
// counts what the store counts (PostgreSQL: transaction retries).
Result<std::unique_ptr<Store>> open_store(const StoreConfig& config, Metrics* metrics = nullptr);

}  // namespace mc::store
