// The PostgreSQL ledger's schema, as numbered migrations applied in order at start-up.
// Hosts starting together take an advisory lock first, so each migration is applied once;
// each runs in its own transaction with its schema_migrations row.
#pragma once

#include <vector>

#include "core/status.h"
#include "store/postgres/connection.h"

namespace mc::store::postgres {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

const std::vector<Migration>& schema_migrations();

// Applies what `connection` has not seen, holding the migration lock meanwhile.
Status migrate(Connection& connection);

// The newest migration applied (0 for a database without the ledger's tables).
Result<int> schema_version(Connection& connection);

}  // namespace mc::store::postgres
