// Child processes for integration tests: started with their own environment and log file,
// stopped (SIGTERM, then SIGKILL) when the object dies.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace mc::testing {

class Process {
 public:
  // Starts `argv[0]` with `argv`, the test's environment plus `env` (an empty value unsets a
  // variable), stdout and stderr appended to `log_path`. Throws std::runtime_error when the
  // process cannot be started.
  Process(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
          std::string log_path);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int signal_number);
  // Waits for the exit; the exit code (128 + signal when killed), or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  const std::string& log_path() const { return log_path_; }
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string log_path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

std::string read_file(const std::string& path);

// Polls `condition` every 20 ms until it is true or `timeout` passes.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace mc::testing
