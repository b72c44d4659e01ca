// What only the PostgreSQL ledger has to show: its SQL dialect, and the invariants under
// real concurrency from several "hosts" (Stores with their own connection pools) at once:
// the masking index, outbox claims, the commit-ordered binding-change log, migrations
// applied once, and an unreachable server answered quickly.
#include "store/postgres/postgres_store.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/config.h"
#include "fakes/fake_clock.h"
#include "store/live_session_index.h"
#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/store_config.h"
#include "support/ledger_sessions.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace mc::store {
namespace {

const TimePoint kNow = std::chrono::system_clock::from_time_t(1800000000);

std::unique_ptr<Store> open(const testing::TestLedger& ledger) {
  auto opened = ledger.open();
  BOOST_REQUIRE_MESSAGE(opened.is_ok(), opened.status().to_string());
  return std::move(opened).value();
}

std::vector<PoolNumber> numbers(int count, int capacity) {
  std::vector<PoolNumber> out;
  for (int i = 0; i < count; ++i) {
    PoolNumber n;
    n.number = "+1415555" + std::to_string(1000 + i);
    n.country = "US";
    n.area_code = "415";
    n.region = "CA";
    n.capacity = capacity;
    out.push_back(n);
  }
  return out;
}

using testing::postgres_column;

BOOST_AUTO_TEST_SUITE(postgres_dialect)

BOOST_AUTO_TEST_CASE(placeholders_are_numbered_as_sqlite_numbers_them) {
  using postgres::to_dollar_placeholders;
  BOOST_TEST(to_dollar_placeholders("a = ? AND b = ?") == "a = $1 AND b = $2");
  BOOST_TEST(to_dollar_placeholders("a = ?2, b = ?1, c = ?") == "a = $2, b = $1, c = $3");
  BOOST_TEST(to_dollar_placeholders("VALUES (?, ?, ?2)") == "VALUES ($1, $2, $2)");
  BOOST_TEST(to_dollar_placeholders("x = '?' AND y = ?") == "x = '?' AND y = $1");
  BOOST_TEST(to_dollar_placeholders("\"a?\" = 'it''s ?' OR z = ?") ==
             "\"a?\" = 'it''s ?' OR z = $1");
}

BOOST_AUTO_TEST_CASE(database_passwords_never_reach_a_log) {
  BOOST_TEST(redact_database_url("postgresql://mc:s3cret@db.internal:5432/ledger") ==
             "postgresql://mc:***@db.internal:5432/ledger");
  BOOST_TEST(redact_database_url("postgres://db/ledger?sslmode=require&password=s3cret") ==
             "postgres://db/ledger?sslmode=require&password=***");
  BOOST_TEST(redact_database_url("postgresql://mc@db/ledger") == "postgresql://mc@db/ledger");
}

BOOST_AUTO_TEST_CASE(a_postgresql_url_selects_the_postgresql_backend) {
  Environment env{{"MC_DATABASE", "postgres://mc@127.0.0.1:1/ledger"},
                  {"MC_DB_POOL_SIZE", "3"},
                  {"MC_DB_STATEMENT_TIMEOUT_MS", "750"},
                  {"MC_DB_SSLMODE", "require"}};
  auto config = load_store_config(env);
  BOOST_REQUIRE(config.is_ok());
  BOOST_TEST((config->backend == StoreConfig::Backend::kPostgres));
  BOOST_TEST(config->pool_size == 3u);
  BOOST_TEST(config->statement_timeout.count() == 750);
  BOOST_TEST(config->sslmode == "require");
  env["MC_DB_SSLMODE"] = "sometimes";
  auto bad = load_store_config(env);
  BOOST_TEST(bad.status().message().find("MC_DB_SSLMODE") != std::string::npos);
  env.erase("MC_DB_SSLMODE");
  env["MC_DATABASE"] = "/var/lib/masked-comms/masked-comms.db";
  BOOST_TEST((load_store_config(env)->backend == StoreConfig::Backend::kSqlite));
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_is_unavailable_at_once) {
  // A loopback port nobody listens on (the start of the dynamic range is rarely bound).
  Environment env{{"MC_DATABASE", "postgresql://mc@127.0.0.1:9/ledger"}};
  auto config = load_store_config(env);
  BOOST_REQUIRE(config.is_ok());
  const auto started = std::chrono::steady_clock::now();
  auto store = open_store(*config);
  const auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(store.status().code() == StatusCode::kUnavailable);
  BOOST_TEST(took < std::chrono::seconds(3));
  auto inspected = inspect_store(*config);
  BOOST_TEST(inspected.status().code() == StatusCode::kUnavailable);
}

BOOST_AUTO_TEST_SUITE_END()

// An open session's row, created at kNow.
SessionRecord open_record(const std::string& id) {
  SessionRecord session;
  session.id = id;
  session.status = status::kOpen;
  session.created_at = session.updated_at = kNow;
  return session;
}

// Two "hosts": Stores with their own connection pools on one fresh database.
struct TwoHosts {
  testing::TempDir directory{"mc-pg"};
  testing::TestLedger ledger{directory.path()};
  std::unique_ptr<Store> host_a = open(ledger);
  std::unique_ptr<Store> host_b = open(ledger);
};

BOOST_AUTO_TEST_SUITE(postgres_store, *boost::unit_test::precondition(testing::PostgresOnly()))

// Two hosts, eight threads each, opening two-person sessions among twelve addresses on
// five numbers: every pair is held at most once, each number's load is exactly the count
// of active participants holding it, and lost races were rerun rather than failed.
BOOST_FIXTURE_TEST_CASE(concurrent_hosts_never_share_a_pair, TwoHosts) {
  BOOST_REQUIRE(host_a->sync_pool(numbers(5, 1000), true).is_ok());
  std::atomic<int> opened{0}, exhausted{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    Store& host = t % 2 == 0 ? *host_a : *host_b;
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string a = "+1206555" + std::to_string(1000 + (t + i) % 12);
        const std::string b = "+1206555" + std::to_string(1000 + (t * 7 + i + 1) % 12);
        if (a == b) continue;
        Status s = host.transact([&](Transaction& tx) -> Status {
          const SessionRecord session =
              open_record("S" + std::to_string(t) + "-" + std::to_string(i));
          if (Status st = tx.lock_addresses({a, b}); !st) return st;
          if (Status st = tx.insert_session(session); !st) return st;
          for (const std::string& address : {a, b}) {
            auto held = tx.numbers_held_by(address);
            if (!held) return held.status();
            std::set<std::string> taken(held->begin(), held->end());
            auto candidates = tx.least_loaded(pool::Tier{"US", "", "", ""}, 10);
            if (!candidates) return candidates.status();
            std::string chosen;
            for (const pool::Candidate& c : *candidates) {
              if (!taken.count(c.number)) {
                chosen = c.number;
                break;
              }
            }
            if (chosen.empty()) return Status::resource_exhausted("no number free");
            ParticipantRecord p;
            p.session_id = session.id;
            p.address = address;
            p.proxy_number = chosen;
            p.created_at = kNow;
            if (Status st = tx.add_participant(p); !st) return st;
          }
          return Status::ok();
        });
        if (s) {
          ++opened;
        } else if (s.code() == StatusCode::kResourceExhausted) {
          ++exhausted;  // an address holds all five numbers: the pool is used up for it
        } else {
          ++failed;
          BOOST_TEST_MESSAGE("create failed: " << s.to_string());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  BOOST_TEST_MESSAGE(opened << " sessions opened, " << exhausted << " found no number");
  BOOST_TEST(failed.load() == 0);
  BOOST_TEST(opened.load() > 0);
  const std::string url = ledger.database();
  BOOST_TEST(postgres_column(url,
                             "SELECT count(*) FROM (SELECT address, proxy_number FROM participants "
                             "WHERE active = 1 GROUP BY 1, 2 HAVING count(*) > 1) AS twice")
                 .front() == "0");
  BOOST_TEST(
      postgres_column(url,
                      "SELECT count(*) FROM pool_numbers n WHERE load <> (SELECT count(*) FROM "
                      "participants p WHERE p.proxy_number = n.number AND p.active = 1)")
          .front() == "0");
  BOOST_TEST(postgres_column(url, "SELECT count(*) FROM sessions").front() ==
             std::to_string(opened.load()));
}

// Outbox items due at once, claimed by two hosts with four threads each: every item is
// leased to exactly one claimer.
BOOST_FIXTURE_TEST_CASE(each_outbox_item_is_claimed_by_one_host, TwoHosts) {
  constexpr int kItems = 400;
  BOOST_REQUIRE(host_a
                    ->transact([](Transaction& tx) -> Status {
                      for (int i = 0; i < kItems; ++i) {
                        if (Status s = tx.enqueue("test", std::to_string(i), kNow); !s) return s;
                      }
                      return Status::ok();
                    })
                    .is_ok());
  std::mutex mutex;
  std::map<int64_t, int> claims;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    Store& host = t % 2 == 0 ? *host_a : *host_b;
    threads.emplace_back([&] {
      while (true) {
        auto items = host.claim_outbox(kNow, std::chrono::minutes(5), 7);
        BOOST_REQUIRE(items.is_ok());
        if (items->empty()) return;
        std::lock_guard lock(mutex);
        for (const OutboxItem& item : *items) ++claims[item.id];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  BOOST_TEST(claims.size() == static_cast<size_t>(kItems));
  for (const auto& [id, count] : claims)
    BOOST_TEST(count == 1, "item " << id << " claimed " << count);
}

// Binding changes committed by many writers at once are numbered 1, 2, 3 ... in commit
// order: no gap (a rolled-back transaction gives its numbers back), and no number becomes
// visible before a smaller one.
BOOST_FIXTURE_TEST_CASE(binding_changes_are_numbered_in_commit_order, TwoHosts) {
  BOOST_REQUIRE(host_a->sync_pool(numbers(50, 1000), true).is_ok());
  std::atomic<bool> done{false};
  std::atomic<int> disorder{0};
  std::thread watcher([&] {  // a reader on another host, never seeing a hole fill later
    int64_t seen = 0;
    while (!done) {
      auto changes = host_b->binding_changes(seen, 10000);
      BOOST_REQUIRE(changes.is_ok());
      for (const BindingChange& change : *changes) {
        if (change.seq <= seen) continue;
        if (change.seq != seen + 1) ++disorder;
        seen = change.seq;
      }
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    Store& host = t % 2 == 0 ? *host_a : *host_b;
    writers.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const SessionRecord session =
            open_record("B" + std::to_string(t) + "-" + std::to_string(i));
        const std::string number = "+1415555" + std::to_string(1000 + (t * 40 + i) % 50);
        BOOST_REQUIRE(testing::insert_session_with(
                          host, session, {{"+1206555" + std::to_string(1000 + t), number}})
                          .is_ok());
        // And one that rolls back after logging a change.
        (void)host.transact([&](Transaction& tx) -> Status {
          if (Status s = tx.release_participants(session.id); !s) return s;
          return Status::internal("rolled back on purpose");
        });
      }
    });
  }
  for (std::thread& thread : writers) thread.join();
  done = true;
  watcher.join();
  BOOST_TEST(disorder.load() == 0);
  auto all = host_a->binding_changes(0, 100000);
  BOOST_REQUIRE(all.is_ok());
  BOOST_REQUIRE_EQUAL(all->size(), 320u);  // one per participant added; none rolled back
  for (size_t i = 0; i < all->size(); ++i) BOOST_TEST((*all)[i].seq == static_cast<int64_t>(i + 1));
}

// A session closed by any other client of the database (another host, psql) is gone from
// this host's index at the next find: there is no host-wide signal to wait for.
BOOST_FIXTURE_TEST_CASE(the_index_sees_a_close_by_another_host_at_the_next_find, TwoHosts) {
  BOOST_REQUIRE(host_a->sync_pool(numbers(2, 100), true).is_ok());
  BOOST_REQUIRE(testing::insert_session_with(
                    *host_a, open_record("S1"),
                    {{"+12065551000", "+14155551000"}, {"+12065551001", "+14155551000"}})
                    .is_ok());
  testing::FakeClock clock;
  LiveSessionIndex index(*host_b, clock);
  BOOST_REQUIRE(index.load().is_ok());
  BOOST_TEST(!host_b->binding_signal().has_value());
  BOOST_TEST(index.find("+12065551000", "+14155551000")->has_value());
  BOOST_REQUIRE(testing::postgres_command("UPDATE sessions SET status = 'closed' WHERE id = 'S1'",
                                          ledger.database())
                    .is_ok());
  BOOST_TEST(!index.find("+12065551000", "+14155551000")->has_value());
}

// A transaction that keeps losing the race for a pair is rerun a bounded number of times,
// each rerun counted by its reason in the metrics.
BOOST_AUTO_TEST_CASE(lost_races_are_rerun_a_bounded_number_of_times_and_counted) {
  testing::TempDir directory{"mc-pg"};
  testing::TestLedger ledger{directory.path()};
  Environment env{{"MC_DATABASE", ledger.database()}};
  Metrics metrics;
  auto store = std::move(open_store(*load_store_config(env), &metrics)).value();
  BOOST_REQUIRE(store->sync_pool(numbers(1, 100), true).is_ok());
  BOOST_REQUIRE(
      testing::insert_session_with(*store, open_record("S1"), {{"+12065551000", "+14155551000"}})
          .is_ok());
  int runs = 0;
  Status lost = store->transact([&](Transaction& tx) {
    ++runs;
    ParticipantRecord p;
    p.session_id = "S1";
    p.address = "+12065551000";
    p.proxy_number = "+14155551000";
    p.created_at = kNow;
    return tx.add_participant(p);
  });
  BOOST_TEST(lost.code() == StatusCode::kAborted);
  BOOST_TEST(runs == postgres::TransactionRunner::kAttempts);
  constexpr int kReruns = postgres::TransactionRunner::kAttempts - 1;
  BOOST_TEST(dynamic_cast<postgres::PostgresStore&>(*store).transaction_retries() == kReruns);
  const std::string rendered = metrics.render_prometheus();
  BOOST_TEST(rendered.find("mc_store_transaction_retries_total{reason=\"masking-index\"} " +
                           std::to_string(kReruns)) != std::string::npos,
             rendered);
}

// --check-config's view of an empty database: reachable, version 0, nothing created; and
// of a migrated one: this build's version.
BOOST_AUTO_TEST_CASE(an_empty_database_is_inspected_without_being_changed) {
  testing::TempDir directory{"mc-pg"};
  testing::TestLedger ledger{directory.path()};
  Environment env{{"MC_DATABASE", ledger.database()}};
  const StoreConfig config = *load_store_config(env);
  auto empty = inspect_store(config);
  BOOST_REQUIRE_MESSAGE(empty.is_ok(), empty.status().to_string());
  BOOST_TEST(empty->exists);
  BOOST_TEST(empty->schema_version == 0);
  BOOST_TEST(empty->latest_version == static_cast<int>(postgres::schema_migrations().size()));
  BOOST_TEST(postgres_column(ledger.database(),
                             "SELECT count(*) FROM pg_tables WHERE schemaname = "
                             "'public'")
                 .front() == "0");
  open(ledger);
  BOOST_TEST(inspect_store(config)->schema_version == empty->latest_version);
}

// Hosts starting together on an empty database apply each migration once.
BOOST_AUTO_TEST_CASE(hosts_starting_together_migrate_once) {
  testing::TempDir directory{"mc-pg"};
  testing::TestLedger ledger{directory.path()};
  std::vector<std::thread> hosts;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    hosts.emplace_back([&] {
      if (!ledger.open().is_ok()) ++failures;
    });
  }
  for (std::thread& host : hosts) host.join();
  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(postgres_column(ledger.database(), "SELECT count(*) FROM schema_migrations").front() ==
             std::to_string(postgres::schema_migrations().size()));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::store
