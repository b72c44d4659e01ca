// A look at a SQLite ledger that changes nothing: no file is created, no migration applied,
// no pragma set. For `masked-comms-worker --check-config` and `maskctl doctor`.
#pragma once

#include <string>

#include "core/status.h"

namespace mc::store::sqlite {

struct Inspection {
  bool exists = false;     // the database file is there
  bool creatable = false;  // when it is not: its directory exists and is writable
  int schema_version = 0;  // the newest migration applied (0: none)
  int latest_version = 0;  // the newest migration this build knows
};

// UNAVAILABLE when the file is there but cannot be read as a ledger.
Result<Inspection> inspect(const std::string& path);

}  // namespace mc::store::sqlite
