// Work handed off by request threads so that they can answer at once: a fixed set of
// background threads runs posted tasks in order of posting. Anything that may wait on
// Twilio (ringing conference legs, for one) goes here, never after the answer is built.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mc {

class TaskQueue {
 public:
  explicit TaskQueue(size_t threads);
  // Runs what is queued, then joins the threads.
  ~TaskQueue() { stop(); }
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Queues `task`; false (and the task dropped) once stop() has begun. A task must not
  // throw; one that does is logged and the thread goes on.
  bool post(std::function<void()> task);
  // Stops taking tasks, finishes those queued and joins the threads. Idempotent.
  void stop();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace mc
