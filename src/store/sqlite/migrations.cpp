#include "store/sqlite/migrations.h"

#include "core/log.h"

namespace mc::store::sqlite {

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> migrations = {};
  return migrations;
}

Status migrate(Connection& connection) {
  if (Status s = connection.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER PRIMARY KEY,"
          " description TEXT NOT NULL,"
          " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
      !s) {
    return s.annotate("creating schema_migrations");
  }
  for (const Migration& migration : schema_migrations()) {
    if (Status s = connection.exec("BEGIN IMMEDIATE"); !s) return s.annotate("migration");
    auto applied = connection.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
    if (!applied) {
      connection.exec("ROLLBACK");
      return applied.status();
    }
    (*applied)->bind(1, migration.version);
    Result<bool> exists = (*applied)->step();
    (*applied)->reset();
    if (!exists) {
      connection.exec("ROLLBACK");
      return exists.status();
    }
    if (*exists) {
      connection.exec("COMMIT");
      continue;
    }
    Status status = connection.exec(migration.sql);
    if (status) {
      auto record =
          connection.prepare("INSERT INTO schema_migrations (version, description) VALUES (?, ?)");
      status = record ? (*record)->bind(1, migration.version).bind(2, migration.description).run()
                      : record.status();
    }
    if (!status) {
      connection.exec("ROLLBACK");
      return status.annotate("migration " + std::to_string(migration.version));
    }
    if (Status s = connection.exec("COMMIT"); !s) return s.annotate("migration commit");
    log::info("schema migration applied",
              {{"version", migration.version}, {"description", migration.description}});
  }
  return Status::ok();
}

}  // namespace mc::store::sqlite
