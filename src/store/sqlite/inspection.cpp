#include "store/sqlite/inspection.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "store/sqlite/migrations.h"

namespace mc::store::sqlite {
namespace {

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Result<int64_t> query_int(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return Status::unavailable(sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
  if (sqlite3_step(statement.get()) != SQLITE_ROW) return Status::unavailable(sqlite3_errmsg(db));
  return sqlite3_column_int64(statement.get(), 0);
}

}  // namespace

Result<Inspection> inspect(const std::string& path) {
  Inspection inspection;
  for (const Migration& migration : schema_migrations()) {
    inspection.latest_version = std::max(inspection.latest_version, migration.version);
  }
  if (::access(path.c_str(), F_OK) != 0) {
    inspection.creatable = ::access(directory_of(path).c_str(), W_OK | X_OK) == 0;
    return inspection;
  }
  inspection.exists = true;
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
  if (opened != SQLITE_OK) {
    return Status::unavailable("cannot open " + path + ": " +
                               (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(opened)));
  }
  sqlite3_busy_timeout(db.get(), 2000);
  // A file without schema_migrations has had no migration (an empty or a foreign file).
  auto has_table =
      query_int(db.get(), "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'");
  if (!has_table) return has_table.status().annotate("reading " + path);
  if (*has_table == 0) return inspection;
  auto version = query_int(db.get(), "SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!version) return version.status().annotate("reading " + path);
  inspection.schema_version = static_cast<int>(*version);
  return inspection;
}

}  // namespace mc::store::sqlite
