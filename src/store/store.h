// The ledger: the authority for which proxy number each participant holds, the sessions,
// the pool, and the outbox of pending Twilio side effects. An interface, so SQLite (the
// embedded default) and PostgreSQL (several hosts) sit behind it and unit tests use fakes.
//
// The masking invariant (no two active participants share an (address, proxy number) pair)
// is enforced by the database itself, with a unique index, so concurrent writers in several
// processes or hosts cannot break it. A number's load changes in the same transaction as the
// participants holding it.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "pool/selection.h"
#include "store/records.h"

namespace mc::store {

namespace sql {
class Runner;
class Connection;
}  // namespace sql

// Work inside one write transaction. Also the selection's view of the pool, so a number is
// chosen and reserved atomically.
class Transaction : public pool::CandidateSource {
 public:
  // Waits for, then holds until the transaction ends, a lock on each address: transactions
  // choosing numbers for the same address (creating sessions, adding participants) run one
  // after another, so neither picks a pair the other is taking. Taken first, in one call
  // (the addresses are locked in sorted order, so two callers cannot deadlock). A no-op
  // where write transactions already run one at a time (SQLite).
  virtual Status lock_addresses(const std::vector<std::string>& addresses) = 0;
  // The same for one session: transactions changing its participants run one after
  // another, so a limit on how many it has holds. Taken before any address lock.
  virtual Status lock_session(const std::string& id) = 0;
  // Inserts the session row (its participants are added with add_participant).
  virtual Status insert_session(const SessionRecord& session) = 0;
  // Adds an active participant and one to its proxy number's load, which later selections
  // in the transaction see. ABORTED (from here or from the commit) when the pair is
  // already active or the number is full: a concurrent writer won; the transaction is
  // rerun. Loads are written when the work is done, number by number in sorted order, so
  // concurrent transactions never wait for each other's numbers in a cycle.
  virtual Status add_participant(const ParticipantRecord& participant) = 0;
  virtual Result<std::optional<SessionRecord>> session(const std::string& id) = 0;
  // Moves the session to `to` if its status is one of `from`; true when it moved. Closing
  // statuses (closed, failed) also set closed_at and closed_reason; moving a closed session
  // back (a re-open) clears them.
  virtual Result<bool> change_status(const std::string& id, const std::vector<std::string>& from,
                                     const std::string& to, TimePoint now,
                                     const std::string& closed_reason = "") = 0;
  // Records what Twilio created: the conversation, and the participants' SIDs by address.
  virtual Status set_conversation(
      const std::string& id, const std::string& conversation_sid,
      const std::string& conversation_json,
      const std::vector<std::pair<std::string, std::string>>& participant_sids, TimePoint now) = 0;
  // Records participants' SIDs by address; addresses not in the session are ignored.
  virtual Status set_participant_sids(
      const std::string& session_id,
      const std::vector<std::pair<std::string, std::string>>& participant_sids) = 0;
  // Deactivates the session's participants and gives their numbers' load back (written at
  // the end, as add_participant's). Idempotent.
  virtual Status release_participants(const std::string& session_id) = 0;
  // The same for one participant, by address; false when it was not active.
  virtual Result<bool> release_participant(const std::string& session_id,
                                           const std::string& address) = 0;
  // A live session's TTL and fixed expiry (nullopt: none); the sweep's expires_at becomes
  // `date_expiry`, else `now` + `ttl_seconds`. A session that is not live is left as it is.
  virtual Status set_expiry(const std::string& id, std::optional<int64_t> ttl_seconds,
                            std::optional<TimePoint> date_expiry, TimePoint now) = 0;
  // Records an interaction: open -> in-progress, and last_interaction_at (with the expiry
  // counted from it) moves to `at` when that is later, never backwards.
  virtual Status record_interaction(const std::string& session_id, TimePoint at) = 0;
  virtual Status enqueue(const std::string& kind, const std::string& payload, TimePoint due) = 0;
  // Calls (call_queries.h says how early statuses are kept). record_call: true when the SID
  // was new; a known SID is left as it is (Twilio retries webhooks). update_call_status: true
  // when the call is known; an unknown SID's status waits for its record.
  virtual Result<bool> record_call(const CallRecord& call) = 0;
  virtual Result<bool> update_call_status(const std::string& call_sid, const std::string& status,
                                          std::optional<int64_t> duration_seconds,
                                          TimePoint at) = 0;
  virtual Status set_recording(const std::string& call_sid, const std::string& recording_sid,
                               const std::string& recording_url,
                               std::optional<int64_t> recording_duration) = 0;
  virtual Result<std::optional<CallRecord>> call(const std::string& call_sid) = 0;
  virtual Result<std::vector<CallRecord>> call_legs(const std::string& parent_call_sid) = 0;
  // Store::active_binding inside this transaction.
  virtual Result<std::optional<ActiveBinding>> active_binding(const std::string& address,
                                                              const std::string& proxy) = 0;
  // The session whose participant most recently held (address, proxy), live or not.
  virtual Result<std::optional<std::string>> last_session_of_pair(const std::string& address,
                                                                  const std::string& proxy) = 0;
  // Store::record_message inside this transaction (a text queued in the outbox is logged in
  // the same commit).
  virtual Result<bool> record_message(const MessageRecord& message) = 0;
  // Store::set_opt_out inside this transaction (with what follows from it: the log row,
  // the others' notices).
  virtual Result<bool> set_opt_out(const std::string& address, const std::string& proxy,
                                   bool opted_out, TimePoint at) = 0;
  // The connection this transaction runs on, for a module's own tables written in the same
  // commit (the Proxy API's session rows); null for a store that is not SQL.
  virtual sql::Connection* connection() { return nullptr; }
};

class Store {
 public:
  virtual ~Store() = default;

  // A round trip to the database. OK when it answers.
  virtual Status ping() = 0;

  // Runs `work` in a write transaction: committed when it returns OK, rolled back
  // otherwise. A busy database or a unique-index conflict from a concurrent writer reruns
  // `work` (a few times), so it must be free of side effects outside the transaction.
  virtual Status transact(const std::function<Status(Transaction&)>& work) = 0;

  // The pool. sync_pool adds or updates `numbers` (country, area code, region, capacity;
  // whether a number is reserved stays as set_pool_flags left it);
  // with `retire_others`, numbers not listed are retired (never selected again; sessions
  // holding them keep them).
  virtual Status sync_pool(const std::vector<PoolNumber>& numbers, bool retire_others) = 0;
  // Reserves (selected only when asked for by name) or retires (never selected again) a
  // number, or undoes either; nullopt leaves a flag as it is. False when not in the pool.
  virtual Result<bool> set_pool_flags(const std::string& number, std::optional<bool> reserved,
                                      std::optional<bool> retired) = 0;
  virtual Result<std::vector<PoolNumber>> pool_numbers() = 0;
  virtual Result<std::optional<PoolNumber>> pool_number(const std::string& number) = 0;

  virtual Result<std::optional<SessionRecord>> session(const std::string& id) = 0;
  virtual Result<std::optional<SessionRecord>> session_by_conversation(
      const std::string& conversation_sid) = 0;
  // Newest first; `status` "" for all; `page_token` from the previous page.
  virtual Result<SessionPage> list_sessions(const std::string& status, size_t page_size,
                                            const std::string& page_token) = 0;
  // The active session holding (address, proxy) in an open or in-progress session.
  virtual Result<std::optional<ActiveBinding>> active_binding(const std::string& address,
                                                              const std::string& proxy) = 0;
  // Sessions whose expires_at has passed (open or in-progress), oldest first.
  virtual Result<std::vector<std::string>> sessions_due(TimePoint now, size_t limit) = 0;
  // Claims up to `limit` live (open or in-progress) sessions with a conversation, least
  // recently checked against Twilio first, marking them checked at `now` in the same write
  // (so workers sharing the ledger split the sweep); (session id, conversation SID) pairs.
  virtual Result<std::vector<std::pair<std::string, std::string>>> claim_sessions_to_reconcile(
      TimePoint now, size_t limit) = 0;
  // Sessions still `creating` that were created before `before`.
  virtual Result<std::vector<std::string>> sessions_stuck_creating(TimePoint before,
                                                                   size_t limit) = 0;

  // Calls, as the voice module's CallLog wrote them (through Transaction, in batches).
  virtual Result<std::optional<CallRecord>> call(const std::string& call_sid) = 0;
  virtual Result<std::vector<CallRecord>> calls_for_session(const std::string& session_id) = 0;
  virtual Result<std::vector<CallEvent>> call_events(const std::string& call_sid) = 0;

  // The message log. record_message: true when it was new (a known MessageSid is left as
  // it is: Twilio retries webhooks). list_messages: a session's messages oldest first,
  // `page_token` from the previous page. erase_message_bodies: empties the bodies of up to
  // `limit` messages written before `before`, keeping the rest of each; how many.
  virtual Result<bool> record_message(const MessageRecord& message) = 0;
  virtual Result<MessagePage> list_messages(const std::string& session_id, size_t page_size,
                                            const std::string& page_token) = 0;
  virtual Result<int64_t> erase_message_bodies(TimePoint before, size_t limit) = 0;
  // Twilio's delivery receipt for one recipient (`address`) of a logged message: its
  // "delivery" (delivered, undelivered, failed, ...) and error code join that recipient in
  // the message's recipients. False when the message is not logged (yet).
  virtual Result<bool> record_delivery(const std::string& message_sid, const std::string& address,
                                       const std::string& status, int error_code) = 0;
  // Opt-outs: `address` sent STOP to `proxy` (true), or START (false). True when that
  // changed anything. While it stands the pair is never selected again.
  virtual Result<bool> set_opt_out(const std::string& address, const std::string& proxy,
                                   bool opted_out, TimePoint at) = 0;
  // The addresses of the session's participants that opted out of their proxy number.
  virtual Result<std::vector<std::string>> opted_out_participants(
      const std::string& session_id) = 0;

  // The in-memory index of live sessions (live_session_index.h) is built from these.
  // scan_live_sessions calls `each` with every live session, all from one snapshot, and
  // returns the seq of the newest binding change that snapshot includes.
  virtual Result<int64_t> scan_live_sessions(const std::function<void(LiveSession&&)>& each) = 0;
  virtual Result<std::optional<LiveSession>> live_session(const std::string& id) = 0;
  // Binding changes with seq >= from, oldest first. The log is pruned after a while but
  // never of its newest change, so a reader that finds its last applied seq gone knows it
  // missed some.
  virtual Result<std::vector<BindingChange>> binding_changes(int64_t from, size_t limit) = 0;
  // A number that changes after any commit (by a process on this host) that changed
  // bindings: while it stays the same the index need not read the change log. nullopt when
  // the store has no such signal (the index then reads the log at every find).
  virtual std::optional<uint64_t> binding_signal() { return std::nullopt; }
  // Forgets binding changes and early call statuses logged before `before`.
  virtual Status prune_logs(TimePoint before) = 0;

  // The outbox. claim() leases due items to this caller for `lease` (other workers skip
  // them); complete() removes one; retry() schedules another attempt.
  virtual Result<std::vector<OutboxItem>> claim_outbox(TimePoint now,
                                                       std::chrono::milliseconds lease,
                                                       size_t limit) = 0;
  virtual Status complete_outbox(int64_t id) = 0;
  virtual Status retry_outbox(int64_t id, TimePoint next_attempt, const std::string& error) = 0;
  virtual Result<int64_t> outbox_size() = 0;

  // True when the ledger has the call journal (calls/call_journal.h): SQLite, whose one
  // writer at a time makes each call's scattered index writes the bottleneck.
  virtual bool journals_calls() const { return false; }

  // The SQL layer underneath, for a module keeping its own tables in the ledger (the
  // hotline's, hotline_store.h) with the same transactions, retries and backends; null for
  // a store that is not SQL (unit tests' fakes).
  virtual sql::Runner* sql_runner() { return nullptr; }
};

}  // namespace mc::store
