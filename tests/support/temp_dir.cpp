#include "support/temp_dir.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace mc::testing {

TempDir::TempDir(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  const char* keep = std::getenv("MC_KEEP_TEST_DIRS");
  if (keep && std::string(keep) == "1") return;
  std::error_code ignored;  // a destructor must not throw; a leftover /tmp directory is harmless
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace mc::testing
