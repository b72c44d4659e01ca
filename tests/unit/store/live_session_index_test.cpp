// The in-memory index of live sessions against a real ledger (a SQLite file, or a
// PostgreSQL database: support/test_ledger.h) written by another Store (its own
// connections, as another worker process or host has): whatever the writer committed
// before a find() is what the find() sees.
#include "store/live_session_index.h"

#include <sqlite3.h>

#include <boost/test/unit_test.hpp>

#include "fakes/fake_clock.h"
#include "store/sqlite/sqlite_store.h"
#include "support/ledger_sessions.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace mc::store {
namespace {

const TimePoint kNow = std::chrono::system_clock::from_time_t(1800000000);
const std::string kAlice = "+14155550111";
const std::string kBob = "+14155550122";
const std::string kCarol = "+14155550133";
const std::string kProxyA = "+14155550100";
const std::string kProxyB = "+14155550101";

std::unique_ptr<Store> open_ledger(const testing::TestLedger& ledger) {
  auto opened = ledger.open();
  BOOST_REQUIRE_MESSAGE(opened.is_ok(), opened.status().to_string());
  return std::move(opened).value();
}

struct TwoProcesses {
  TwoProcesses() : writer(open_ledger(ledger)), reader(open_ledger(ledger)) {
    std::vector<PoolNumber> numbers;
    for (const std::string& number : {kProxyA, kProxyB}) {
      PoolNumber n;
      n.number = number;
      n.country = "US";
      n.area_code = "415";
      n.capacity = 10000;
      numbers.push_back(n);
    }
    BOOST_REQUIRE(writer->sync_pool(numbers, true).is_ok());
    index = std::make_unique<LiveSessionIndex>(*reader, clock);
  }
  const std::string& path() const { return ledger.database(); }

  void open_session(const std::string& id,
                    const std::vector<std::pair<std::string, std::string>>& pairs,
                    const std::string& mode = "voice-and-message") {
    SessionRecord session;
    session.id = id;
    session.status = status::kOpen;
    session.mode = mode;
    session.created_at = session.updated_at = kNow;
    Status s = testing::insert_session_with(*writer, session, pairs);
    BOOST_REQUIRE_MESSAGE(s.is_ok(), s.to_string());
  }
  void close_session(const std::string& id) {
    Status s = writer->transact([&](Transaction& tx) -> Status {
      return tx
          .change_status(id, {status::kOpen, status::kInProgress}, status::kClosed, kNow, "test")
          .status();
    });
    BOOST_REQUIRE(s.is_ok());
  }
  std::optional<LiveSession> find(const std::string& address, const std::string& proxy) {
    auto found = index->find(address, proxy);
    BOOST_REQUIRE_MESSAGE(found.is_ok(), found.status().to_string());
    return *found;
  }
  // The id of the session found, "" for none.
  std::string id_of(const std::string& address, const std::string& proxy) {
    auto found = find(address, proxy);
    return found ? found->id : "";
  }
  size_t members_of(const std::string& address, const std::string& proxy) {
    auto found = find(address, proxy);
    return found ? found->members.size() : 0;
  }

  testing::TempDir directory{"mc-live-index"};
  testing::TestLedger ledger{directory.path()};
  testing::FakeClock clock;
  std::unique_ptr<Store> writer;
  std::unique_ptr<Store> reader;
  std::unique_ptr<LiveSessionIndex> index;
};

BOOST_AUTO_TEST_SUITE(live_session_index)

BOOST_AUTO_TEST_CASE(loads_live_sessions_with_their_members) {
  TwoProcesses p;
  p.open_session("S1", {{kAlice, kProxyA}, {kBob, kProxyA}});
  p.open_session("S2", {{kCarol, kProxyA}, {kAlice, kProxyB}}, "voice-only");
  p.open_session("S3", {{kCarol, kProxyB}, {kBob, kProxyB}});
  p.close_session("S3");
  BOOST_REQUIRE(p.index->load().is_ok());
  BOOST_TEST(p.index->size() == 2u);
  auto s1 = p.find(kAlice, kProxyA);
  BOOST_REQUIRE(s1.has_value());
  BOOST_TEST(s1->id == "S1");
  BOOST_REQUIRE_EQUAL(s1->members.size(), 2u);
  BOOST_TEST(s1->members[1].address == kBob);
  auto s2 = p.find(kAlice, kProxyB);
  BOOST_REQUIRE(s2.has_value());
  BOOST_TEST(s2->mode == "voice-only");
  BOOST_TEST(!p.find(kCarol, kProxyB).has_value());  // S3 is closed
  BOOST_TEST(!p.find(kBob, kProxyB).has_value());
}

BOOST_AUTO_TEST_CASE(sees_what_another_process_committed_before_the_call) {
  TwoProcesses p;
  BOOST_REQUIRE(p.index->load().is_ok());
  BOOST_TEST(!p.find(kAlice, kProxyA).has_value());
  p.open_session("S1", {{kAlice, kProxyA}, {kBob, kProxyA}});
  BOOST_TEST(p.id_of(kAlice, kProxyA) == "S1");  // opened elsewhere: seen at once
  p.close_session("S1");
  BOOST_TEST(!p.find(kAlice, kProxyA).has_value());  // closed elsewhere: not connected
  BOOST_TEST(!p.find(kBob, kProxyA).has_value());
  // The pair is free once released, and a new session holding it is found.
  BOOST_REQUIRE(
      p.writer->transact([](Transaction& tx) { return tx.release_participants("S1"); }).is_ok());
  p.open_session("S2", {{kAlice, kProxyA}, {kCarol, kProxyA}});
  BOOST_TEST(p.id_of(kAlice, kProxyA) == "S2");
  BOOST_TEST(!p.find(kBob, kProxyA).has_value());
  BOOST_TEST(p.index->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_participant_added_or_released_elsewhere_is_seen) {
  TwoProcesses p;
  p.open_session("S1", {{kAlice, kProxyA}, {kBob, kProxyA}});
  BOOST_REQUIRE(p.index->load().is_ok());
  BOOST_TEST(p.members_of(kAlice, kProxyA) == 2u);
  BOOST_REQUIRE(p.writer
                    ->transact([](Transaction& tx) {
                      ParticipantRecord carol;
                      carol.session_id = "S1";
                      carol.address = kCarol;
                      carol.proxy_number = kProxyA;
                      carol.created_at = kNow;
                      return tx.add_participant(carol);
                    })
                    .is_ok());
  BOOST_TEST(p.members_of(kAlice, kProxyA) == 3u);
  BOOST_TEST(p.id_of(kCarol, kProxyA) == "S1");
}

BOOST_AUTO_TEST_CASE(before_the_load_the_ledger_answers) {
  TwoProcesses p;
  p.open_session("S1", {{kAlice, kProxyA}, {kBob, kProxyA}});
  BOOST_TEST(!p.index->loaded());
  BOOST_TEST(p.id_of(kBob, kProxyA) == "S1");
  BOOST_TEST(p.index->size() == 0u);  // answered from the ledger, nothing held yet
}

BOOST_AUTO_TEST_CASE(an_index_behind_the_pruned_log_loads_everything_again) {
  TwoProcesses p;
  p.open_session("S1", {{kAlice, kProxyA}, {kBob, kProxyA}});
  BOOST_REQUIRE(p.index->load().is_ok());
  p.close_session("S1");
  p.open_session("S2", {{kCarol, kProxyB}, {kBob, kProxyB}});
  // Every change but the newest is pruned, the one this index applied last among them.
  BOOST_REQUIRE(
      p.writer->prune_logs(std::chrono::system_clock::now() + std::chrono::hours(1)).is_ok());
  auto left = p.reader->binding_changes(0, 10);
  BOOST_REQUIRE(left.is_ok());
  BOOST_TEST(left->size() == 1u);  // the newest is always kept
  BOOST_TEST(!p.find(kAlice, kProxyA).has_value());
  BOOST_TEST(p.id_of(kCarol, kProxyB) == "S2");
}

BOOST_AUTO_TEST_CASE(a_long_log_is_pruned_in_batches_down_to_its_newest_change) {
  TwoProcesses p;
  // 3,000 sessions opened in one go: 9,000 changes, more than one pruning batch.
  Status filled = p.writer->transact([&](Transaction& tx) -> Status {
    for (int i = 0; i < 3000; ++i) {
      SessionRecord session;
      session.id = "B" + std::to_string(i);
      session.status = status::kCreating;
      session.created_at = session.updated_at = kNow;
      if (Status st = tx.insert_session(session); !st) return st;
      auto opened = tx.change_status(session.id, {status::kCreating}, status::kOpen, kNow, "");
      if (!opened) return opened.status();
      ParticipantRecord a;
      a.session_id = session.id;
      a.address = "+1415555" + std::to_string(1000 + i);
      a.proxy_number = i % 2 ? kProxyA : kProxyB;
      a.created_at = kNow;
      if (Status st = tx.add_participant(a); !st) return st;
      ParticipantRecord b = a;
      b.address = "+1212555" + std::to_string(1000 + i);
      if (Status st = tx.add_participant(b); !st) return st;
    }
    return Status::ok();
  });
  BOOST_REQUIRE_MESSAGE(filled.is_ok(), filled.to_string());
  BOOST_TEST(p.reader->binding_changes(0, 100000)->size() == 9000u);
  BOOST_REQUIRE(
      p.writer->prune_logs(std::chrono::system_clock::now() + std::chrono::hours(1)).is_ok());
  auto left = p.reader->binding_changes(0, 100000);
  BOOST_REQUIRE(left.is_ok());
  BOOST_REQUIRE_EQUAL(left->size(), 1u);
  BOOST_TEST(left->front().seq == 9000);
}

BOOST_AUTO_TEST_CASE(a_commit_without_the_signal_is_found_by_the_catch_up,
                     *boost::unit_test::precondition(testing::SqliteOnly())) {
  TwoProcesses p;
  p.open_session("S1", {{kAlice, kProxyA}, {kBob, kProxyA}});
  BOOST_REQUIRE(p.index->load().is_ok());
  BOOST_TEST(p.id_of(kAlice, kProxyA) == "S1");
  // Closed by another tool (the sqlite3 shell, say): the triggers log it, nobody signals.
  sqlite3* shell = nullptr;
  BOOST_REQUIRE(sqlite3_open(p.path().c_str(), &shell) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_exec(shell, "UPDATE sessions SET status = 'closed' WHERE id = 'S1'",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(shell);
  BOOST_TEST(p.id_of(kAlice, kProxyA) == "S1");  // the signal stood still: the log not read
  BOOST_REQUIRE(p.index->catch_up().is_ok());    // what the background thread does each second
  BOOST_TEST(p.id_of(kAlice, kProxyA) == "");
}

BOOST_AUTO_TEST_CASE(status_changes_within_live_write_no_change) {
  TwoProcesses p;
  p.open_session("S1", {{kAlice, kProxyA}, {kBob, kProxyA}});
  auto before = p.reader->binding_changes(0, 100);
  BOOST_REQUIRE(before.is_ok());
  BOOST_REQUIRE(p.writer
                    ->transact([](Transaction& tx) {
                      return tx.record_interaction("S1", kNow + std::chrono::seconds(5));
                    })
                    .is_ok());  // open -> in-progress: still live
  auto after = p.reader->binding_changes(0, 100);
  BOOST_TEST(after->size() == before->size());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::store
