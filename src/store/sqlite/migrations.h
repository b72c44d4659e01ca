// The SQLite schema, as an ordered list of migrations applied at start-up. A migration is
// never edited once released; changes are new migrations appended to the list.
#pragma once

#include <string_view>
#include <vector>

#include "store/sqlite/connection.h"

namespace mc::store::sqlite {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration>& schema_migrations();

// Applies every migration newer than the database's version, each in its own IMMEDIATE
// transaction (so two workers starting together do not both apply one).
Status migrate(Connection& connection);

}  // namespace mc::store::sqlite
