#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/call_queries.h"
#include "store/sqlite/live_session_queries.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/outbox_queries.h"
#include "store/sqlite/participant_queries.h"
#include "store/sqlite/pool_queries.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/session_queries.h"
#include "store/sqlite/sqlite_transaction.h"

namespace mc::store::sqlite {
namespace {

using SessionPair = std::pair<std::string, std::string>;
constexpr size_t kPruneBatch = 5000;

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       std::chrono::milliseconds busy_timeout,
                                                       CheckpointerOptions checkpoints) {
  auto pool = std::make_unique<ConnectionPool>(path, busy_timeout);
  auto connection = pool->borrow();
  if (!connection) return connection.status();
  if (Status s = migrate(**connection); !s) return s;
  auto signal = ChangeSignal::open(path);
  if (!signal) return signal.status();
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(pool), checkpoints, std::move(signal).value()));
}

SqliteStore::SqliteStore(std::unique_ptr<ConnectionPool> pool, CheckpointerOptions checkpoints,
                         std::unique_ptr<ChangeSignal> signal)
    : pool_(std::move(pool)),
      signal_(std::move(signal)),
      runner_(*pool_, *signal_),
      checkpointer_(
          std::make_unique<Checkpointer>(pool_->path(), checkpoints, runner_.write_mutex())) {}

SqliteStore::~SqliteStore() = default;

Status SqliteStore::ping() {
  return runner_
      .read<bool>([](Connection& db) -> Result<bool> {
        auto statement = db.prepare("SELECT 1");
        if (!statement) return statement.status();
        return (*statement)->first([](const Statement&) {});
      })
      .status();
}

Status SqliteStore::transact(const std::function<Status(Transaction&)>& work) {
  return runner_.write([&](Connection& db) {
    SqliteTransaction transaction(db);
    return work(transaction);
  });
}

Status SqliteStore::sync_pool(const std::vector<PoolNumber>& numbers, bool retire_others) {
  const TimePoint now = std::chrono::system_clock::now();
  return runner_.write(
      [&](Connection& db) { return sync_pool_numbers(db, numbers, retire_others, now); });
}

Result<bool> SqliteStore::set_pool_flags(const std::string& number, std::optional<bool> reserved,
                                         std::optional<bool> retired) {
  return runner_.write_with<bool>(
      [&](Connection& db) { return set_pool_number_flags(db, number, reserved, retired); });
}

Result<std::vector<PoolNumber>> SqliteStore::pool_numbers() {
  return runner_.read<std::vector<PoolNumber>>(all_pool_numbers);
}

Result<std::optional<PoolNumber>> SqliteStore::pool_number(const std::string& number) {
  return runner_.read<std::optional<PoolNumber>>(
      [&](Connection& db) { return find_pool_number(db, number); });
}

Result<std::optional<SessionRecord>> SqliteStore::session(const std::string& id) {
  return runner_.read<std::optional<SessionRecord>>(
      [&](Connection& db) { return find_session(db, "id = ?", id); });
}

Result<std::optional<SessionRecord>> SqliteStore::session_by_conversation(
    const std::string& conversation_sid) {
  return runner_.read<std::optional<SessionRecord>>(
      [&](Connection& db) { return find_session(db, "conversation_sid = ?", conversation_sid); });
}

Result<SessionPage> SqliteStore::list_sessions(const std::string& status, size_t page_size,
                                               const std::string& page_token) {
  return runner_.read<SessionPage>(
      [&](Connection& db) { return sqlite::list_sessions(db, status, page_size, page_token); });
}

Result<std::optional<ActiveBinding>> SqliteStore::active_binding(const std::string& address,
                                                                 const std::string& proxy) {
  return runner_.read<std::optional<ActiveBinding>>(
      [&](Connection& db) { return find_active_binding(db, address, proxy); });
}

Result<std::vector<std::string>> SqliteStore::sessions_due(TimePoint now, size_t limit) {
  return runner_.read<std::vector<std::string>>(
      [&](Connection& db) { return sqlite::sessions_due(db, now, limit); });
}

Result<std::vector<std::string>> SqliteStore::sessions_stuck_creating(TimePoint before,
                                                                      size_t limit) {
  return runner_.read<std::vector<std::string>>(
      [&](Connection& db) { return sqlite::sessions_stuck_creating(db, before, limit); });
}

Result<std::vector<SessionPair>> SqliteStore::claim_sessions_to_reconcile(TimePoint now,
                                                                          size_t limit) {
  return runner_.write_with<std::vector<SessionPair>>(
      [&](Connection& db) { return mark_sessions_reconciled(db, now, limit); });
}

Result<std::vector<OutboxItem>> SqliteStore::claim_outbox(TimePoint now,
                                                          std::chrono::milliseconds lease,
                                                          size_t limit) {
  return runner_.write_with<std::vector<OutboxItem>>(
      [&](Connection& db) { return lease_outbox(db, now, lease, limit); });
}

Status SqliteStore::complete_outbox(int64_t id) {
  return runner_.write([&](Connection& db) { return delete_outbox(db, id); });
}

Status SqliteStore::retry_outbox(int64_t id, TimePoint next_attempt, const std::string& error) {
  return runner_.write(
      [&](Connection& db) { return reschedule_outbox(db, id, next_attempt, error); });
}

Result<int64_t> SqliteStore::outbox_size() { return runner_.read<int64_t>(count_outbox); }

Result<std::optional<CallRecord>> SqliteStore::call(const std::string& call_sid) {
  auto calls = runner_.read<std::vector<CallRecord>>(
      [&](Connection& db) { return find_calls(db, "call_sid = ?", call_sid); });
  if (!calls) return calls.status();
  return first_call(std::move(*calls));
}

Result<std::vector<CallRecord>> SqliteStore::calls_for_session(const std::string& session_id) {
  return runner_.read<std::vector<CallRecord>>(
      [&](Connection& db) { return find_calls(db, "session_id = ?", session_id); });
}

Result<std::vector<CallEvent>> SqliteStore::call_events(const std::string& call_sid) {
  return runner_.read<std::vector<CallEvent>>(
      [&](Connection& db) { return find_call_events(db, call_sid); });
}

Result<int64_t> SqliteStore::scan_live_sessions(const std::function<void(LiveSession&&)>& each) {
  return runner_.read<int64_t>(
      [&](Connection& db) { return sqlite::scan_live_sessions(db, each); });
}

Result<std::optional<LiveSession>> SqliteStore::live_session(const std::string& id) {
  return runner_.read<std::optional<LiveSession>>(
      [&](Connection& db) { return find_live_session(db, id); });
}

Result<std::vector<BindingChange>> SqliteStore::binding_changes(int64_t from, size_t limit) {
  return runner_.read<std::vector<BindingChange>>(
      [&](Connection& db) { return binding_changes_from(db, from, limit); });
}

Status SqliteStore::prune_logs(TimePoint before) {
  // In short transactions of kPruneBatch rows, so the write lock is never held for long
  // (a ledger just filled with a million sessions has three million changes logged).
  for (auto* prune : {&prune_binding_changes, &prune_early_call_statuses}) {
    while (true) {
      auto deleted = runner_.write_with<int64_t>(
          [&](Connection& db) { return (*prune)(db, before, kPruneBatch); });
      if (!deleted) return deleted.status();
      if (*deleted < static_cast<int64_t>(kPruneBatch)) break;
    }
  }
  return Status::ok();
}

}  // namespace mc::store::sqlite
