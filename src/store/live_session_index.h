// The live sessions of the ledger in memory, found by (address, proxy number): what an
// inbound call (or message) needs, without reading the ledger's tables on the request path.
//
// Coherence. Every change to a session's bindings (it becomes live or stops being live, its
// mode or voice options change, a participant is added, released or removed) appends a row
// to the ledger's binding-change log in the same transaction (SQLite: triggers, migration
// 4; PostgreSQL: deferred triggers numbering rows at commit, postgres/migrations.cpp),
// numbered in commit order. Before answering, find() reads the log past the last change
// this index applied (one indexed range read, usually answering just that row) and reloads
// the sessions named there, so whatever any process committed before the call began is seen
// by it. The store's binding_signal() lets it skip that read: a SQLite ledger's processes
// on this host bump a shared counter after every commit that changed bindings (after the
// commit, before the request that made it answers), so while the counter stands still
// nothing needs reading. Commits that do not bump it (another tool, a process killed
// between commit and bump) are read by the background catch-up within a second. A
// PostgreSQL ledger has no such signal (its writers are on other hosts): find() reads the
// log every time. The log is pruned
// after kLogRetention, never of its newest row: when the last change applied here is gone, the
// index has missed some and loads everything again. A background thread catches up every second, so
// an idle index does not fall that far behind.
//
// Until the first load is done (a large ledger takes seconds), find() asks the ledger
// directly. Memory: about 500 bytes per live two-person session.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "core/clock.h"
#include "store/store.h"

namespace mc::store {

class LiveSessionIndex {
 public:
  // How long binding changes stay in the log (and early call statuses wait for their call).
  static constexpr std::chrono::minutes kLogRetention{10};

  LiveSessionIndex(Store& store, Clock& clock) : store_(store), clock_(clock) {}
  ~LiveSessionIndex() { stop(); }
  LiveSessionIndex(const LiveSessionIndex&) = delete;
  LiveSessionIndex& operator=(const LiveSessionIndex&) = delete;

  // Modules that answer from the index say so at init(); a worker without them holds
  // nothing in memory.
  void require() { required_.store(true); }
  bool required() const { return required_.load(); }
  // When required: loads every live session in the background, then catches up (and
  // prunes the logs) every second until stop(). A second call does nothing.
  void start();
  void stop();
  // Loads every live session now (what start() does first).
  Status load();

  // The live session in which `address` holds `proxy_number`, as of the moment of the call.
  Result<std::optional<LiveSession>> find(const std::string& address,
                                          const std::string& proxy_number);
  // Applies the binding changes committed since the last one applied.
  Status catch_up();

  bool loaded() const { return loaded_.load(std::memory_order_acquire); }
  size_t size() const;  // live sessions held

 private:
  struct Entry {
    std::string mode;
    std::string voice_options;
    std::vector<LiveSession::Member> members;
  };
  struct Tables {
    std::unordered_map<std::string, Entry> sessions;  // by session id
    // (address, proxy number) -> the session's id: its key in `sessions` (a node-based map:
    // stable until erased).
    std::unordered_map<std::string, const std::string*> by_pair;

    void insert(LiveSession&& session);
    void erase(const std::string& id);
  };
  static std::string pair_key(std::string_view address, std::string_view proxy_number);

  Result<std::optional<LiveSession>> find_in_ledger(const std::string& address,
                                                    const std::string& proxy_number);
  // With update_mutex_ held: everything again, or the changes after applied_seq_.
  Status load_locked();
  Status catch_up_locked();

  Store& store_;
  Clock& clock_;
  std::atomic<bool> loaded_{false};
  std::atomic<int64_t> applied_seq_{0};  // the last binding change applied
  // The store's binding_signal() when the log was last read (unchanged: no read is needed);
  // kNeverRead before the first read.
  static constexpr uint64_t kNeverRead = UINT64_MAX;
  std::atomic<uint64_t> signal_seen_{kNeverRead};
  std::mutex update_mutex_;              // one updater at a time (load, catch-up)
  mutable std::shared_mutex map_mutex_;  // readers share; updaters hold it exclusively
  Tables tables_;                        // guarded by map_mutex_

  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by thread_mutex_
  bool started_ = false;   // guarded by thread_mutex_
  std::atomic<bool> required_{false};
  std::thread thread_;
};

}  // namespace mc::store
