#include "task_runner.h"

#include "core/log.h"

namespace mc::sandbox {

TaskRunner::TaskRunner(int threads, SandboxClock& clock) : clock_(clock) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { worker(); });
  ticker_ = std::thread([this] { ticker(); });
}

TaskRunner::~TaskRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  changed_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  ticker_.join();
}

void TaskRunner::enqueue_locked(const std::string& strand, Task task) {
  ++outstanding_;
  if (!strand.empty() && strand_busy_[strand]) {
    strand_waiting_[strand].push_back(std::move(task));
    return;
  }
  if (!strand.empty()) strand_busy_[strand] = true;
  ready_.emplace_back(strand, std::move(task));
  work_ready_.notify_one();
}

void TaskRunner::post(const std::string& strand, Task task) {
  std::lock_guard lock(mutex_);
  enqueue_locked(strand, std::move(task));
}

void TaskRunner::post_at(TimePoint when, const std::string& strand, Task task) {
  std::lock_guard lock(mutex_);
  timed_.emplace(when, Timed{strand, std::move(task)});
}

void TaskRunner::run_due() {
  const TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  while (!timed_.empty() && timed_.begin()->first <= now) {
    Timed timed = std::move(timed_.begin()->second);
    timed_.erase(timed_.begin());
    enqueue_locked(timed.strand, std::move(timed.task));
  }
}

bool TaskRunner::idle_locked() const {
  return outstanding_ == 0 && (timed_.empty() || timed_.begin()->first > clock_.now());
}

bool TaskRunner::wait_idle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    run_due();
    std::unique_lock lock(mutex_);
    if (idle_locked()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    changed_.wait_for(lock, std::chrono::milliseconds(10));
  }
}

void TaskRunner::clear() {
  std::lock_guard lock(mutex_);
  outstanding_ -= ready_.size();
  ready_.clear();
  for (auto& [strand, waiting] : strand_waiting_) outstanding_ -= waiting.size();
  strand_waiting_.clear();
  for (auto& [strand, busy] : strand_busy_) busy = false;
  timed_.clear();
  changed_.notify_all();
}

void TaskRunner::worker() {
  while (true) {
    std::pair<std::string, Task> item;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
      if (stopping_) return;
      item = std::move(ready_.front());
      ready_.pop_front();
    }
    try {
      item.second();
    } catch (const std::exception& e) {
      log::error("sandbox task failed", {{"what", e.what()}});
    }
    std::lock_guard lock(mutex_);
    --outstanding_;
    if (!item.first.empty()) {
      auto waiting = strand_waiting_.find(item.first);
      if (waiting != strand_waiting_.end() && !waiting->second.empty()) {
        ready_.emplace_back(item.first, std::move(waiting->second.front()));
        waiting->second.pop_front();
        work_ready_.notify_one();
      } else {
        strand_busy_.erase(item.first);
        if (waiting != strand_waiting_.end()) strand_waiting_.erase(waiting);
      }
    }
    changed_.notify_all();
  }
}

void TaskRunner::ticker() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stopping_; })) return;
    }
    run_due();
  }
}

}  // namespace mc::sandbox
