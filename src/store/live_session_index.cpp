#include "store/live_session_index.h"

#include <set>

#include "core/log.h"

namespace mc::store {
namespace {

// Binding changes read at a time.
constexpr size_t kChangeBatch = 1000;
constexpr std::chrono::seconds kCatchUpInterval{1};
constexpr std::chrono::seconds kPruneInterval{60};

}  // namespace

std::string LiveSessionIndex::pair_key(std::string_view address, std::string_view proxy_number) {
  std::string key;
  key.reserve(address.size() + 1 + proxy_number.size());
  key.append(address).push_back('\n');  // neither an address nor a number holds a newline
  key.append(proxy_number);
  return key;
}

void LiveSessionIndex::Tables::insert(LiveSession&& session) {
  auto [it, added] = sessions.try_emplace(std::move(session.id));
  if (!added) return;  // a session is inserted once per load or reload
  it->second.mode = std::move(session.mode);
  it->second.voice_options = std::move(session.voice_options);
  it->second.members = std::move(session.members);
  for (const LiveSession::Member& m : it->second.members) {
    by_pair[pair_key(m.address, m.proxy_number)] = &it->first;
  }
}

void LiveSessionIndex::Tables::erase(const std::string& id) {
  auto it = sessions.find(id);
  if (it == sessions.end()) return;
  for (const LiveSession::Member& m : it->second.members) {
    auto pair = by_pair.find(pair_key(m.address, m.proxy_number));
    // The pair may belong to a newer session already (the masking index allows that once
    // this one let it go).
    if (pair != by_pair.end() && pair->second == &it->first) by_pair.erase(pair);
  }
  sessions.erase(it);
}

size_t LiveSessionIndex::size() const {
  std::shared_lock read(map_mutex_);
  return tables_.sessions.size();
}

Status LiveSessionIndex::load() {
  std::lock_guard update(update_mutex_);
  return load_locked();
}

Status LiveSessionIndex::load_locked() {
  Tables loaded;
  auto seq = store_.scan_live_sessions([&](LiveSession&& s) { loaded.insert(std::move(s)); });
  if (!seq) return seq.status().annotate("loading live sessions");
  {
    std::unique_lock write(map_mutex_);
    std::swap(tables_, loaded);
  }
  applied_seq_.store(*seq, std::memory_order_release);
  loaded_.store(true, std::memory_order_release);
  log::info("live sessions loaded", {{"sessions", size()}, {"change", *seq}});
  return Status::ok();  // `loaded` now holds the old tables, freed here, outside the lock
}

Status LiveSessionIndex::catch_up() {
  if (!loaded()) return Status::ok();  // find() reads the ledger until the load is done
  const int64_t from = applied_seq_.load(std::memory_order_acquire);
  auto changes = store_.binding_changes(from, kChangeBatch);
  if (!changes) return changes.status();
  // The usual answer: just the last change applied (or nothing, on an empty log).
  const bool nothing_new =
      changes->empty() || (changes->size() == 1 && changes->front().seq == from);
  if (nothing_new) return Status::ok();
  std::lock_guard update(update_mutex_);
  return catch_up_locked();
}

Status LiveSessionIndex::catch_up_locked() {
  while (true) {
    const int64_t from = applied_seq_.load(std::memory_order_acquire);
    auto changes = store_.binding_changes(from, kChangeBatch);
    if (!changes) return changes.status();
    if (from > 0 && (changes->empty() || changes->front().seq != from)) {
      log::warn("live-session index fell behind the pruned change log; loading it again",
                {{"change", from}});
      return load_locked();
    }
    std::set<std::string> ids;
    for (const BindingChange& change : *changes) {
      if (change.seq > from) ids.insert(change.session_id);
    }
    if (ids.empty()) return Status::ok();
    // Read after the changes were seen, so each session is at least as new as they are.
    std::vector<std::pair<std::string, std::optional<LiveSession>>> now;
    for (const std::string& id : ids) {
      auto live = store_.live_session(id);
      if (!live) return live.status();
      now.emplace_back(id, std::move(*live));
    }
    {
      std::unique_lock write(map_mutex_);
      for (auto& [id, live] : now) {
        tables_.erase(id);
        if (live) tables_.insert(std::move(*live));
      }
    }
    applied_seq_.store(changes->back().seq, std::memory_order_release);
    if (changes->size() < kChangeBatch) return Status::ok();
  }
}

Result<std::optional<LiveSession>> LiveSessionIndex::find(const std::string& address,
                                                          const std::string& proxy_number) {
  if (!loaded()) return find_in_ledger(address, proxy_number);
  const std::optional<uint64_t> signal = store_.binding_signal();
  const bool unchanged =
      signal && *signal != kNeverRead && *signal == signal_seen_.load(std::memory_order_acquire);
  if (!unchanged) {
    // Read before the log: a bump after this read makes the next find() read the log again.
    if (Status s = catch_up(); !s) return s;
    if (signal) signal_seen_.store(*signal, std::memory_order_release);
  }
  std::shared_lock read(map_mutex_);
  auto pair = tables_.by_pair.find(pair_key(address, proxy_number));
  if (pair == tables_.by_pair.end()) return std::optional<LiveSession>();
  const std::string& id = *pair->second;
  const Entry& entry = tables_.sessions.at(id);
  return std::optional<LiveSession>(
      LiveSession{id, entry.mode, entry.voice_options, entry.members});
}

Result<std::optional<LiveSession>> LiveSessionIndex::find_in_ledger(
    const std::string& address, const std::string& proxy_number) {
  auto binding = store_.active_binding(address, proxy_number);
  if (!binding) return binding.status();
  if (!*binding) return std::optional<LiveSession>();
  return store_.live_session((*binding)->session_id);
}

void LiveSessionIndex::start() {
  std::lock_guard started(thread_mutex_);
  if (started_ || stopping_ || !required_.load()) return;
  started_ = true;
  thread_ = std::thread([this] {
    auto next_prune = std::chrono::steady_clock::now();
    bool warned = false;
    std::unique_lock lock(thread_mutex_);
    while (!stopping_) {
      lock.unlock();
      Status s = loaded() ? catch_up() : load();
      if (s && std::chrono::steady_clock::now() >= next_prune) {
        s = store_.prune_logs(clock_.now() - kLogRetention);
        next_prune = std::chrono::steady_clock::now() + kPruneInterval;
      }
      if (!s && !warned) log::warn("live-session index upkeep failed", {{"error", s.message()}});
      warned = !s;
      lock.lock();
      wake_.wait_for(lock, kCatchUpInterval, [this] { return stopping_; });
    }
  });
}

void LiveSessionIndex::stop() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mc::store
