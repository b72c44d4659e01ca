#include "calls/call_log.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "calls/call_journal.h"
#include "core/log.h"

namespace mc::calls {
namespace {

// A busy ledger is retried this often (with doubling sleeps from kFirstBackoff) before the
// batch is written entry by entry.
constexpr int kBusyAttempts = 5;
constexpr std::chrono::milliseconds kFirstBackoff{10};
// A fold that failed (a busy ledger) is tried again after this long.
constexpr std::chrono::milliseconds kFoldRetry{100};
// The folder's CPU priority: the lowest (see call_log.h).
constexpr int kFolderNice = 19;
// How often the folder looks at the load (and, in a burst, how long it waits).
constexpr std::chrono::milliseconds kBurstCheck{100};

}  // namespace

CallLog::CallLog(store::Store& store, Clock& clock, CallLogOptions options, std::string cancel_kind,
                 std::function<void()> outbox_woken)
    : store_(store),
      clock_(clock),
      options_(options),
      cancel_kind_(std::move(cancel_kind)),
      outbox_woken_(std::move(outbox_woken)) {
  writer_ = std::thread([this] { run(); });
  if (options_.journal && options_.fold) folder_ = std::thread([this] { fold_run(); });
}

bool CallLog::record_inbound(store::CallRecord call, std::function<void(bool)> recorded) {
  return push(NewCall{std::move(call), true, std::move(recorded)});
}

bool CallLog::record_leg(store::CallRecord leg) { return push(NewCall{std::move(leg), false, {}}); }

bool CallLog::report_status(CallStatusReport report) { return push(std::move(report)); }

bool CallLog::report_recording(CallRecording recording) { return push(std::move(recording)); }

bool CallLog::cancel_ringing_legs(std::string parent_call_sid) {
  return push(CancelLegs{std::move(parent_call_sid)});
}

bool CallLog::push(Entry entry) {
  std::unique_lock lock(mutex_);
  const bool room = room_.wait_for(lock, options_.full_wait, [this] {
    return stopping_ || queue_.size() < options_.max_queued;
  });
  if (!room || stopping_) return false;
  queue_.push_back(std::move(entry));
  ++pushed_;
  // A writer gathering a batch is woken only when it is full: waking it for every entry
  // would cost a context switch per call.
  if (writer_idle_ || queue_.size() >= options_.max_batch) queued_.notify_one();
  return true;
}

void CallLog::flush() {
  std::unique_lock lock(mutex_);
  const int64_t target = pushed_;
  written_.wait(lock, [&] { return done_ >= target || finished_; });
  if (!folder_.joinable()) return;
  const int64_t journaled = journaled_through_;
  fold_progress_.wait(lock, [&] { return folded_through_ >= journaled || folder_done_; });
}

void CallLog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  room_.notify_all();
  fold_due_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (folder_.joinable()) folder_.join();
}

int64_t CallLog::batches_written() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

int64_t CallLog::entries_dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

int64_t CallLog::entries_folded() const {
  std::lock_guard lock(mutex_);
  return folded_;
}

void CallLog::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    writer_idle_ = true;
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    writer_idle_ = false;
    if (queue_.empty()) {  // stopping, and everything written
      finished_ = true;
      written_.notify_all();
      fold_due_.notify_all();
      return;
    }
    if (options_.window.count() > 0 && !stopping_) {
      queued_.wait_for(lock, options_.window,
                       [this] { return stopping_ || queue_.size() >= options_.max_batch; });
    }
    std::vector<Entry> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    room_.notify_all();
    lock.unlock();
    write(batch);
    lock.lock();
    done_ += static_cast<int64_t>(batch.size());
    written_.notify_all();
  }
}

void CallLog::write(std::vector<Entry>& batch) {
  Outcome outcome;
  int64_t journaled_through = 0;
  auto write_all = [&](store::Transaction& tx) {
    return take_all(tx, batch, outcome, journaled_through);
  };
  Status status = store_.transact(write_all);
  for (int attempt = 1;
       !status && status.code() == StatusCode::kUnavailable && attempt < kBusyAttempts; ++attempt) {
    clock_.sleep_for(kFirstBackoff * (1 << (attempt - 1)));
    status = store_.transact(write_all);
  }
  if (status) {
    std::lock_guard lock(mutex_);
    ++batches_;
  } else {
    // One entry the ledger refuses (its session deleted, say) must not sink the others:
    // each is written alone, and what still fails is logged and dropped.
    log::warn("call log batch failed; writing its entries one by one",
              {{"entries", batch.size()}, {"error", status.message()}});
    outcome = Outcome{};
    size_t dropped = 0;
    for (const Entry& entry : batch) {
      Outcome one;
      int64_t through = 0;
      Status alone = store_.transact(
          [&](store::Transaction& tx) { return take_all(tx, std::span(&entry, 1), one, through); });
      if (!alone) {
        ++dropped;
        log::error("call log entry dropped", {{"error", alone.message()}});
        continue;
      }
      journaled_through = std::max(journaled_through, through);
      outcome.recorded.insert(outcome.recorded.end(), one.recorded.begin(), one.recorded.end());
      outcome.cancels_queued = outcome.cancels_queued || one.cancels_queued;
    }
    std::lock_guard lock(mutex_);
    ++batches_;
    dropped_ += static_cast<int64_t>(dropped);
  }
  finish(outcome);
  if (journaled_through > 0) {
    {
      std::lock_guard lock(mutex_);
      journaled_through_ = std::max(journaled_through_, journaled_through);
    }
    fold_due_.notify_one();
    // A sustained overload: the writer helps, so the journal stays bounded.
    if (options_.fold && journal_over_backlog()) (void)fold_once();
  }
}

Status CallLog::take_all(store::Transaction& tx, std::span<const Entry> entries, Outcome& outcome,
                         int64_t& journaled_through) {
  outcome = Outcome{};  // a rerun starts over
  bool any_journaled = false;
  for (const Entry& entry : entries) {
    if (Status s = take(tx, entry, outcome); !s) return s;
    any_journaled = any_journaled || journaled(entry);
  }
  if (!any_journaled) return Status::ok();
  auto newest = newest_journal_id(*tx.connection());
  if (!newest) return newest.status();
  journaled_through = *newest;
  return Status::ok();
}

bool CallLog::journaled(const Entry& entry) const {
  if (!options_.journal) return false;
  const auto* new_call = std::get_if<NewCall>(&entry);
  return !new_call || !new_call->recorded;
}

Status CallLog::take(store::Transaction& tx, const Entry& entry, Outcome& outcome) {
  if (!journaled(entry)) return apply(tx, entry, outcome);
  return append_to_journal(*tx.connection(), to_journal(entry));
}

void CallLog::finish(const Outcome& outcome) {
  for (const auto& [call, is_new] : outcome.recorded) {
    if (call->recorded) call->recorded(is_new);
  }
  if (outcome.cancels_queued && outbox_woken_) outbox_woken_();
}

bool CallLog::in_burst() {
  const auto now = std::chrono::steady_clock::now();
  if (now - burst_checked_at_ < kBurstCheck) return in_burst_;
  int64_t pushed = 0;
  {
    std::lock_guard lock(mutex_);
    pushed = pushed_;
  }
  const double seconds = std::chrono::duration<double>(now - burst_checked_at_).count();
  const double rate = static_cast<double>(pushed - pushed_at_burst_check_) / seconds;
  const double idle = idle_cpu_.idle_since_last();
  in_burst_ = rate > options_.burst_rate && idle < options_.spare_idle;
  burst_checked_at_ = now;
  pushed_at_burst_check_ = pushed;
  return in_burst_;
}

bool CallLog::journal_over_backlog() const {
  std::lock_guard lock(mutex_);
  return journaled_through_ - folded_through_ > static_cast<int64_t>(options_.max_backlog);
}

void CallLog::fold_run() {
  // This thread only (Linux: a thread's nice value is its own).
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kFolderNice) != 0) {
    log::warn("call journal folder keeps its CPU priority", {{"error", std::strerror(errno)}});
  }
  while (true) {
    {
      std::unique_lock lock(mutex_);
      fold_due_.wait_for(lock, options_.journal_poll, [this] {
        return finished_ || (!stopping_ && journaled_through_ > folded_through_);
      });
      if (finished_) break;
    }
    fold_until_empty(std::chrono::steady_clock::time_point::max(), true);
  }
  // Everything queued is journaled now: applied for a while, the rest at the next start.
  fold_until_empty(std::chrono::steady_clock::now() + options_.stop_fold_limit, false);
  std::lock_guard lock(mutex_);
  folder_done_ = true;
  fold_progress_.notify_all();
}

void CallLog::fold_until_empty(std::chrono::steady_clock::time_point deadline, bool yield) {
  while (std::chrono::steady_clock::now() < deadline) {
    int64_t journaled_before = 0;
    {
      std::lock_guard lock(mutex_);
      // Stopping: the fold that waits for spare CPU ends here, and the last one (which
      // does not wait) starts once the writer has journaled its last batch.
      if (stopping_ && (yield || !finished_)) return;
      journaled_before = journaled_through_;
    }
    if (yield && in_burst()) {  // over the backlog, the writer folds (write())
      clock_.sleep_for(kBurstCheck);
      continue;
    }
    auto folded = fold_once();
    if (!folded) {
      clock_.sleep_for(kFoldRetry);  // the entries stay journaled: tried again
      continue;
    }
    if (*folded == 0) {
      // Empty: whatever was journaled before this look has been applied (by us or another
      // process).
      std::lock_guard lock(mutex_);
      folded_through_ = std::max(folded_through_, journaled_before);
      fold_progress_.notify_all();
      return;
    }
  }
}

Result<size_t> CallLog::fold_once() {
  Outcome outcome;
  std::vector<Entry> entries;  // kept alive for the outcome's callbacks
  int64_t through = 0;
  Status status = store_.transact([&](store::Transaction& tx) -> Status {
    outcome = Outcome{};
    entries.clear();
    auto journaled = oldest_journal_entries(*tx.connection(), options_.fold_batch);
    if (!journaled) return journaled.status();
    if (journaled->empty()) return Status::ok();
    entries.reserve(journaled->size());
    for (const JournalEntry& row : *journaled) {
      auto entry = from_journal(row);
      if (!entry) return entry.status();
      entries.push_back(std::move(entry).value());
      if (Status s = apply(tx, entries.back(), outcome); !s) return s;
    }
    through = journaled->back().id;
    return forget_journal_through(*tx.connection(), through);
  });
  if (!status) {
    if (status.code() == StatusCode::kUnavailable) return status;  // busy: tried again
    log::warn("call journal fold failed; applying its entries one by one",
              {{"error", status.message()}});
    return fold_one_by_one();
  }
  finish(outcome);
  std::lock_guard lock(mutex_);
  folded_through_ = std::max(folded_through_, through);
  folded_ += static_cast<int64_t>(entries.size());
  fold_progress_.notify_all();
  return entries.size();
}

Result<size_t> CallLog::fold_one_by_one() {
  size_t taken = 0;  // applied or dropped
  for (size_t i = 0; i < options_.fold_batch; ++i) {
    Outcome outcome;
    std::optional<Entry> entry;
    int64_t id = 0;
    Status status = store_.transact([&](store::Transaction& tx) -> Status {
      outcome = Outcome{};
      entry.reset();
      auto oldest = oldest_journal_entries(*tx.connection(), 1);
      if (!oldest) return oldest.status();
      if (oldest->empty()) return Status::ok();
      id = oldest->front().id;
      auto parsed = from_journal(oldest->front());
      if (!parsed) return parsed.status();
      entry = std::move(parsed).value();
      if (Status s = apply(tx, *entry, outcome); !s) return s;
      return forget_journal_entry(*tx.connection(), id);
    });
    if (!status && (status.code() == StatusCode::kUnavailable || id == 0)) return status;
    if (!status) {
      log::error("call journal entry dropped", {{"error", status.message()}});
      Status forgotten = store_.transact(
          [&](store::Transaction& tx) { return forget_journal_entry(*tx.connection(), id); });
      if (!forgotten) return forgotten;
      std::lock_guard lock(mutex_);
      ++dropped_;
      ++taken;
      folded_through_ = std::max(folded_through_, id);
      continue;
    }
    if (!entry) break;  // the journal is empty
    finish(outcome);
    ++taken;
    std::lock_guard lock(mutex_);
    folded_through_ = std::max(folded_through_, id);
    ++folded_;
  }
  {
    std::lock_guard lock(mutex_);
    fold_progress_.notify_all();
  }
  return taken;
}

}  // namespace mc::calls
