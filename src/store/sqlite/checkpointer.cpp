#include "store/sqlite/checkpointer.h"

#include "core/log.h"
#include "store/sqlite/connection.h"

namespace mc::store::sqlite {
namespace {

// How long a RESTART checkpoint may wait for readers (and writers of other processes).
constexpr int kRestartWaitMs = 10;
constexpr auto kErrorLogInterval = std::chrono::minutes(1);

int64_t page_size(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  int64_t size = 4096;
  if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    size = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  return size;
}

}  // namespace

Checkpointer::Checkpointer(std::string database_path, CheckpointerOptions options,
                           std::mutex& writers)
    : path_(std::move(database_path)), options_(options), writers_(writers) {
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

int64_t Checkpointer::restarts() const {
  std::lock_guard lock(mutex_);
  return restarts_;
}

void Checkpointer::run() {
  std::unique_ptr<Connection> connection;
  auto last_error_log = std::chrono::steady_clock::time_point{};
  const auto report = [&](const std::string& what) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_error_log < kErrorLogInterval) return;
    last_error_log = now;
    log::error("WAL checkpoint failed; retrying", {{"error", what}});
  };
  bool stopping = false;
  while (!stopping) {
    {
      std::unique_lock lock(mutex_);
      stopping = wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
    }
    if (!connection) {
      // No busy handler: a checkpoint never waits on the request path's locks.
      auto opened = Connection::open(path_, std::chrono::milliseconds(0));
      if (!opened) {
        report(opened.status().message());
        continue;
      }
      connection = std::move(opened).value();
    }
    sqlite3* db = connection->handle();
    int wal_frames = 0;  // frames in the WAL since it last started over
    const int passive =
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, nullptr);
    if (passive != SQLITE_OK && passive != SQLITE_BUSY) {
      report(sqlite3_errmsg(db));
      connection.reset();  // reopened on the next round
      continue;
    }
    if (stopping || int64_t{wal_frames} * page_size(db) <= options_.wal_limit_bytes) continue;
    int restarted = SQLITE_OK;
    {
      std::lock_guard paused(writers_);
      sqlite3_busy_timeout(db, kRestartWaitMs);
      restarted =
          sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
      sqlite3_busy_timeout(db, 0);
    }
    if (restarted == SQLITE_OK) {
      std::lock_guard lock(mutex_);
      ++restarts_;
    } else if (restarted != SQLITE_BUSY) {
      report(sqlite3_errmsg(db));
    }
  }
}

}  // namespace mc::store::sqlite
