#include "store/sql/sql_store.h"

#include "store/sql/call_queries.h"
#include "store/sql/live_session_queries.h"
#include "store/sql/message_queries.h"
#include "store/sql/outbox_queries.h"
#include "store/sql/participant_queries.h"
#include "store/sql/pool_queries.h"
#include "store/sql/rows.h"
#include "store/sql/session_queries.h"
#include "store/sql/sql_transaction.h"

namespace mc::store::sql {
namespace {

using SessionPair = std::pair<std::string, std::string>;
constexpr size_t kPruneBatch = 5000;

}  // namespace

Status SqlStore::ping() {
  return runner_
      .read_with<bool>([](Connection& db) -> Result<bool> {
        auto statement = db.prepare("SELECT 1");
        if (!statement) return statement.status();
        return (*statement)->first([](const Statement&) {});
      })
      .status();
}

Status SqlStore::transact(const std::function<Status(Transaction&)>& work) {
  return runner_.write([&](Connection& db) {
    SqlTransaction transaction(db);
    if (Status s = work(transaction); !s) return s;
    return transaction.finish();
  });
}

Status SqlStore::sync_pool(const std::vector<PoolNumber>& numbers, bool retire_others) {
  const TimePoint now = std::chrono::system_clock::now();
  return runner_.write(
      [&](Connection& db) { return sync_pool_numbers(db, numbers, retire_others, now); });
}

Result<bool> SqlStore::set_pool_flags(const std::string& number, std::optional<bool> reserved,
                                      std::optional<bool> retired) {
  return runner_.write_with<bool>(
      [&](Connection& db) { return set_pool_number_flags(db, number, reserved, retired); });
}

Result<std::vector<PoolNumber>> SqlStore::pool_numbers() {
  return runner_.read_with<std::vector<PoolNumber>>(all_pool_numbers);
}

Result<std::optional<PoolNumber>> SqlStore::pool_number(const std::string& number) {
  return runner_.read_with<std::optional<PoolNumber>>(
      [&](Connection& db) { return find_pool_number(db, number); });
}

Result<std::optional<SessionRecord>> SqlStore::session(const std::string& id) {
  return runner_.read_with<std::optional<SessionRecord>>(
      [&](Connection& db) { return find_session(db, "id = ?", id); });
}

Result<std::optional<SessionRecord>> SqlStore::session_by_conversation(
    const std::string& conversation_sid) {
  return runner_.read_with<std::optional<SessionRecord>>(
      [&](Connection& db) { return find_session(db, "conversation_sid = ?", conversation_sid); });
}

Result<SessionPage> SqlStore::list_sessions(const std::string& status, size_t page_size,
                                            const std::string& page_token) {
  return runner_.read_with<SessionPage>(
      [&](Connection& db) { return sql::list_sessions(db, status, page_size, page_token); });
}

Result<std::optional<ActiveBinding>> SqlStore::active_binding(const std::string& address,
                                                              const std::string& proxy) {
  return runner_.read_with<std::optional<ActiveBinding>>(
      [&](Connection& db) { return find_active_binding(db, address, proxy); });
}

Result<std::vector<std::string>> SqlStore::sessions_due(TimePoint now, size_t limit) {
  return runner_.read_with<std::vector<std::string>>(
      [&](Connection& db) { return sql::sessions_due(db, now, limit); });
}

Result<std::vector<std::string>> SqlStore::sessions_stuck_creating(TimePoint before, size_t limit) {
  return runner_.read_with<std::vector<std::string>>(
      [&](Connection& db) { return sql::sessions_stuck_creating(db, before, limit); });
}

Result<std::vector<SessionPair>> SqlStore::claim_sessions_to_reconcile(TimePoint now,
                                                                       size_t limit) {
  return runner_.write_with<std::vector<SessionPair>>(
      [&](Connection& db) { return mark_sessions_reconciled(db, now, limit); });
}

Result<std::vector<OutboxItem>> SqlStore::claim_outbox(TimePoint now,
                                                       std::chrono::milliseconds lease,
                                                       size_t limit) {
  return runner_.write_with<std::vector<OutboxItem>>(
      [&](Connection& db) { return lease_outbox(db, now, lease, limit); });
}

Status SqlStore::complete_outbox(int64_t id) {
  return runner_.write([&](Connection& db) { return delete_outbox(db, id); });
}

Status SqlStore::retry_outbox(int64_t id, TimePoint next_attempt, const std::string& error) {
  return runner_.write(
      [&](Connection& db) { return reschedule_outbox(db, id, next_attempt, error); });
}

Result<int64_t> SqlStore::outbox_size() { return runner_.read_with<int64_t>(count_outbox); }

Result<std::optional<CallRecord>> SqlStore::call(const std::string& call_sid) {
  auto calls = runner_.read_with<std::vector<CallRecord>>(
      [&](Connection& db) { return find_calls(db, "call_sid = ?", call_sid); });
  if (!calls) return calls.status();
  return first_call(std::move(*calls));
}

Result<std::vector<CallRecord>> SqlStore::calls_for_session(const std::string& session_id) {
  return runner_.read_with<std::vector<CallRecord>>(
      [&](Connection& db) { return find_calls(db, "session_id = ?", session_id); });
}

Result<std::vector<CallEvent>> SqlStore::call_events(const std::string& call_sid) {
  return runner_.read_with<std::vector<CallEvent>>(
      [&](Connection& db) { return find_call_events(db, call_sid); });
}

Result<int64_t> SqlStore::scan_live_sessions(const std::function<void(LiveSession&&)>& each) {
  return runner_.read_with<int64_t>(
      [&](Connection& db) { return sql::scan_live_sessions(db, each); });
}

Result<std::optional<LiveSession>> SqlStore::live_session(const std::string& id) {
  return runner_.read_with<std::optional<LiveSession>>(
      [&](Connection& db) { return find_live_session(db, id); });
}

Result<std::vector<BindingChange>> SqlStore::binding_changes(int64_t from, size_t limit) {
  return runner_.read_with<std::vector<BindingChange>>(
      [&](Connection& db) { return binding_changes_from(db, from, limit); });
}

Status SqlStore::prune_logs(TimePoint before) {
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

Result<bool> SqlStore::record_message(const MessageRecord& message) {
  return runner_.write_with<bool>([&](Connection& db) { return insert_message(db, message); });
}

Result<MessagePage> SqlStore::list_messages(const std::string& session_id, size_t page_size,
                                            const std::string& page_token) {
  return runner_.read_with<MessagePage>(
      [&](Connection& db) { return sql::list_messages(db, session_id, page_size, page_token); });
}

Result<int64_t> SqlStore::erase_message_bodies(TimePoint before, size_t limit) {
  return runner_.write_with<int64_t>(
      [&](Connection& db) { return sql::erase_message_bodies(db, before, limit); });
}

Result<bool> SqlStore::set_opt_out(const std::string& address, const std::string& proxy,
                                   bool opted_out, TimePoint at) {
  return runner_.write_with<bool>(
      [&](Connection& db) { return sql::set_opt_out(db, address, proxy, opted_out, at); });
}

Result<std::vector<std::string>> SqlStore::opted_out_participants(const std::string& session_id) {
  return runner_.read_with<std::vector<std::string>>(
      [&](Connection& db) { return sql::opted_out_participants(db, session_id); });
}

Result<bool> SqlStore::record_delivery(const std::string& message_sid, const std::string& address,
                                       const std::string& status, int error_code) {
  return runner_.write_with<bool>([&](Connection& db) {
    return sql::record_delivery(db, message_sid, address, status, error_code);
  });
}

}  // namespace mc::store::sql
