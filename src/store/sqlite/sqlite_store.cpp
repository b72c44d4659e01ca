#include "store/sqlite/sqlite_store.h"

#include <thread>

#include "store/sqlite/migrations.h"

namespace mc::store::sqlite {
namespace {

// A write that lost a race for the masking index (ABORTED) is rerun at most this often.
constexpr int kTransactionAttempts = 3;

int64_t to_ms(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
TimePoint from_ms(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }
std::optional<int64_t> to_ms(const std::optional<TimePoint>& time) {
  return time ? std::optional<int64_t>(to_ms(*time)) : std::nullopt;
}
std::optional<TimePoint> from_ms(const std::optional<int64_t>& ms) {
  return ms ? std::optional<TimePoint>(from_ms(*ms)) : std::nullopt;
}

// "?, ?, ?" for an IN list of `count` values.
std::string placeholders(size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

constexpr const char* kNumberColumns =
    "number, country, area_code, region, capabilities, reserved, retired, capacity, load";

PoolNumber read_number(const Statement& row) {
  PoolNumber n;
  n.number = row.column_text(0);
  n.country = row.column_text(1);
  n.area_code = row.column_text(2);
  n.region = row.column_text(3);
  n.capabilities = row.column_text(4);
  n.reserved = row.column_int(5) != 0;
  n.retired = row.column_int(6) != 0;
  n.capacity = static_cast<int>(row.column_int(7));
  n.load = static_cast<int>(row.column_int(8));
  return n;
}

pool::Candidate to_candidate(const PoolNumber& n) {
  return {n.number, n.country, n.area_code, n.region, n.reserved, n.retired, n.capacity, n.load};
}

constexpr const char* kSessionColumns =
    "id, conversation_sid, status, mode, friendly_name, attributes, ttl_seconds, date_expiry, "
    "expires_at, last_interaction_at, closed_reason, created_at, updated_at, closed_at, "
    "twilio_request, conversation, voice_options";

SessionRecord read_session_row(const Statement& row) {
  SessionRecord s;
  s.id = row.column_text(0);
  s.conversation_sid = row.column_text(1);
  s.status = row.column_text(2);
  s.mode = row.column_text(3);
  s.friendly_name = row.column_optional_text(4);
  s.attributes = row.column_text(5);
  s.ttl_seconds = row.column_optional_int(6);
  s.date_expiry = from_ms(row.column_optional_int(7));
  s.expires_at = from_ms(row.column_optional_int(8));
  s.last_interaction_at = from_ms(row.column_optional_int(9));
  s.closed_reason = row.column_text(10);
  s.created_at = from_ms(row.column_int(11));
  s.updated_at = from_ms(row.column_int(12));
  s.closed_at = from_ms(row.column_optional_int(13));
  s.twilio_request = row.column_text(14);
  s.conversation = row.column_text(15);
  s.voice_options = row.column_text(16);
  return s;
}

Status load_participants(Connection& db, SessionRecord& session) {
  auto statement = db.prepare(
      "SELECT id, session_id, address, proxy_number, friendly_name, participant_sid, active, "
      "created_at FROM participants WHERE session_id = ? ORDER BY id");
  if (!statement) return statement.status();
  (*statement)->bind(1, session.id);
  session.participants.clear();
  return (*statement)->each([&](const Statement& row) {
    ParticipantRecord p;
    p.id = row.column_int(0);
    p.session_id = row.column_text(1);
    p.address = row.column_text(2);
    p.proxy_number = row.column_text(3);
    p.friendly_name = row.column_text(4);
    p.participant_sid = row.column_text(5);
    p.active = row.column_int(6) != 0;
    p.created_at = from_ms(row.column_int(7));
    session.participants.push_back(std::move(p));
  });
}

// One session (with participants) selected by `where` ("id = ?") bound to `key`.
Result<std::optional<SessionRecord>> find_session(Connection& db, const std::string& where,
                                                  const std::string& key) {
  auto statement =
      db.prepare(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE " + where);
  if (!statement) return statement.status();
  (*statement)->bind(1, key);
  SessionRecord session;
  auto found = (*statement)->first([&](const Statement& row) { session = read_session_row(row); });
  if (!found) return found.status();
  if (!*found) return std::optional<SessionRecord>();
  if (Status s = load_participants(db, session); !s) return s;
  return std::optional<SessionRecord>(std::move(session));
}

// Runs a SELECT returning one text column per row.
Result<std::vector<std::string>> text_column(Statement& statement) {
  return statement.collect([](const Statement& row) { return row.column_text(0); });
}

constexpr const char* kCallColumns =
    "call_sid, session_id, parent_call_sid, direction, from_address, to_address, kind, "
    "conference, status, duration_seconds, recording_sid, recording_url, recording_duration, "
    "created_at, updated_at, ended_at";

CallRecord read_call(const Statement& row) {
  CallRecord c;
  c.call_sid = row.column_text(0);
  c.session_id = row.column_text(1);
  c.parent_call_sid = row.column_text(2);
  c.direction = row.column_text(3);
  c.from_address = row.column_text(4);
  c.to_address = row.column_text(5);
  c.kind = row.column_text(6);
  c.conference = row.column_text(7);
  c.status = row.column_text(8);
  c.duration_seconds = row.column_optional_int(9);
  c.recording_sid = row.column_text(10);
  c.recording_url = row.column_text(11);
  c.recording_duration = row.column_optional_int(12);
  c.created_at = from_ms(row.column_int(13));
  c.updated_at = from_ms(row.column_int(14));
  c.ended_at = from_ms(row.column_optional_int(15));
  return c;
}

// Inserts a call (ignored when its SID is known) and its first status event.
// True when the SID was new; a known SID is left as it is.
Result<bool> insert_call(Connection& db, const CallRecord& c) {
  auto insert = db.prepare(std::string("INSERT INTO calls (") + kCallColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (call_sid) DO NOTHING");
  if (!insert) return insert.status();
  (*insert)
      ->bind(1, c.call_sid)
      .bind(2, c.session_id)
      .bind(3, c.parent_call_sid)
      .bind(4, c.direction)
      .bind(5, c.from_address)
      .bind(6, c.to_address)
      .bind(7, c.kind)
      .bind(8, c.conference)
      .bind(9, c.status)
      .bind(10, c.duration_seconds)
      .bind(11, c.recording_sid)
      .bind(12, c.recording_url)
      .bind(13, c.recording_duration)
      .bind(14, to_ms(c.created_at))
      .bind(15, to_ms(c.updated_at))
      .bind(16, to_ms(c.ended_at));
  if (Status s = (*insert)->run(); !s) return s;
  if (db.changes() == 0) return false;  // known already
  auto event = db.prepare("INSERT INTO call_events (call_sid, status, at) VALUES (?, ?, ?)");
  if (!event) return event.status();
  (*event)->bind(1, c.call_sid).bind(2, c.status).bind(3, to_ms(c.created_at));
  if (Status s = (*event)->run(); !s) return s;
  return true;
}

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& db) : db_(db) {}

  Result<std::vector<std::string>> numbers_held_by(const std::string& address) override {
    auto statement =
        db_.prepare("SELECT proxy_number FROM participants WHERE address = ? AND active = 1");
    if (!statement) return statement.status();
    (*statement)->bind(1, address);
    return text_column(**statement);
  }

  Result<std::optional<std::string>> sticky_number(
      const std::string& address, const std::vector<std::string>& counterparts) override {
    auto statement = db_.prepare(
        "SELECT a.proxy_number FROM participants a JOIN participants b "
        "ON b.session_id = a.session_id AND b.address <> a.address "
        "WHERE a.address = ? AND b.address IN (" +
        placeholders(counterparts.size()) + ") ORDER BY a.id DESC LIMIT 1");
    if (!statement) return statement.status();
    Statement& s = **statement;
    s.bind(1, address);
    for (size_t i = 0; i < counterparts.size(); ++i)
      s.bind(static_cast<int>(i + 2), counterparts[i]);
    auto numbers = text_column(s);
    if (!numbers) return numbers.status();
    if (numbers->empty()) return std::optional<std::string>();
    return std::optional<std::string>(numbers->front());
  }

  Result<std::vector<pool::Candidate>> least_loaded(const pool::Tier& tier, size_t limit) override {
    std::string where = "reserved = 0 AND retired = 0 AND load < capacity";
    std::vector<std::string> values;
    if (!tier.country.empty()) {
      where += " AND country = ?";
      values.push_back(tier.country);
    }
    if (!tier.area_code.empty()) {
      where += " AND area_code = ?";
      values.push_back(tier.area_code);
    }
    if (!tier.region.empty()) {
      where += " AND region = ?";
      values.push_back(tier.region);
    }
    auto statement =
        db_.prepare(std::string("SELECT ") + kNumberColumns + " FROM pool_numbers WHERE " + where +
                    " ORDER BY load, number LIMIT ?");
    if (!statement) return statement.status();
    Statement& s = **statement;
    int index = 1;
    for (const std::string& value : values) s.bind(index++, value);
    s.bind(index, static_cast<int64_t>(limit));
    auto numbers = s.collect(read_number);
    if (!numbers) return numbers.status();
    std::vector<pool::Candidate> out;
    for (const PoolNumber& n : *numbers) out.push_back(to_candidate(n));
    return out;
  }

  Result<std::optional<pool::Candidate>> candidate(const std::string& number) override {
    auto statement = db_.prepare(std::string("SELECT ") + kNumberColumns +
                                 " FROM pool_numbers WHERE number = ?");
    if (!statement) return statement.status();
    (*statement)->bind(1, number);
    auto numbers = (*statement)->collect(read_number);
    if (!numbers) return numbers.status();
    if (numbers->empty()) return std::optional<pool::Candidate>();
    return std::optional<pool::Candidate>(to_candidate(numbers->front()));
  }

  Status insert_session(const SessionRecord& s) override {
    auto insert = db_.prepare(std::string("INSERT INTO sessions (") + kSessionColumns +
                              ") VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.status();
    Statement& q = **insert;
    q.bind(1, s.id)
        .bind(2, s.status)
        .bind(3, s.mode)
        .bind(4, s.friendly_name)
        .bind(5, s.attributes)
        .bind(6, s.ttl_seconds)
        .bind(7, to_ms(s.date_expiry))
        .bind(8, to_ms(s.expires_at))
        .bind(9, to_ms(s.last_interaction_at))
        .bind(10, s.closed_reason)
        .bind(11, to_ms(s.created_at))
        .bind(12, to_ms(s.updated_at))
        .bind(13, to_ms(s.closed_at))
        .bind(14, s.twilio_request)
        .bind(15, s.conversation)
        .bind(16, s.voice_options);
    if (Status status = q.run(); !status) return status.annotate("inserting session " + s.id);
    return Status::ok();
  }

  Status add_participant(const ParticipantRecord& p) override {
    auto participant = db_.prepare(
        "INSERT INTO participants (session_id, address, proxy_number, friendly_name, "
        "participant_sid, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
    if (!participant) return participant.status();
    (*participant)
        ->bind(1, p.session_id)
        .bind(2, p.address)
        .bind(3, p.proxy_number)
        .bind(4, p.friendly_name)
        .bind(5, p.participant_sid)
        .bind(6, to_ms(p.created_at));
    if (Status status = (*participant)->run(); !status) return status;
    auto load =
        db_.prepare("UPDATE pool_numbers SET load = load + 1 WHERE number = ? AND load < capacity");
    if (!load) return load.status();
    (*load)->bind(1, p.proxy_number);
    if (Status status = (*load)->run(); !status) return status;
    if (db_.changes() != 1) return Status::aborted(p.proxy_number + " is at its capacity");
    return Status::ok();
  }

  Result<std::optional<SessionRecord>> session(const std::string& id) override {
    return find_session(db_, "id = ?", id);
  }

  Result<bool> change_status(const std::string& id, const std::vector<std::string>& from,
                             const std::string& to, TimePoint now,
                             const std::string& closed_reason) override {
    const bool closing = to == status::kClosed || to == status::kFailed;
    auto statement =
        db_.prepare(std::string("UPDATE sessions SET status = ?, updated_at = ?") +
                    (closing ? ", closed_at = ?, closed_reason = ?, expires_at = NULL" : "") +
                    " WHERE id = ? AND status IN (" + placeholders(from.size()) + ")");
    if (!statement) return statement.status();
    Statement& s = **statement;
    int index = 1;
    s.bind(index++, to);
    s.bind(index++, to_ms(now));
    if (closing) {
      s.bind(index++, to_ms(now));
      s.bind(index++, closed_reason);
    }
    s.bind(index++, id);
    for (const std::string& value : from) s.bind(index++, value);
    if (Status status = s.run(); !status) return status;
    return db_.changes() == 1;
  }

  Status set_conversation(const std::string& id, const std::string& conversation_sid,
                          const std::string& conversation_json,
                          const std::vector<std::pair<std::string, std::string>>& participant_sids,
                          TimePoint now) override {
    auto statement = db_.prepare(
        "UPDATE sessions SET conversation_sid = ?, conversation = ?, updated_at = ? WHERE id = ?");
    if (!statement) return statement.status();
    (*statement)
        ->bind(1, conversation_sid)
        .bind(2, conversation_json)
        .bind(3, to_ms(now))
        .bind(4, id);
    if (Status s = (*statement)->run(); !s) return s;
    return set_participant_sids(id, participant_sids);
  }

  Status set_participant_sids(
      const std::string& session_id,
      const std::vector<std::pair<std::string, std::string>>& participant_sids) override {
    for (const auto& [address, sid] : participant_sids) {
      auto participant = db_.prepare(
          "UPDATE participants SET participant_sid = ? WHERE session_id = ? AND address = ?");
      if (!participant) return participant.status();
      (*participant)->bind(1, sid).bind(2, session_id).bind(3, address);
      if (Status s = (*participant)->run(); !s) return s;
    }
    return Status::ok();
  }

  Status release_participants(const std::string& session_id) override {
    auto held =
        db_.prepare("SELECT proxy_number FROM participants WHERE session_id = ? AND active = 1");
    if (!held) return held.status();
    (*held)->bind(1, session_id);
    auto numbers = text_column(**held);
    if (!numbers) return numbers.status();
    for (const std::string& number : *numbers) {
      auto load =
          db_.prepare("UPDATE pool_numbers SET load = load - 1 WHERE number = ? AND load > 0");
      if (!load) return load.status();
      (*load)->bind(1, number);
      if (Status s = (*load)->run(); !s) return s;
    }
    auto deactivate =
        db_.prepare("UPDATE participants SET active = 0 WHERE session_id = ? AND active = 1");
    if (!deactivate) return deactivate.status();
    (*deactivate)->bind(1, session_id);
    return (*deactivate)->run();
  }

  Status record_interaction(const std::string& session_id, TimePoint at) override {
    auto current = db_.prepare(
        "SELECT ttl_seconds, date_expiry, last_interaction_at FROM sessions "
        "WHERE id = ? AND status IN (?, ?)");
    if (!current) return current.status();
    (*current)->bind(1, session_id).bind(2, status::kOpen).bind(3, status::kInProgress);
    std::optional<int64_t> ttl, date_expiry, last;
    auto found = (*current)->first([&](const Statement& row) {
      ttl = row.column_optional_int(0);
      date_expiry = row.column_optional_int(1);
      last = row.column_optional_int(2);
    });
    if (!found) return found.status();
    if (!*found) return Status::ok();  // closed meanwhile: nothing to move
    // Only ever forward: a delayed webhook must not move the last interaction (and the TTL
    // counted from it) backwards.
    if (!last || to_ms(at) > *last) {
      std::optional<int64_t> expires = date_expiry;
      if (!expires && ttl) expires = to_ms(at) + *ttl * 1000;
      auto update = db_.prepare(
          "UPDATE sessions SET last_interaction_at = ?, expires_at = ?, updated_at = ? "
          "WHERE id = ?");
      if (!update) return update.status();
      (*update)->bind(1, to_ms(at)).bind(2, expires).bind(3, to_ms(at)).bind(4, session_id);
      if (Status s = (*update)->run(); !s) return s;
    }
    // A statement of its own, so the status index is rewritten only when the status changes.
    auto started = db_.prepare("UPDATE sessions SET status = ? WHERE id = ? AND status = ?");
    if (!started) return started.status();
    (*started)->bind(1, status::kInProgress).bind(2, session_id).bind(3, status::kOpen);
    return (*started)->run();
  }

  Result<bool> record_call(const CallRecord& call) override { return insert_call(db_, call); }

  Status enqueue(const std::string& kind, const std::string& payload, TimePoint due) override {
    auto statement = db_.prepare(
        "INSERT INTO outbox (kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)");
    if (!statement) return statement.status();
    (*statement)->bind(1, kind).bind(2, payload).bind(3, to_ms(due)).bind(4, to_ms(due));
    return (*statement)->run();
  }

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       std::chrono::milliseconds busy_timeout,
                                                       CheckpointerOptions checkpoints) {
  auto pool = std::make_unique<ConnectionPool>(path, busy_timeout);
  auto connection = pool->borrow();
  if (!connection) return connection.status();
  if (Status s = migrate(**connection); !s) return s;
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(pool), checkpoints));
}

SqliteStore::SqliteStore(std::unique_ptr<ConnectionPool> pool, CheckpointerOptions checkpoints)
    : pool_(std::move(pool)),
      checkpointer_(std::make_unique<Checkpointer>(pool_->path(), checkpoints, write_mutex_)) {}

SqliteStore::~SqliteStore() = default;

Status SqliteStore::ping() {
  return with_connection<bool>([](Connection& db) -> Result<bool> {
           auto statement = db.prepare("SELECT 1");
           if (!statement) return statement.status();
           return (*statement)->first([](const Statement&) {});
         })
      .status();
}

Status SqliteStore::in_transaction(const std::function<Status(Connection&)>& work) {
  Status last;
  for (int attempt = 0; attempt < kTransactionAttempts; ++attempt) {
    // Backs off without holding the write mutex, so other writers of this process go on.
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    auto connection = pool_->borrow();
    if (!connection) return connection.status();
    Connection& db = **connection;
    std::lock_guard writer(write_mutex_);
    // A busy BEGIN has already waited the busy timeout in SQLite's handler: waiting again
    // would only stall this thread (and its queue) longer; the caller answers 503.
    WriteTransaction transaction(db);
    if (Status begun = transaction.begin(); !begun) return begun;
    last = work(db);  // if it throws, `transaction` rolls back before the lease returns
    if (last) last = transaction.commit();
    if (last) return last;
    transaction.roll_back();
    if (last.code() != StatusCode::kAborted) return last;
  }
  return last;
}

Status SqliteStore::transact(const std::function<Status(Transaction&)>& work) {
  return in_transaction([&](Connection& db) {
    SqliteTransaction transaction(db);
    return work(transaction);
  });
}

Status SqliteStore::sync_pool(const std::vector<PoolNumber>& numbers, bool retire_others) {
  const int64_t now = to_ms(std::chrono::system_clock::now());
  return in_transaction([&](Connection& db) -> Status {
    if (retire_others) {
      if (Status s = db.exec("UPDATE pool_numbers SET retired = 1"); !s) return s;
    }
    for (const PoolNumber& n : numbers) {
      auto upsert = db.prepare(
          "INSERT INTO pool_numbers (number, country, area_code, region, capabilities, reserved, "
          "retired, capacity, load, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 0, ?) "
          "ON CONFLICT (number) DO UPDATE SET country = excluded.country, "
          "area_code = excluded.area_code, region = excluded.region, "
          "capabilities = excluded.capabilities, reserved = excluded.reserved, retired = 0, "
          "capacity = excluded.capacity");
      if (!upsert) return upsert.status();
      (*upsert)
          ->bind(1, n.number)
          .bind(2, n.country)
          .bind(3, n.area_code)
          .bind(4, n.region)
          .bind(5, n.capabilities)
          .bind(6, static_cast<int64_t>(n.reserved ? 1 : 0))
          .bind(7, n.capacity)
          .bind(8, now);
      if (Status s = (*upsert)->run(); !s) return s.annotate("adding " + n.number + " to the pool");
    }
    return Status::ok();
  });
}

Result<std::vector<PoolNumber>> SqliteStore::pool_numbers() {
  return with_connection<std::vector<PoolNumber>>(
      [](Connection& db) -> Result<std::vector<PoolNumber>> {
        auto statement = db.prepare(std::string("SELECT ") + kNumberColumns +
                                    " FROM pool_numbers ORDER BY number");
        if (!statement) return statement.status();
        return (*statement)->collect(read_number);
      });
}

Result<std::optional<PoolNumber>> SqliteStore::pool_number(const std::string& number) {
  auto numbers = with_connection<std::vector<PoolNumber>>(
      [&](Connection& db) -> Result<std::vector<PoolNumber>> {
        auto statement = db.prepare(std::string("SELECT ") + kNumberColumns +
                                    " FROM pool_numbers WHERE number = ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, number);
        return (*statement)->collect(read_number);
      });
  if (!numbers) return numbers.status();
  if (numbers->empty()) return std::optional<PoolNumber>();
  return std::optional<PoolNumber>(numbers->front());
}

Result<std::optional<SessionRecord>> SqliteStore::session(const std::string& id) {
  return with_connection<std::optional<SessionRecord>>(
      [&](Connection& db) { return find_session(db, "id = ?", id); });
}

Result<std::optional<SessionRecord>> SqliteStore::session_by_conversation(
    const std::string& conversation_sid) {
  return with_connection<std::optional<SessionRecord>>(
      [&](Connection& db) { return find_session(db, "conversation_sid = ?", conversation_sid); });
}

Result<SessionPage> SqliteStore::list_sessions(const std::string& status, size_t page_size,
                                               const std::string& page_token) {
  // Keyset paging, newest first: the token is "<created_at ms>:<id>" of the last row shown.
  int64_t after_created = INT64_MAX;
  std::string after_id;
  if (!page_token.empty()) {
    const size_t colon = page_token.find(':');
    char* end = nullptr;
    after_created = std::strtoll(page_token.c_str(), &end, 10);
    if (colon == std::string::npos || end != page_token.c_str() + colon) {
      return Status::invalid_argument("invalid pageToken");
    }
    after_id = page_token.substr(colon + 1);
  }
  auto connection = pool_->borrow();
  if (!connection) return connection.status();
  std::string sql = std::string("SELECT ") + kSessionColumns +
                    " FROM sessions WHERE (created_at < ? OR (created_at = ? AND id < ?))";
  if (!status.empty()) sql += " AND status = ?";
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  auto statement = (*connection)->prepare(sql);
  if (!statement) return statement.status();
  Statement& s = **statement;
  int index = 1;
  s.bind(index++, after_created);
  s.bind(index++, after_created);
  s.bind(index++, after_id);  // first page: created_at < INT64_MAX already holds
  if (!status.empty()) s.bind(index++, status);
  s.bind(index, static_cast<int64_t>(page_size + 1));
  auto sessions = s.collect(read_session_row);
  if (!sessions) return sessions.status();
  SessionPage page;
  page.sessions = std::move(*sessions);
  if (page.sessions.size() > page_size) {
    page.sessions.pop_back();
    const SessionRecord& last = page.sessions.back();
    page.next_token = std::to_string(to_ms(last.created_at)) + ":" + last.id;
  }
  for (SessionRecord& session : page.sessions) {
    if (Status st = load_participants(**connection, session); !st) return st;
  }
  return page;
}

Result<std::optional<ActiveBinding>> SqliteStore::active_binding(const std::string& address,
                                                                 const std::string& proxy) {
  return with_connection<std::optional<ActiveBinding>>(
      [&](Connection& db) -> Result<std::optional<ActiveBinding>> {
        auto statement = db.prepare(
            "SELECT p.session_id, s.status, s.mode FROM participants p "
            "JOIN sessions s ON s.id = p.session_id "
            "WHERE p.address = ? AND p.proxy_number = ? AND p.active = 1 AND s.status IN (?, ?)");
        if (!statement) return statement.status();
        (*statement)
            ->bind(1, address)
            .bind(2, proxy)
            .bind(3, status::kOpen)
            .bind(4, status::kInProgress);
        std::optional<ActiveBinding> binding;
        auto found = (*statement)->first([&](const Statement& row) {
          binding = ActiveBinding{row.column_text(0), row.column_text(1), row.column_text(2),
                                  address, proxy};
        });
        if (!found) return found.status();
        return binding;
      });
}

Result<std::vector<std::string>> SqliteStore::sessions_due(TimePoint now, size_t limit) {
  return with_connection<std::vector<std::string>>(
      [&](Connection& db) -> Result<std::vector<std::string>> {
        // Through the expiry index, reading only what is due: the status index would visit
        // (and sort) every open session (272 ms a sweep at 1,000,000 of them). INDEXED BY
        // makes SQLite refuse the query rather than plan it any other way. Closing a session
        // clears its expires_at, so the index holds live (and creating) sessions only.
        auto statement = db.prepare(
            "SELECT id FROM sessions INDEXED BY sessions_by_expiry "
            "WHERE expires_at IS NOT NULL AND expires_at <= ? "
            "AND status IN (?, ?) ORDER BY expires_at LIMIT ?");
        if (!statement) return statement.status();
        (*statement)
            ->bind(1, to_ms(now))
            .bind(2, status::kOpen)
            .bind(3, status::kInProgress)
            .bind(4, static_cast<int64_t>(limit));
        return text_column(**statement);
      });
}

Result<std::vector<std::string>> SqliteStore::sessions_stuck_creating(TimePoint before,
                                                                      size_t limit) {
  return with_connection<std::vector<std::string>>([&](Connection& db)
                                                       -> Result<std::vector<std::string>> {
    auto statement = db.prepare(
        "SELECT id FROM sessions WHERE status = ? AND created_at < ? ORDER BY created_at LIMIT ?");
    if (!statement) return statement.status();
    (*statement)
        ->bind(1, status::kCreating)
        .bind(2, to_ms(before))
        .bind(3, static_cast<int64_t>(limit));
    return text_column(**statement);
  });
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::claim_sessions_to_reconcile(
    TimePoint now, size_t limit) {
  using Claimed = std::vector<std::pair<std::string, std::string>>;
  return in_transaction_with<Claimed>([&](Connection& db) -> Result<Claimed> {
    auto statement = db.prepare(
        "UPDATE sessions SET reconciled_at = ? WHERE id IN (SELECT id FROM sessions "
        "WHERE status IN ('open', 'in-progress') ORDER BY reconciled_at, id LIMIT ?) "
        "AND conversation_sid IS NOT NULL RETURNING id, conversation_sid");
    if (!statement) return statement.status();
    (*statement)->bind(1, to_ms(now)).bind(2, static_cast<int64_t>(limit));
    return (*statement)->collect([](const Statement& row) {
      return std::pair<std::string, std::string>(row.column_text(0), row.column_text(1));
    });
  });
}

Result<std::vector<OutboxItem>> SqliteStore::claim_outbox(TimePoint now,
                                                          std::chrono::milliseconds lease,
                                                          size_t limit) {
  return in_transaction_with<std::vector<OutboxItem>>(
      [&](Connection& db) -> Result<std::vector<OutboxItem>> {
        auto statement = db.prepare(
            "UPDATE outbox SET locked_until = ? WHERE id IN (SELECT id FROM outbox "
            "WHERE next_attempt_at <= ? AND locked_until <= ? ORDER BY next_attempt_at LIMIT ?) "
            "RETURNING id, kind, payload, attempts, next_attempt_at, last_error");
        if (!statement) return statement.status();
        Statement& s = **statement;
        s.bind(1, to_ms(now + lease))
            .bind(2, to_ms(now))
            .bind(3, to_ms(now))
            .bind(4, static_cast<int64_t>(limit));
        return s.collect([](const Statement& row) {
          return OutboxItem{row.column_int(0),          row.column_text(1),
                            row.column_text(2),         static_cast<int>(row.column_int(3)),
                            from_ms(row.column_int(4)), row.column_text(5)};
        });
      });
}

Status SqliteStore::complete_outbox(int64_t id) {
  return in_transaction([&](Connection& db) -> Status {
    auto statement = db.prepare("DELETE FROM outbox WHERE id = ?");
    if (!statement) return statement.status();
    (*statement)->bind(1, id);
    return (*statement)->run();
  });
}

Status SqliteStore::retry_outbox(int64_t id, TimePoint next_attempt, const std::string& error) {
  return in_transaction([&](Connection& db) -> Status {
    auto statement = db.prepare(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, locked_until = 0, "
        "last_error = ? WHERE id = ?");
    if (!statement) return statement.status();
    (*statement)->bind(1, to_ms(next_attempt)).bind(2, error).bind(3, id);
    return (*statement)->run();
  });
}

Result<int64_t> SqliteStore::outbox_size() {
  return with_connection<int64_t>([](Connection& db) -> Result<int64_t> {
    auto statement = db.prepare("SELECT COUNT(*) FROM outbox");
    if (!statement) return statement.status();
    int64_t count = 0;
    auto found = (*statement)->first([&](const Statement& row) { count = row.column_int(0); });
    if (!found) return found.status();
    return count;
  });
}

Status SqliteStore::record_call(const CallRecord& c) {
  return in_transaction([&](Connection& db) { return insert_call(db, c).status(); });
}

Result<std::vector<CallRecord>> SqliteStore::find_calls(const std::string& where,
                                                        const std::string& key) {
  return with_connection<std::vector<CallRecord>>(
      [&](Connection& db) -> Result<std::vector<CallRecord>> {
        auto statement = db.prepare(std::string("SELECT ") + kCallColumns + " FROM calls WHERE " +
                                    where + " ORDER BY id");
        if (!statement) return statement.status();
        (*statement)->bind(1, key);
        return (*statement)->collect(read_call);
      });
}

Result<std::optional<CallRecord>> SqliteStore::call(const std::string& call_sid) {
  auto calls = find_calls("call_sid = ?", call_sid);
  if (!calls) return calls.status();
  if (calls->empty()) return std::optional<CallRecord>();
  return std::optional<CallRecord>(calls->front());
}

Result<std::vector<CallRecord>> SqliteStore::call_legs(const std::string& parent_call_sid) {
  return find_calls("parent_call_sid = ?", parent_call_sid);
}

Result<std::vector<CallRecord>> SqliteStore::calls_for_session(const std::string& session_id) {
  return find_calls("session_id = ?", session_id);
}

Result<bool> SqliteStore::update_call_status(const std::string& call_sid, const std::string& status,
                                             std::optional<int64_t> duration_seconds,
                                             TimePoint at) {
  bool known = false;
  Status result = in_transaction([&](Connection& db) -> Status {
    auto update = db.prepare(
        "UPDATE calls SET status = ?, updated_at = ?, "
        "duration_seconds = COALESCE(?, duration_seconds), "
        "ended_at = CASE WHEN ? = 1 THEN COALESCE(ended_at, ?) ELSE ended_at END "
        "WHERE call_sid = ?");
    if (!update) return update.status();
    const int64_t final = is_final_call_status(status) ? 1 : 0;
    (*update)
        ->bind(1, status)
        .bind(2, to_ms(at))
        .bind(3, duration_seconds)
        .bind(4, final)
        .bind(5, to_ms(at))
        .bind(6, call_sid);
    if (Status s = (*update)->run(); !s) return s;
    known = db.changes() == 1;
    if (!known) return Status::ok();
    auto event = db.prepare("INSERT INTO call_events (call_sid, status, at) VALUES (?, ?, ?)");
    if (!event) return event.status();
    (*event)->bind(1, call_sid).bind(2, status).bind(3, to_ms(at));
    return (*event)->run();
  });
  if (!result) return result;
  return known;
}

Status SqliteStore::set_recording(const std::string& call_sid, const std::string& recording_sid,
                                  const std::string& recording_url,
                                  std::optional<int64_t> recording_duration) {
  return in_transaction([&](Connection& db) -> Status {
    auto update = db.prepare(
        "UPDATE calls SET recording_sid = ?, recording_url = ?, recording_duration = ? "
        "WHERE call_sid = ?");
    if (!update) return update.status();
    (*update)
        ->bind(1, recording_sid)
        .bind(2, recording_url)
        .bind(3, recording_duration)
        .bind(4, call_sid);
    return (*update)->run();
  });
}

Result<std::vector<CallEvent>> SqliteStore::call_events(const std::string& call_sid) {
  return with_connection<std::vector<CallEvent>>(
      [&](Connection& db) -> Result<std::vector<CallEvent>> {
        auto statement =
            db.prepare("SELECT status, at FROM call_events WHERE call_sid = ? ORDER BY id");
        if (!statement) return statement.status();
        (*statement)->bind(1, call_sid);
        std::vector<CallEvent> events;
        Status s = (*statement)->each([&](const Statement& row) {
          events.push_back({row.column_text(0), from_ms(row.column_int(1))});
        });
        if (!s) return s;
        return events;
      });
}

}  // namespace mc::store::sqlite
