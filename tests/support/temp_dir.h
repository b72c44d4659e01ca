#pragma once
// Scratch directories for tests that need real files (SQLite ledgers, logs, configs).

#include <string>

namespace mc::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it by the object's
// destructor unless the environment sets MC_KEEP_TEST_DIRS=1. Declare it before the members
// that write into it (a store and its background threads), so it is destroyed after them.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace mc::testing
