// The calls of every session and their status history (shared by the modules that handle
// calls: voice now, the hotline next),
// written off the request path. Request threads queue what happened and answer at once; one
// writer thread takes everything queued and writes it in a single transaction (a group
// commit: while one commit runs, the next batch gathers), in the order it was queued.
//
// With `journal` (a ledger that takes one writer at a time: SQLite), the writer only appends
// the batch to the call journal (call_journal.h), and a folder thread applies the journal to
// the call tables, oldest first, a few hundred entries per transaction. The folder runs at
// the lowest CPU priority (nice 19): on a busy machine the request threads and nginx go
// first. During a burst (many calls a second, and under a quarter of the machine's CPU
// idle) it waits altogether: the journal absorbs the burst and is applied once there is CPU
// to spare. Otherwise it applies entries as they come.
// Entries other processes appended are found within `journal_poll`. While the journal holds
// more than `max_backlog` entries the writer applies one fold batch after each append, so a
// sustained overload slows the writer rather than growing the journal without bound. A call
// somebody waits on (`record_inbound` with `recorded`: a group call's legs are rung once its
// record is in) is applied at once, never journaled.
//
// What a crash can lose: what was queued and not yet committed (at most one batch plus what
// waited behind it; `MC_CALL_LOG_WINDOW_MS` adds that long of waiting). A journaled entry is
// committed, so it is applied after a restart, by whichever process folds first. Twilio's
// status callbacks rebuild what was lost: a final status for an inbound call the ledger does
// not know is recorded as that call, in the session that last held the caller's (From, To)
// pair, and counted as an interaction. Statuses of calls the ledger does not know yet wait
// in early_call_statuses and are adopted when the record arrives (from another process, or a
// later batch). A leg's status names its parent and is recorded under the parent's session.
//
// Until its entry is applied a call is not in the call tables: GET /sessions/{id}/calls and
// the Proxy API's Interactions show it, and its interaction moves the session's TTL, once
// the folder has applied it (normally within milliseconds; after a burst that saturated the
// machine, once the burst is over).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <variant>

#include "core/clock.h"
#include "core/idle_cpu.h"
#include "core/status.h"
#include "store/records.h"
#include "store/store.h"

namespace mc::calls {

struct JournalEntry;

// The parts of a /call-status callback that are kept.
struct CallStatusReport {
  std::string call_sid;
  std::string status;
  std::optional<int64_t> duration_seconds;
  std::string parent_call_sid;  // a leg's parent, as Twilio names it
  std::string direction;        // Twilio's Direction: "inbound" for a participant's own call
  std::string from;
  std::string to;
  TimePoint at;
};

struct CallRecording {
  std::string call_sid;
  std::string recording_sid;
  std::string recording_url;
  std::optional<int64_t> duration_seconds;
};

struct CallLogOptions {
  size_t max_queued = 50000;                  // request threads wait (then give up) beyond this
  size_t max_batch = 1000;                    // entries per transaction
  std::chrono::milliseconds window{0};        // extra wait for a batch to fill
  std::chrono::milliseconds full_wait{2000};  // how long a request waits for room
  // The call journal (above). Only for a ledger whose Store::journals_calls() is true.
  bool journal = false;
  size_t fold_batch = 200;      // entries applied per transaction
  size_t max_backlog = 500000;  // beyond this the writer folds too
  // A burst: while this log takes more than `burst_rate` entries a second and less than
  // `spare_idle` of the machine's CPU is idle, the folder waits (up to max_backlog).
  double burst_rate = 1000;
  double spare_idle = 0.25;
  std::chrono::milliseconds journal_poll{1000};  // looks for other processes' entries
  // stop() applies what is journaled for at most this long; the rest waits for a restart.
  std::chrono::milliseconds stop_fold_limit{5000};
  bool fold = true;  // false: only append (a process that dies before it folds, in tests)
};

class CallLog {
 public:
  // `cancel_kind`: the outbox kind that cancels a leg ({"call": CA...}); `outbox_woken` runs
  // after a batch queued any.
  CallLog(store::Store& store, Clock& clock, CallLogOptions options, std::string cancel_kind,
          std::function<void()> outbox_woken);
  // Writes what is queued, then stops.
  ~CallLog() { stop(); }
  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;

  // Each queues its entry and returns at once: false when the log stayed full for
  // full_wait, or is stopped (the caller answers 503).
  //
  // A participant's call, counted as an interaction of its session. `recorded(is_new)` runs
  // on the writer thread after the commit: false when the SID was known already (Twilio's
  // retry, or a replay). Not run when the record could not be written.
  bool record_inbound(store::CallRecord call, std::function<void(bool is_new)> recorded = {});
  // A leg masked-comms rang for a caller.
  bool record_leg(store::CallRecord leg);
  // A status callback. When an inbound call ends, the legs still ringing for it are
  // cancelled through the outbox, in the same transaction.
  bool report_status(CallStatusReport report);
  bool report_recording(CallRecording recording);
  // Cancels (through the outbox) the legs rung for `parent_call_sid` that are still ringing:
  // for a caller who hung up while their legs were being created.
  bool cancel_ringing_legs(std::string parent_call_sid);

  // Returns once everything queued before the call is committed (or dropped), and, with
  // the journal, applied (unless this log does not fold).
  void flush();
  // Writes what is queued and joins the writer. Idempotent.
  void stop();

  int64_t batches_written() const;
  int64_t entries_dropped() const;
  // Journal entries this process has applied.
  int64_t entries_folded() const;

 private:
  struct NewCall {
    store::CallRecord call;
    bool interaction = false;
    std::function<void(bool)> recorded;
  };
  struct CancelLegs {
    std::string parent_call_sid;
  };
  using Entry = std::variant<NewCall, CallStatusReport, CallRecording, CancelLegs>;
  // What applying an entry asks for after the commit.
  struct Outcome {
    std::vector<std::pair<const NewCall*, bool>> recorded;
    bool cancels_queued = false;
  };

  static JournalEntry to_journal(const Entry& entry);
  static Result<Entry> from_journal(const JournalEntry& journaled);
  bool push(Entry entry);
  void run();
  void write(std::vector<Entry>& batch);
  // Takes `entries` (journals or applies each) in `tx`, `outcome` started over; when any was
  // journaled, `journaled_through` is the journal's newest id.
  Status take_all(store::Transaction& tx, std::span<const Entry> entries, Outcome& outcome,
                  int64_t& journaled_through);
  // Journals `entry`, or applies it when it is not journaled.
  Status take(store::Transaction& tx, const Entry& entry, Outcome& outcome);
  bool journaled(const Entry& entry) const;
  // What a batch's commit asks for: its callbacks, the outbox woken.
  void finish(const Outcome& outcome);
  // The folder thread (with the journal).
  void fold_run();
  // Applies the journal until it is empty, the log is stopping or `deadline` passes.
  // `yield`: waits while the machine is busy with a burst (see above).
  void fold_until_empty(std::chrono::steady_clock::time_point deadline, bool yield);
  // Whether a burst is on, looked at most every kBurstCheck (folder thread only).
  bool in_burst();
  // Applies the oldest fold_batch entries in one transaction: how many (0: it was empty).
  Result<size_t> fold_once();
  // After fold_once failed on an entry: applies the oldest entries alone, dropping (and
  // logging) each one the ledger refuses.
  Result<size_t> fold_one_by_one();
  bool journal_over_backlog() const;
  // What each entry does to the call tables (call_log_entries.cpp).
  Status apply(store::Transaction& tx, const Entry& entry, Outcome& outcome);
  Status apply_status(store::Transaction& tx, const CallStatusReport& report, Outcome& outcome);
  // A lost record of an inbound call, rebuilt from its final status; false when no
  // session ever held the pair.
  Result<bool> rebuild_inbound(store::Transaction& tx, const CallStatusReport& report);
  Status queue_leg_cancels(store::Transaction& tx, const std::string& parent_call_sid,
                           Outcome& outcome);

  store::Store& store_;
  Clock& clock_;
  const CallLogOptions options_;
  const std::string cancel_kind_;
  const std::function<void()> outbox_woken_;

  mutable std::mutex mutex_;
  std::condition_variable queued_;   // the writer waits for entries
  std::condition_variable room_;     // request threads wait for room
  std::condition_variable written_;  // flush() waits for the writer
  std::deque<Entry> queue_;          // guarded by mutex_
  int64_t pushed_ = 0;               // entries ever queued; guarded by mutex_
  int64_t done_ = 0;                 // entries ever written or dropped; guarded by mutex_
  int64_t batches_ = 0;              // guarded by mutex_
  int64_t dropped_ = 0;              // guarded by mutex_
  bool stopping_ = false;            // guarded by mutex_
  bool finished_ = false;            // the writer has ended; guarded by mutex_
  bool writer_idle_ = false;         // waiting for a first entry; guarded by mutex_
  // The journal: the newest id seen appended, the newest known applied; guarded by mutex_.
  int64_t journaled_through_ = 0;
  int64_t folded_through_ = 0;
  int64_t folded_ = 0;                     // entries this process applied; guarded by mutex_
  bool folder_done_ = false;               // guarded by mutex_
  std::condition_variable fold_due_;       // the folder waits for entries
  std::condition_variable fold_progress_;  // flush() waits for the folder
  // The folder's view of the load (folder thread only).
  IdleCpuMeter idle_cpu_;
  std::chrono::steady_clock::time_point burst_checked_at_{};
  int64_t pushed_at_burst_check_ = 0;
  bool in_burst_ = false;
  std::thread writer_;
  std::thread folder_;
};

// The conference room of a session's group call: unique per call. (A status callback for a
// group call the ledger lost is rebuilt under this room.)
std::string room_name(const std::string& session_id, const std::string& call_sid);

}  // namespace mc::calls
