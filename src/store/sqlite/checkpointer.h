// Keeps a SQLite ledger's WAL copied back into the database file and its size bounded,
// from a thread of its own, off the request path.
//
// Every interval it runs a PASSIVE checkpoint (never waits for readers or writers). PASSIVE
// alone cannot bound the WAL under steady load: the log only starts over once a checkpoint
// has copied everything AND no reader still uses it, and with requests always in flight
// some reader always does, while this process's writers leave it no gap (seen: 221 MB to
// 1.25 GB in 8 s at 5,000 calls/s). So when the WAL holds more than `wal_limit_bytes` of
// frames, it takes this process's write mutex (`writers`) and runs a RESTART checkpoint that
// waits at most kRestartWaitMs for the readers of older snapshots to finish: writers of this
// process pause for that long at most (readers never do: new ones read the database file),
// the frames left to copy are only those since the last PASSIVE round, and the next commit
// writes from the start of the file again. The file is not cut (SQLite cuts it back to the
// connections' journal_size_limit when it starts over): rewriting pages the file already
// has is cheaper than refilling a truncated file, whose pages the kernel must allocate and
// zero again (profiled at 1,000,000 sessions and 19,000 calls/s: the call log's time in
// pwrite fell by 45%). So the WAL file stays near `wal_limit_bytes` (or journal_size_limit, if
// larger). A failed checkpoint is logged (once a minute at most) and retried; the thread
// reopens its connection if it must, and never stops by itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace mc::store::sqlite {

struct CheckpointerOptions {
  std::chrono::milliseconds interval{100};
  int64_t wal_limit_bytes = 64LL << 20;
};

class Checkpointer {
 public:
  // `writers` is the mutex this process's write transactions hold (SqliteStore's).
  Checkpointer(std::string database_path, CheckpointerOptions options, std::mutex& writers);
  // Stops the thread after a last PASSIVE checkpoint.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints after which the WAL started over (for tests and metrics).
  int64_t restarts() const;

 private:
  void run();

  const std::string path_;
  const CheckpointerOptions options_;
  std::mutex& writers_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  int64_t restarts_ = 0;   // guarded by mutex_
  std::thread thread_;
};

}  // namespace mc::store::sqlite
