// Background work of the sandbox: a small thread pool whose tasks run in order per key (a
// strand: one call's status callbacks and TwiML fetches never overtake each other), tasks
// due at a time of the sandbox clock, and a way to wait until everything has settled.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "sandbox_clock.h"

namespace mc::sandbox {

class TaskRunner {
 public:
  using Task = std::function<void()>;

  TaskRunner(int threads, SandboxClock& clock);
  ~TaskRunner();

  // Runs `task` soon; tasks with the same non-empty `strand` run one at a time, in order.
  void post(const std::string& strand, Task task);
  // Runs `task` on `strand` once the sandbox clock reaches `when`.
  void post_at(TimePoint when, const std::string& strand, Task task);
  // Moves timed tasks that are due into the queue (also done every 20 ms by a ticker).
  void run_due();
  // Waits until no task is queued or running and none is due; false after `timeout`.
  bool wait_idle(std::chrono::milliseconds timeout);
  // Forgets every queued and timed task (running ones finish).
  void clear();

 private:
  struct Timed {
    std::string strand;
    Task task;
  };
  void worker();
  void ticker();
  void enqueue_locked(const std::string& strand, Task task);
  bool idle_locked() const;

  SandboxClock& clock_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable changed_;
  std::deque<std::pair<std::string, Task>> ready_;                    // guarded by mutex_
  std::unordered_map<std::string, std::deque<Task>> strand_waiting_;  // guarded by mutex_
  std::unordered_map<std::string, bool> strand_busy_;                 // guarded by mutex_
  std::multimap<TimePoint, Timed> timed_;                             // guarded by mutex_
  size_t outstanding_ = 0;  // queued + waiting on a strand + running; guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::vector<std::thread> threads_;
  std::thread ticker_;
};

}  // namespace mc::sandbox
