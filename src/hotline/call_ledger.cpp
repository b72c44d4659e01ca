#include "hotline/call_ledger.h"

#include "calls/leg_dialer.h"
#include "hotline/queued_texts.h"
#include "store/sql/outbox_queries.h"
#include "store/sql/rows.h"

namespace mc::hotline {
namespace {

using store::sql::Connection;
using store::sql::from_ms;
using store::sql::Statement;
using store::sql::to_ms;

// Legs that can still reach a member: not ended, and not a machine being hung up.
constexpr const char* kLegLive =
    "status NOT IN ('completed', 'busy', 'failed', 'no-answer', 'canceled', 'machine')";

constexpr const char* kCallColumns =
    "call_sid, hotline_id, caller, status, winner_leg, winner, legs_created, ring_deadline, "
    "created_at, answered_at, ended_at, duration, recording_sid, recording_url, "
    "recording_duration";

HotlineCall read_hotline_call(const Statement& row) {
  HotlineCall c;
  c.call_sid = row.column_text(0);
  c.hotline_id = row.column_text(1);
  c.caller = row.column_text(2);
  c.status = row.column_text(3);
  c.winner_leg = row.column_text(4);
  c.winner = row.column_text(5);
  c.legs_created = row.column_optional_int(6);
  c.ring_deadline = from_ms(row.column_int(7));
  c.created_at = from_ms(row.column_int(8));
  c.answered_at = from_ms(row.column_optional_int(9));
  c.ended_at = from_ms(row.column_optional_int(10));
  c.duration_seconds = row.column_optional_int(11);
  c.recording_sid = row.column_optional_text(12);
  c.recording_url = row.column_optional_text(13);
  c.recording_duration = row.column_optional_int(14);
  return c;
}

Result<std::vector<Leg>> read_legs(Connection& db, const std::string& call_sid) {
  auto statement = db.prepare(
      "SELECT leg_sid, call_sid, address, status, created_at, updated_at FROM hotline_legs "
      "WHERE call_sid = ? ORDER BY created_at, leg_sid");
  if (!statement) return statement.status();
  (*statement)->bind(1, call_sid);
  return (*statement)->collect([](const Statement& row) {
    return Leg{row.column_text(0), row.column_text(1),         row.column_text(2),
               row.column_text(3), from_ms(row.column_int(4)), from_ms(row.column_int(5))};
  });
}

Result<std::optional<HotlineCall>> find_call(Connection& db, const std::string& call_sid) {
  auto statement =
      db.prepare(std::string("SELECT ") + kCallColumns + " FROM hotline_calls WHERE call_sid = ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, call_sid);
  auto found = (*statement)->first_as(read_hotline_call);
  if (found && *found) {
    auto legs = read_legs(db, call_sid);
    if (!legs) return legs.status();
    (*found)->legs = std::move(legs).value();
  }
  return found;
}

// Queues the taking back of one leg: cancelled while it rings, told and hung up once
// answered (a machine's leg is being hung up already; an ended one needs nothing).
Status release_leg(Connection& db, const Leg& leg, const LegRelease& release, TimePoint now) {
  if (store::is_final_call_status(leg.status) || leg.status == "machine") return Status::ok();
  if (leg.status == "answered" || leg.status == "in-progress") {
    return store::sql::enqueue_outbox(
        db, calls::kRedirectCall, calls::redirect_call_payload(leg.leg_sid, release.taken_twiml),
        now);
  }
  return store::sql::enqueue_outbox(db, calls::kCancelCall, calls::cancel_call_payload(leg.leg_sid),
                                    now);
}

Status release_others(Connection& db, const std::string& call_sid, const std::string& keep,
                      const LegRelease& release, TimePoint now) {
  auto legs = read_legs(db, call_sid);
  if (!legs) return legs.status();
  for (const Leg& leg : *legs) {
    if (leg.leg_sid == keep) continue;
    if (Status s = release_leg(db, leg, release, now); !s) return s;
  }
  return Status::ok();
}

// True when the call rings with every leg asked for and none left that could take it.
Result<bool> nobody_left(Connection& db, const std::string& call_sid) {
  auto statement = db.prepare(std::string("SELECT 1 FROM hotline_calls WHERE call_sid = ? AND "
                                          "status = 'ringing' AND legs_created IS NOT NULL AND "
                                          "NOT EXISTS (SELECT 1 FROM hotline_legs WHERE "
                                          "call_sid = ? AND ") +
                              kLegLive + ")");
  if (!statement) return statement.status();
  (*statement)->bind(1, call_sid).bind(2, call_sid);
  return (*statement)->first([](const Statement&) {});
}

// Takes the call row's lock (an UPDATE that changes nothing) and reads its status and
// winner: what record_leg does first, so it cannot interleave with a claim.
Result<std::optional<std::pair<std::string, std::string>>> lock_call(Connection& db,
                                                                     const std::string& call_sid) {
  auto statement = db.prepare(
      "UPDATE hotline_calls SET status = status WHERE call_sid = ? RETURNING status, winner_leg");
  if (!statement) return statement.status();
  (*statement)->bind(1, call_sid);
  std::optional<std::pair<std::string, std::string>> found;
  auto row = (*statement)->first([&](const Statement& r) {
    found.emplace(r.column_text(0), r.column_text(1));
  });
  if (!row) return row.status();
  return found;
}

}  // namespace

Result<bool> CallLedger::start(const HotlineCall& c) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto insert = db.prepare(
        "INSERT INTO hotline_calls (call_sid, hotline_id, caller, status, ring_deadline, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_sid) DO NOTHING");
    if (!insert) return insert.status();
    (*insert)
        ->bind(1, c.call_sid)
        .bind(2, c.hotline_id)
        .bind(3, c.caller)
        .bind(4, c.status)
        .bind(5, to_ms(c.ring_deadline))
        .bind(6, to_ms(c.created_at));
    if (Status s = (*insert)->run(); !s) return s;
    return db.changes() == 1;
  });
}

Result<std::optional<HotlineCall>> CallLedger::find(const std::string& call_sid) {
  return runner_.read_with<std::optional<HotlineCall>>(
      [&](Connection& db) { return find_call(db, call_sid); });
}

Result<std::vector<HotlineCall>> CallLedger::list(const std::string& hotline_id, size_t limit) {
  return runner_.read_with<std::vector<HotlineCall>>(
      [&](Connection& db) -> Result<std::vector<HotlineCall>> {
        auto statement = db.prepare(std::string("SELECT ") + kCallColumns +
                                    " FROM hotline_calls WHERE hotline_id = ? "
                                    "ORDER BY created_at DESC, call_sid LIMIT ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, hotline_id).bind(2, static_cast<int64_t>(limit));
        auto calls = (*statement)->collect(read_hotline_call);
        if (!calls) return calls.status();
        for (HotlineCall& c : *calls) {
          auto legs = read_legs(db, c.call_sid);
          if (!legs) return legs.status();
          c.legs = std::move(legs).value();
        }
        return calls;
      });
}

Result<std::vector<std::string>> CallLedger::overdue(TimePoint now, size_t limit) {
  return runner_.read_with<std::vector<std::string>>(
      [&](Connection& db) -> Result<std::vector<std::string>> {
        auto statement = db.prepare(
            "SELECT call_sid FROM hotline_calls WHERE status = 'ringing' AND ring_deadline < ? "
            "ORDER BY ring_deadline LIMIT ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, to_ms(now)).bind(2, static_cast<int64_t>(limit));
        return (*statement)->collect([](const Statement& row) { return row.column_text(0); });
      });
}

Result<bool> CallLedger::record_leg(const Leg& leg) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto call = lock_call(db, leg.call_sid);
    if (!call) return call.status();
    auto insert = db.prepare(
        "INSERT INTO hotline_legs (leg_sid, call_sid, address, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (leg_sid) DO NOTHING");
    if (!insert) return insert.status();
    (*insert)
        ->bind(1, leg.leg_sid)
        .bind(2, leg.call_sid)
        .bind(3, leg.address)
        .bind(4, leg.status)
        .bind(5, to_ms(leg.created_at))
        .bind(6, to_ms(leg.updated_at));
    if (Status s = (*insert)->run(); !s) return s;
    if (!*call || (*call)->first == call_status::kRinging || (*call)->second == leg.leg_sid) {
      return false;
    }
    if (Status s = store::sql::enqueue_outbox(
            db, calls::kCancelCall, calls::cancel_call_payload(leg.leg_sid), leg.created_at);
        !s) {
      return s;
    }
    return true;
  });
}

Result<bool> CallLedger::legs_done(const std::string& call_sid, int64_t created) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto update = db.prepare("UPDATE hotline_calls SET legs_created = ? WHERE call_sid = ?");
    if (!update) return update.status();
    (*update)->bind(1, created).bind(2, call_sid);
    if (Status s = (*update)->run(); !s) return s;
    return nobody_left(db, call_sid);
  });
}

Result<bool> CallLedger::leg_status(const std::string& call_sid, const std::string& leg_sid,
                                    const std::string& address, const std::string& status,
                                    TimePoint now) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    // The call row's lock first: two legs ending at once on PostgreSQL would otherwise each
    // see the other still live (neither commit visible to the other) and neither would
    // find the call with nobody left.
    if (auto call = lock_call(db, call_sid); !call) return call.status();
    // A status may arrive before the dialling thread recorded the leg: it is recorded here
    // then, and record_leg leaves it as it is. An ended leg keeps its final status.
    auto upsert = db.prepare(
        "INSERT INTO hotline_legs (leg_sid, call_sid, address, status, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (leg_sid) DO UPDATE SET status = ?4, "
        "updated_at = ?5 WHERE hotline_legs.status NOT IN ('completed', 'busy', 'failed', "
        "'no-answer', 'canceled')");
    if (!upsert) return upsert.status();
    (*upsert)
        ->bind(1, leg_sid)
        .bind(2, call_sid)
        .bind(3, address)
        .bind(4, status)
        .bind(5, to_ms(now));
    if (Status s = (*upsert)->run(); !s) return s;
    return nobody_left(db, call_sid);
  });
}

Result<CallLedger::Claim> CallLedger::claim(const std::string& call_sid, const std::string& leg_sid,
                                            const std::string& address, TimePoint now,
                                            const LegRelease& release) {
  return runner_.write_with<Claim>([&](Connection& db) -> Result<Claim> {
    auto take = db.prepare(
        "UPDATE hotline_calls SET status = 'connected', winner_leg = ?, winner = ?, "
        "answered_at = ? WHERE call_sid = ? AND status = 'ringing'");
    if (!take) return take.status();
    (*take)->bind(1, leg_sid).bind(2, address).bind(3, to_ms(now)).bind(4, call_sid);
    if (Status s = (*take)->run(); !s) return s;
    const bool won = db.changes() == 1;
    if (won) {
      if (Status s = release_others(db, call_sid, leg_sid, release, now); !s) return s;
    }
    auto call = find_call(db, call_sid);
    if (!call) return call.status();
    Claim claim;
    if (!*call) return claim;
    claim.status = (*call)->status;
    claim.winner = (*call)->winner;
    claim.won = won || (!(*call)->winner_leg.empty() && (*call)->winner_leg == leg_sid);
    return claim;
  });
}

Result<bool> CallLedger::end_ringing(const std::string& call_sid, const std::string& status,
                                     TimePoint now, const LegRelease& release,
                                     const std::string& caller_twiml) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    // An abandoned call has ended; a no-answer one goes on with the caller's no-answer path.
    auto end = db.prepare(
        "UPDATE hotline_calls SET status = ?, ended_at = coalesce(?, ended_at) WHERE "
        "call_sid = ? AND status = 'ringing'");
    if (!end) return end.status();
    std::optional<int64_t> ended_at;
    if (status == call_status::kAbandoned) ended_at = to_ms(now);
    (*end)->bind(1, status).bind(2, ended_at).bind(3, call_sid);
    if (Status s = (*end)->run(); !s) return s;
    if (db.changes() != 1) return false;
    if (Status s = release_others(db, call_sid, "", release, now); !s) return s;
    if (!caller_twiml.empty()) {
      if (Status s = store::sql::enqueue_outbox(
              db, calls::kRedirectCall, calls::redirect_call_payload(call_sid, caller_twiml), now);
          !s) {
        return s;
      }
    }
    return true;
  });
}

Result<std::optional<std::string>> CallLedger::caller_ended(const std::string& call_sid,
                                                            std::optional<int64_t> duration,
                                                            TimePoint now,
                                                            const LegRelease& release) {
  // Every call's end is reported here: a read first keeps the others out of the writers.
  auto known = runner_.read_with<bool>([&](Connection& db) -> Result<bool> {
    auto statement = db.prepare("SELECT 1 FROM hotline_calls WHERE call_sid = ?");
    if (!statement) return statement.status();
    (*statement)->bind(1, call_sid);
    return (*statement)->first([](const Statement&) {});
  });
  if (!known) return known.status();
  if (!*known) return std::optional<std::string>();
  return runner_.write_with<std::optional<std::string>>(
      [&](Connection& db) -> Result<std::optional<std::string>> {
        auto call = lock_call(db, call_sid);
        if (!call) return call.status();
        if (!*call) return std::optional<std::string>();
        std::string status = (*call)->first;
        if (status == call_status::kRinging) {
          status = call_status::kAbandoned;
          if (Status s = release_others(db, call_sid, "", release, now); !s) return s;
        } else if (status == call_status::kConnected) {
          status = call_status::kCompleted;
        }
        auto end = db.prepare(
            "UPDATE hotline_calls SET status = ?, ended_at = coalesce(ended_at, ?), "
            "duration = coalesce(?, duration) WHERE call_sid = ?");
        if (!end) return end.status();
        (*end)->bind(1, status).bind(2, to_ms(now)).bind(3, duration).bind(4, call_sid);
        if (Status s = (*end)->run(); !s) return s;
        return std::optional<std::string>(status);
      });
}

Result<bool> CallLedger::set_voicemail(const std::string& call_sid,
                                       const std::string& recording_sid,
                                       const std::string& recording_url,
                                       std::optional<int64_t> recording_duration,
                                       const std::vector<OutgoingText>& announcements,
                                       TimePoint now) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto update = db.prepare(
        "UPDATE hotline_calls SET status = 'voicemail', recording_sid = ?, recording_url = ?, "
        "recording_duration = ? WHERE call_sid = ? AND status = 'no-answer'");
    if (!update) return update.status();
    (*update)
        ->bind(1, recording_sid)
        .bind(2, recording_url)
        .bind(3, recording_duration)
        .bind(4, call_sid);
    if (Status s = (*update)->run(); !s) return s;
    if (db.changes() != 1) return false;
    if (Status s = queue_texts(db, announcements, now); !s) return s;
    return true;
  });
}

}  // namespace mc::hotline
