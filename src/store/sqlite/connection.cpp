#include "store/sqlite/connection.h"

#include <utility>

namespace mc::store::sqlite {

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path,
                                                     std::chrono::milliseconds busy_timeout) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::unavailable("cannot open SQLite database " + path + ": " + message);
  }
  std::unique_ptr<Connection> connection(new Connection(db));
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  // WAL lets readers run while one process writes; NORMAL sync is durable across process
  // crashes (the WAL is fsynced at checkpoints), which is what the ledger needs.
  // No automatic checkpoints: they would run inside whichever commit crosses the threshold,
  // holding the write lock for milliseconds (seen: a 25 ms commit in 5,000 on a 500 MB
  // ledger); SqliteStore checkpoints in the background instead. The WAL file is cut back to
  // 64 MiB after a checkpoint.
  if (Status s = connection->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                  " PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0;"
                                  " PRAGMA journal_size_limit=67108864;");
      !s) {
    return s.annotate("configuring " + path);
  }
  return connection;
}

void Connection::watch_inserts(std::string_view table) {
  if (!watched_table_.empty()) return;
  watched_table_ = std::string(table);
  sqlite3_update_hook(
      db_,
      [](void* self, int operation, const char*, const char* changed, sqlite3_int64) {
        auto* connection = static_cast<Connection*>(self);
        if (operation == SQLITE_INSERT && connection->watched_table_ == changed) {
          ++connection->watched_inserts_;
        }
      },
      this);
}

int64_t Connection::take_inserts() { return std::exchange(watched_inserts_, 0); }

Connection::~Connection() {
  statements_.clear();
  sqlite3_close_v2(db_);
}

Status Connection::error(int rc, std::string_view what) const {
  const std::string detail = sqlite3_errmsg(db_);
  const std::string message = std::string(what) + ": " + detail;
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::unavailable(message);
    case SQLITE_CONSTRAINT: {
      const int extended = sqlite3_extended_errcode(db_);
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        // The masking invariant's index: a concurrent writer holds the pair. The
        // transaction is rerun, and its selection sees that pair taken.
        if (detail.find("participants.address, participants.proxy_number") != std::string::npos) {
          return Status::aborted(message);
        }
        return Status::conflict(message);
      }
      return Status::internal(message);  // CHECK, NOT NULL, foreign key: a bug, not a race
    }
    default:
      return Status::internal(message);
  }
}

Status WriteTransaction::begin() {
  Status begun = db_.exec("BEGIN IMMEDIATE");
  open_ = begun.is_ok();
  return begun;
}

Status WriteTransaction::commit() {
  Status committed = db_.exec("COMMIT");
  if (committed) open_ = false;
  return committed;
}

void WriteTransaction::roll_back() {
  if (!open_) return;
  open_ = false;
  db_.exec("ROLLBACK");
}

Status Connection::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::ok();
  std::string error = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  Status status = this->error(rc, "exec");
  return Status(status.code(), "SQLite: " + error);
}

Result<sql::Statement*> Connection::prepare(std::string_view sql) {
  if (auto found = statements_.find(sql); found != statements_.end()) {
    found->second->reset();
    return found->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return error(rc, "prepare");
  auto [added, _] = statements_.emplace(std::string(sql), std::make_unique<Statement>(*this, stmt));
  return added->second.get();
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_status_ = Status::ok();
}

sql::Statement& Statement::checked(int rc) {
  if (rc != SQLITE_OK && bind_status_) bind_status_ = connection_.error(rc, "bind");
  return *this;
}

sql::Statement& Statement::bind_text(int index, std::string_view value) {
  return checked(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT));
}

sql::Statement& Statement::bind_int(int index, int64_t value) {
  return checked(sqlite3_bind_int64(stmt_, index, value));
}

sql::Statement& Statement::bind_null(int index) { return checked(sqlite3_bind_null(stmt_, index)); }

Result<bool> Statement::step() {
  if (!bind_status_) return bind_status_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status status = connection_.error(rc, "step");
  sqlite3_reset(stmt_);
  return status;
}

std::string Statement::column_text(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

}  // namespace mc::store::sqlite
