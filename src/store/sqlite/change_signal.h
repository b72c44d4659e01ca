// A counter that every process on this host using one SQLite ledger shares, through a
// small memory-mapped file next to it (`<database>-bindings`): bumped after each commit
// that changed session bindings, read by each process's live-session index before a call.
// An unchanged counter means no process here committed a binding change since it was last
// read, so the index need not read the ledger's change log at all.
//
// It is only a hint that saves reads: a commit made by something else (the sqlite3 shell,
// a process killed between its commit and the bump) is still found by the index's
// background catch-up, within a second.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace mc::store::sqlite {

class ChangeSignal {
 public:
  static Result<std::unique_ptr<ChangeSignal>> open(const std::string& database_path);
  ~ChangeSignal();
  ChangeSignal(const ChangeSignal&) = delete;
  ChangeSignal& operator=(const ChangeSignal&) = delete;

  uint64_t value() const;
  void bump();

 private:
  explicit ChangeSignal(uint64_t* counter) : counter_(counter) {}
  uint64_t* counter_;  // in the shared mapping; accessed through std::atomic_ref only
};

}  // namespace mc::store::sqlite
