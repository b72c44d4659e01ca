// Which store to open, read from the environment:
//   MC_DATABASE        SQLite file path (default: $STATE_DIRECTORY/masked-comms.db under
//                      systemd, else ./masked-comms.db)
//   MC_DB_BUSY_TIMEOUT_MS  how long a writer waits for another process's lock (default 5000)
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/config.h"
#include "store/store.h"

namespace mc::store {

struct StoreConfig {
  std::string sqlite_path;
  std::chrono::milliseconds busy_timeout{5000};
};

Result<StoreConfig> load_store_config(const Environment& env);

// What the configured store holds, read without changing anything.
struct StoreInspection {
  std::string location;  // the SQLite path
  bool exists = false;   // false: the worker creates it at start-up (when `creatable`)
  bool creatable = false;
  int schema_version = 0;  // newest migration applied
  int latest_version = 0;  // newest migration this build knows
};
// UNAVAILABLE when the store is there but cannot be read.
Result<StoreInspection> inspect_store(const StoreConfig& config);

// Opens the configured store and applies pending migrations.
Result<std::unique_ptr<Store>> open_store(const StoreConfig& config);

}  // namespace mc::store
