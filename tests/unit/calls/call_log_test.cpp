// The call log on a real SQLite ledger: batches, statuses that arrive before their call,
// records rebuilt from status callbacks, replays, and one bad entry among good ones.
#include "calls/call_log.h"

#include <boost/test/unit_test.hpp>
#include <future>
#include <thread>

#include "core/clock.h"
#include "store/sqlite/sqlite_store.h"
#include "support/ledger_sessions.h"
#include "support/temp_dir.h"

namespace mc::calls {
namespace {

const TimePoint kNow = std::chrono::system_clock::from_time_t(1800000000);
const std::string kAlice = "+14155550111";
const std::string kBob = "+14155550122";
const std::string kProxy = "+14155550100";

struct LogFixture {
  explicit LogFixture(CallLogOptions options = {}) {
    auto opened =
        store::sqlite::SqliteStore::open(directory.path() + "/ledger.db", std::chrono::seconds(5));
    BOOST_REQUIRE(opened.is_ok());
    ledger = std::move(opened).value();
    store::PoolNumber n;
    n.number = kProxy;
    n.country = "US";
    BOOST_REQUIRE(ledger->sync_pool({n}, true).is_ok());
    store::SessionRecord session;
    session.id = "S1";
    session.status = store::status::kOpen;
    session.ttl_seconds = 3600;
    session.created_at = session.updated_at = kNow;
    BOOST_REQUIRE(
        testing::insert_session_with(*ledger, session, {{kAlice, kProxy}, {kBob, kProxy}}).is_ok());
    log = std::make_unique<CallLog>(*ledger, clock, options, "cancel-call",
                                    [this] { ++outbox_wakes; });
  }

  static store::CallRecord inbound(const std::string& sid, const std::string& session = "S1") {
    store::CallRecord c;
    c.call_sid = sid;
    c.session_id = session;
    c.direction = "inbound";
    c.from_address = kAlice;
    c.to_address = kProxy;
    c.kind = "dial";
    c.status = "ringing";
    c.created_at = c.updated_at = kNow;
    return c;
  }
  static CallStatusReport status(const std::string& sid, const std::string& value,
                                 TimePoint at = kNow + std::chrono::seconds(30)) {
    CallStatusReport r;
    r.call_sid = sid;
    r.status = value;
    r.direction = "inbound";
    r.from = kAlice;
    r.to = kProxy;
    r.duration_seconds =
        store::is_final_call_status(value) ? std::optional<int64_t>(30) : std::nullopt;
    r.at = at;
    return r;
  }
  std::optional<store::CallRecord> call(const std::string& sid) {
    auto found = ledger->call(sid);
    BOOST_REQUIRE(found.is_ok());
    return *found;
  }
  // The call's status, "" when it is not recorded.
  std::string status_of(const std::string& sid) {
    const auto found = call(sid);
    return found ? found->status : "";
  }
  // Entries in the call journal (calls/call_journal.h), whoever appended them.
  int64_t journaled() {
    auto count = ledger->sql_runner()->read_with<int64_t>([](store::sql::Connection& db) {
      auto statement = db.prepare("SELECT count(*) FROM call_journal");
      if (!statement) return Result<int64_t>(statement.status());
      int64_t n = -1;
      auto found =
          (*statement)->first([&](const store::sql::Statement& row) { n = row.column_int(0); });
      if (!found) return Result<int64_t>(found.status());
      return Result<int64_t>(n);
    });
    BOOST_REQUIRE(count.is_ok());
    return *count;
  }
  // Waits up to 10 s for `sid` to be in the call tables.
  bool eventually_recorded(const std::string& sid) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (call(sid)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  std::string history(const std::string& sid) {
    auto events = ledger->call_events(sid);
    BOOST_REQUIRE(events.is_ok());
    std::string out;
    for (const store::CallEvent& e : *events) out += e.status + ",";
    return out;
  }

  testing::TempDir directory{"mc-call-log"};
  SystemClock clock;
  std::unique_ptr<store::sqlite::SqliteStore> ledger;
  std::atomic<int> outbox_wakes{0};
  std::unique_ptr<CallLog> log;
};

// CA5 names a session the ledger does not have: it alone is dropped, its neighbours kept.
void check_only_the_refused_entry_is_dropped(LogFixture& f) {
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA4")));
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA5", "no-such-session")));
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA6")));
  f.log->flush();
  BOOST_TEST(f.call("CA4").has_value());
  BOOST_TEST(!f.call("CA5").has_value());
  BOOST_TEST(f.call("CA6").has_value());
  BOOST_TEST(f.log->entries_dropped() == 1);
}

// A call someone waits on: reported new the first time only.
void check_a_repeated_sid_is_reported_not_new(LogFixture& f, const std::string& sid) {
  std::promise<bool> first, second;
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound(sid),
                                      [&](bool is_new) { first.set_value(is_new); }));
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound(sid),
                                      [&](bool is_new) { second.set_value(is_new); }));
  BOOST_TEST(first.get_future().get());
  BOOST_TEST(!second.get_future().get());
}

BOOST_AUTO_TEST_SUITE(call_log)

BOOST_AUTO_TEST_CASE(records_are_written_in_batches_and_count_as_interactions) {
  LogFixture f({.window = std::chrono::milliseconds(200)});
  std::atomic<int> new_calls{0};
  for (int i = 0; i < 500; ++i) {
    BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA" + std::to_string(i)),
                                        [&](bool is_new) { new_calls += is_new ? 1 : 0; }));
  }
  f.log->flush();
  BOOST_TEST(new_calls.load() == 500);
  BOOST_TEST(f.ledger->calls_for_session("S1")->size() == 500u);
  BOOST_TEST(f.log->batches_written() <= 3);  // 500 queued within one window
  const auto session = *f.ledger->session("S1");
  BOOST_TEST(session->status == "in-progress");
  BOOST_TEST((session->last_interaction_at == kNow));
}

BOOST_AUTO_TEST_CASE(a_final_status_before_its_record_ends_up_in_the_record) {
  LogFixture f;
  // Another process (or this one, before a crash) has the record queued; the final status
  // comes first and makes the record from the caller's pair; the record changes nothing.
  BOOST_REQUIRE(f.log->report_status(LogFixture::status("CA1", "completed")));
  f.log->flush();
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA1")));
  f.log->flush();
  const auto call = f.call("CA1");
  BOOST_REQUIRE(call.has_value());
  BOOST_TEST(call->status == "completed");
  BOOST_TEST(call->duration_seconds.value_or(-1) == 30);
  BOOST_TEST(call->ended_at.has_value());
  BOOST_TEST(f.history("CA1") == "completed,");
}

BOOST_AUTO_TEST_CASE(a_legs_statuses_before_its_record_are_adopted_by_it) {
  LogFixture f;
  CallStatusReport ringing = LogFixture::status("CAleg", "ringing", kNow + std::chrono::seconds(1));
  ringing.direction = "outbound-api";
  ringing.parent_call_sid = "CAparent";  // not recorded yet either
  CallStatusReport done = ringing;
  done.status = "completed";
  done.duration_seconds = 12;
  done.at = kNow + std::chrono::seconds(20);
  BOOST_REQUIRE(f.log->report_status(ringing));
  BOOST_REQUIRE(f.log->report_status(done));
  f.log->flush();
  BOOST_TEST(!f.call("CAleg").has_value());
  store::CallRecord leg = LogFixture::inbound("CAleg");
  leg.direction = "outbound";
  leg.parent_call_sid = "CAparent";
  leg.status = "queued";
  BOOST_REQUIRE(f.log->record_leg(leg));
  f.log->flush();
  const auto call = f.call("CAleg");
  BOOST_REQUIRE(call.has_value());
  BOOST_TEST(call->status == "completed");
  BOOST_TEST(call->duration_seconds.value_or(-1) == 12);
  BOOST_TEST(f.history("CAleg") == "queued,ringing,completed,");
}

BOOST_AUTO_TEST_CASE(an_early_non_final_status_is_adopted_when_the_record_arrives) {
  LogFixture f;
  CallStatusReport early = LogFixture::status("CA2", "in-progress");
  early.direction = "";  // not enough to rebuild anything from
  BOOST_REQUIRE(f.log->report_status(early));
  f.log->flush();
  BOOST_TEST(!f.call("CA2").has_value());
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA2")));
  f.log->flush();
  BOOST_TEST(f.status_of("CA2") == "in-progress");
}

BOOST_AUTO_TEST_CASE(a_final_status_rebuilds_a_lost_inbound_record) {
  LogFixture f;
  BOOST_REQUIRE(f.log->report_status(LogFixture::status("CAlost", "completed")));
  f.log->flush();
  const auto call = f.call("CAlost");
  BOOST_REQUIRE(call.has_value());
  BOOST_TEST(call->session_id == "S1");
  BOOST_TEST(call->direction == "inbound");
  BOOST_TEST(call->kind == "dial");
  BOOST_TEST(call->status == "completed");
  BOOST_TEST((*f.ledger->session("S1"))->status == "in-progress");
  // The record queued before the crash, had it survived, changes nothing now.
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CAlost")));
  f.log->flush();
  BOOST_TEST(f.status_of("CAlost") == "completed");
}

BOOST_AUTO_TEST_CASE(a_repeated_call_sid_is_reported_as_not_new) {
  LogFixture f;
  check_a_repeated_sid_is_reported_not_new(f, "CA3");
}

BOOST_AUTO_TEST_CASE(one_entry_the_ledger_refuses_does_not_sink_its_batch) {
  LogFixture f({.window = std::chrono::milliseconds(100)});
  check_only_the_refused_entry_is_dropped(f);
}

BOOST_AUTO_TEST_CASE(a_caller_hanging_up_cancels_the_legs_still_ringing) {
  LogFixture f;
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CAcaller")));
  for (const auto& [sid, state] :
       {std::pair{"CAleg1", "ringing"}, std::pair{"CAleg2", "in-progress"}}) {
    store::CallRecord leg = LogFixture::inbound(sid);
    leg.direction = "outbound";
    leg.parent_call_sid = "CAcaller";
    leg.status = state;
    BOOST_REQUIRE(f.log->record_leg(leg));
  }
  BOOST_REQUIRE(f.log->report_status(LogFixture::status("CAcaller", "completed")));
  f.log->flush();
  BOOST_TEST(*f.ledger->outbox_size() == 1);  // the ringing leg; the answered one stays
  BOOST_TEST(f.outbox_wakes.load() == 1);
}

BOOST_AUTO_TEST_CASE(a_full_log_refuses_after_waiting_for_room) {
  // One entry fits; the writer is gathering for ten minutes, so no room comes.
  LogFixture f({.max_queued = 1,
                .window = std::chrono::seconds(600),
                .full_wait = std::chrono::milliseconds(50)});
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA9")));
  const auto asked = std::chrono::steady_clock::now();
  BOOST_TEST(!f.log->report_status(LogFixture::status("CA9", "completed")));  // the webhook's 503
  BOOST_TEST((std::chrono::steady_clock::now() - asked >= std::chrono::milliseconds(50)));
  f.log->stop();
  BOOST_TEST(f.status_of("CA9") == "ringing");  // the refused status is not half-applied
}

BOOST_AUTO_TEST_CASE(stop_writes_what_is_queued) {
  LogFixture f({.window = std::chrono::seconds(600)});
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA7")));
  f.log->stop();
  BOOST_TEST(f.call("CA7").has_value());
  BOOST_TEST(!f.log->record_inbound(LogFixture::inbound("CA8")));  // stopped
}

BOOST_AUTO_TEST_SUITE_END()

// The same log with the call journal (SQLite): appended first, applied by the folder.
BOOST_AUTO_TEST_SUITE(call_journal)

constexpr CallLogOptions kJournaled{.journal = true, .journal_poll = std::chrono::milliseconds(50)};

BOOST_AUTO_TEST_CASE(journaled_calls_and_statuses_are_applied_in_order) {
  LogFixture f(kJournaled);
  for (int i = 0; i < 300; ++i) {
    BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA" + std::to_string(i))));
  }
  BOOST_REQUIRE(f.log->report_status(LogFixture::status("CA7", "in-progress")));
  BOOST_REQUIRE(f.log->report_status(LogFixture::status("CA7", "completed")));
  BOOST_REQUIRE(f.log->report_recording({"CA7", "RE1", "https://api.twilio.com/RE1", 12}));
  f.log->flush();
  BOOST_TEST(f.journaled() == 0);
  BOOST_TEST(f.log->entries_folded() == 303);
  BOOST_TEST(f.ledger->calls_for_session("S1")->size() == 300u);
  BOOST_TEST(f.status_of("CA7") == "completed");
  BOOST_TEST(f.history("CA7") == "ringing,in-progress,completed,");
  BOOST_TEST(f.call("CA7")->recording_sid == "RE1");
  const auto session = *f.ledger->session("S1");
  BOOST_TEST(session->status == "in-progress");
  BOOST_TEST((session->last_interaction_at == kNow));
}

BOOST_AUTO_TEST_CASE(a_call_someone_waits_on_is_written_at_once_and_reported_new_once) {
  CallLogOptions options = kJournaled;
  options.fold = false;  // nothing is applied from the journal
  LogFixture f(options);
  check_a_repeated_sid_is_reported_not_new(f, "CAgroup");
  BOOST_TEST(f.call("CAgroup").has_value());
  BOOST_TEST(f.journaled() == 0);
}

// A worker killed before it applied its journal (or another process sharing the file):
// what it committed is applied by the next log that folds.
BOOST_AUTO_TEST_CASE(entries_a_dead_process_journaled_are_applied_by_the_next) {
  CallLogOptions appending = kJournaled;
  appending.fold = false;
  LogFixture f(appending);
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CAdead1")));
  BOOST_REQUIRE(f.log->report_status(LogFixture::status("CAdead1", "completed")));
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CAdead2")));
  f.log->flush();
  f.log.reset();  // gone without applying anything
  BOOST_TEST(f.journaled() == 3);
  BOOST_TEST(!f.call("CAdead1").has_value());

  CallLog next(*f.ledger, f.clock, kJournaled, "cancel-call", [] {});
  BOOST_TEST(f.eventually_recorded("CAdead2"));  // found by its poll: it appended nothing
  BOOST_TEST(f.status_of("CAdead1") == "completed");
  BOOST_TEST(f.history("CAdead1") == "ringing,completed,");
  BOOST_TEST(f.journaled() == 0);
}

BOOST_AUTO_TEST_CASE(an_entry_the_ledger_refuses_is_dropped_from_the_journal_alone) {
  LogFixture f(kJournaled);
  check_only_the_refused_entry_is_dropped(f);
  BOOST_TEST(f.journaled() == 0);
}

// A burst that never ends (every look says the machine is busy): the folder waits, and the
// writer applies what is over the backlog, so the journal stays bounded.
BOOST_AUTO_TEST_CASE(a_journal_over_its_backlog_is_applied_by_the_writer) {
  CallLogOptions options = kJournaled;
  options.burst_rate = -1;    // any rate is a burst
  options.spare_idle = 1.01;  // and the machine is never idle enough
  options.max_backlog = 20;
  options.fold_batch = 10;
  options.max_batch = 5;
  LogFixture f(options);
  for (int i = 0; i < 200; ++i) {
    BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CAb" + std::to_string(i))));
  }
  // Every batch is followed by one fold while over the backlog.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (f.log->entries_folded() < 180 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST(f.log->entries_folded() >= 180);
  BOOST_TEST(f.journaled() <= 30);
  BOOST_TEST(f.call("CAb0").has_value());
}

BOOST_AUTO_TEST_CASE(stop_applies_what_is_journaled) {
  CallLogOptions options = kJournaled;
  options.window = std::chrono::seconds(600);
  LogFixture f(options);
  BOOST_REQUIRE(f.log->record_inbound(LogFixture::inbound("CA7")));
  f.log->stop();
  BOOST_TEST(f.call("CA7").has_value());
  BOOST_TEST(f.journaled() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::calls
