// Several hosts on one PostgreSQL ledger (the *_postgres run only): each "host" is a worker
// process behind its own nginx on its own loopback address, all sharing one database and one
// Twilio account (the sandbox). And the database restarted under load.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "harness/notify_socket.h"
#include "harness/stack.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

const std::string kAlice = "+12065550111";
const std::string kBob = "+12065550122";

// Every conversation at the sandbox (uniqueName -> state), read page by page.
std::map<std::string, std::string> sandbox_conversations(Stack& stack) {
  std::map<std::string, std::string> out;
  std::string path = "/conversations/v1/Conversations?PageSize=1000";
  while (!path.empty()) {
    auto response = stack.sandbox().rest("GET", path, {});
    BOOST_REQUIRE(response.is_ok());
    BOOST_REQUIRE_MESSAGE(response->status == 200, response->body);
    const Json::Value page = json_body(*response);
    for (const Json::Value& c : page["conversations"]) {
      out[c["unique_name"].asString()] = c["state"].asString();
    }
    const std::string next = page["meta"]["next_page_url"].asString();
    path = next.empty() ? "" : next.substr(next.find("/conversations/v1/"));
  }
  return out;
}

StackOptions host_options(const std::string& address, Stack* first, int numbers) {
  StackOptions options = StackOptions().sandboxed({"--number-count", std::to_string(numbers)});
  options.address = address;
  options.same_deployment_as = first;
  options.with_worker_env("MC_TWILIO_RATE_LIMIT", "0")
      .with_worker_env("MC_NUMBER_CAPACITY", "100000")
      .with_worker_env("MC_DB_POOL_SIZE", "12");
  return options;
}

BOOST_AUTO_TEST_SUITE(postgres_hosts, *boost::unit_test::precondition(PostgresOnly()))

// 10,000 creates at once, half through each host, among 300 addresses (each in about 67
// sessions, on a pool of 100 numbers): no (address, proxy number) pair is active twice, and
// the ledger's sessions are the sandbox's conversations, one to one.
BOOST_AUTO_TEST_CASE(concurrent_creates_on_two_hosts_keep_the_masking_invariant) {
  Stack host_a(host_options("127.0.0.2", nullptr, 100));
  Stack host_b(host_options("127.0.0.3", &host_a, 100));
  constexpr int kSessions = 10000;
  constexpr int kThreads = 32;
  std::atomic<int> next{0}, created{0};
  std::mutex mutex;
  std::map<int, int> statuses;
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      Stack& host = t % 2 == 0 ? host_a : host_b;
      std::mt19937 random(static_cast<unsigned>(t));
      std::uniform_int_distribution<int> person(0, 299);
      for (int n = next++; n < kSessions; n = next++) {
        const int a = person(random);
        int b = person(random);
        if (b == a) b = (a + 1) % 300;
        auto response = host.request("POST", "/sessions",
                                     session_body({"+1206556" + std::to_string(1000 + a),
                                                   "+1206556" + std::to_string(1000 + b)}),
                                     "application/json");
        std::lock_guard lock(mutex);
        ++statuses[response.is_ok() ? response->status : -1];
        if (response.is_ok() && response->status == 200) ++created;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  std::string summary;
  for (const auto& [status, count] : statuses) {
    summary += std::to_string(status) + ": " + std::to_string(count) + "  ";
  }
  BOOST_TEST_MESSAGE("10,000 creates through two hosts: " << summary);
  BOOST_TEST(created.load() == kSessions, summary);
  const std::string db = host_a.database();
  BOOST_TEST(postgres_column(db,
                             "SELECT count(*) FROM (SELECT address, proxy_number FROM participants "
                             "WHERE active = 1 GROUP BY 1, 2 HAVING count(*) > 1) AS twice")
                 .front() == "0");
  BOOST_TEST(postgres_column(db, "SELECT count(*) FROM participants WHERE active = 1").front() ==
             std::to_string(2 * kSessions));
  const std::vector<std::string> open =
      postgres_column(db, "SELECT id FROM sessions WHERE status = 'open' ORDER BY id");
  const std::map<std::string, std::string> conversations = sandbox_conversations(host_a);
  BOOST_TEST(open.size() == static_cast<size_t>(kSessions));
  BOOST_TEST(conversations.size() == open.size());
  size_t matched = 0;
  for (const std::string& id : open) matched += conversations.count(id);
  BOOST_TEST(matched == open.size());
  BOOST_TEST(postgres_column(db,
                             "SELECT count(*) FROM pool_numbers n WHERE load <> (SELECT "
                             "count(*) FROM participants p WHERE p.proxy_number = n.number AND "
                             "p.active = 1)")
                 .front() == "0");
}

// A session closed through host A: host B's very next call for it is not connected.
BOOST_AUTO_TEST_CASE(a_session_closed_on_one_host_is_not_connected_by_the_other) {
  Stack host_a(host_options("127.0.0.2", nullptr, 4));
  Stack host_b(host_options("127.0.0.3", &host_a, 4));
  const Json::Value session =
      get_session(host_a, create_session(host_a, {kAlice, kBob})["uniqueName"].asString());
  std::string alice_proxy = proxy_of(session, kAlice);
  const std::unique_ptr<store::Store> ledger = host_a.open_ledger();
  for (int round = 0; round < 20; ++round) {
    auto call = [&](Stack& host, int n) {
      const std::string sid = "CA" + std::string(28, '0') + std::to_string(1000 + n);
      return send_inbound_call(host, sid, kAlice, alice_proxy);
    };
    if (round > 0) {  // a fresh session for the same pair each round
      const Json::Value again =
          get_session(host_a, create_session(host_a, {kAlice, kBob})["uniqueName"].asString());
      alice_proxy = proxy_of(again, kAlice);
    }
    const net::HttpResponse live = call(host_b, round * 2);
    BOOST_TEST(live.body.find("<Dial") != std::string::npos, live.body);
    auto list = host_a.request("GET", "/sessions?status=open");
    BOOST_REQUIRE(list.is_ok());
    const std::string id = json_body(*list)["sessions"][0]["id"].asString();
    auto closed = host_a.request("DELETE", "/sessions/" + id);
    BOOST_REQUIRE(closed.is_ok());
    BOOST_REQUIRE_MESSAGE(closed->status == 200, closed->body);
    const net::HttpResponse after = call(host_b, round * 2 + 1);
    BOOST_TEST(after.status == 200);
    BOOST_TEST(after.body.find("<Dial") == std::string::npos,
               "round " << round << ": " << after.body);
    // The closed session's pairs are released once the outbox has deleted its conversation
    // at Twilio; the next round's session for the same pair needs one of its 4 numbers free
    // (without this wait, rounds outran the releases about 1 run in 8 and the pool ran out).
    BOOST_REQUIRE(wait_until(
        [&] {
          bool released = false;
          Status read = ledger->transact([&](store::Transaction& tx) -> Status {
            auto held = tx.numbers_held_by(kAlice);
            if (!held) return held.status();
            released = std::find(held->begin(), held->end(), alice_proxy) == held->end();
            return Status::ok();
          });
          return read.is_ok() && released;
        },
        std::chrono::seconds(10)));
  }
}

// A hotline's members answering at the same instant through different hosts: the claim is
// one conditional UPDATE of the shared ledger, so each round has exactly one winner. The
// answers are Twilio's signed leg webhooks sent to each host's nginx at once.
BOOST_AUTO_TEST_CASE(a_hotline_call_answered_through_both_hosts_at_once_has_one_winner) {
  Stack host_a(host_options("127.0.0.2", nullptr, 4));
  Stack host_b(host_options("127.0.0.3", &host_a, 4));
  const std::string ana = "+12125550122", ben = "+13125550133";
  const std::string line = host_a.numbers().at(0);
  auto created = host_b.request("POST", "/hotlines",
                                R"({"number": ")" + line + R"(", "answerCheck": "none", )" +
                                    R"("members": [{"address": ")" + ana +
                                    R"(", "name": "Ana"}, {"address": ")" + ben + R"("}]})",
                                "application/json");
  BOOST_REQUIRE(created.is_ok());
  BOOST_REQUIRE_MESSAGE(created->status == 201, created->body);
  for (const std::string& m : {ana, ben}) {
    control(host_a, "POST", "/phones/" + url_encode(m) + "/behaviour", {{"Answer", "manual"}});
  }
  // The newest leg a member's phone has, once there are `count`.
  auto leg_of = [&](const std::string& member, Json::ArrayIndex count) {
    std::string sid;
    BOOST_REQUIRE(wait_until(
        [&] {
          const Json::Value calls = transcript(host_a, member)["calls"];
          if (calls.size() < count) return false;
          sid = calls[count - 1]["call_sid"].asString();
          return true;
        },
        std::chrono::seconds(10)));
    return sid;
  };
  int won_on_a = 0, won_on_b = 0;
  constexpr int kRounds = 100;
  for (int round = 1; round <= kRounds; ++round) {
    const std::string caller = "CAhosts" + std::to_string(round);
    Stack& rung_by = round % 2 ? host_a : host_b;
    BOOST_REQUIRE(send_inbound_call(rung_by, caller, kAlice, line).status == 200);
    const std::string leg_a = leg_of(ana, static_cast<Json::ArrayIndex>(round));
    const std::string leg_b = leg_of(ben, static_cast<Json::ArrayIndex>(round));
    const std::string path = "/hotline/leg?call=" + caller;
    auto through_a = std::async(std::launch::async, [&] {
      return send_signed_webhook(host_a, path, {{"CallSid", leg_a}, {"To", ana}});
    });
    const net::HttpResponse b =
        send_signed_webhook(host_b, path, {{"CallSid", leg_b}, {"To", ben}});
    const net::HttpResponse a = through_a.get();
    const bool a_won = a.body.find("<Conference") != std::string::npos;
    const bool b_won = b.body.find("<Conference") != std::string::npos;
    BOOST_REQUIRE_MESSAGE(a_won != b_won, "round " << round << ": " << a.body << " | " << b.body);
    const net::HttpResponse& lost = a_won ? b : a;
    BOOST_TEST(lost.body.find("Someone else took this call.") != std::string::npos);
    ++(a_won ? won_on_a : won_on_b);
  }
  BOOST_TEST_MESSAGE("winners over " << kRounds << " rounds: through host A " << won_on_a
                                     << ", through host B " << won_on_b);
}

BOOST_AUTO_TEST_SUITE_END()

// A private server: this test restarts it, which the shared one must never be.
struct PrivateServer {
  PrivateServer() : dir("mc-pg-restart") {
    // The server runs as an unprivileged user when the tests run as root: it must reach
    // its directory inside this one.
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all |
                                                 std::filesystem::perms::group_exec |
                                                 std::filesystem::perms::others_exec);
    script = source_dir() + "/scripts/dev-postgres";
    Process start({script, "start", dir.path() + "/pg"}, {}, dir.path() + "/start.log");
    BOOST_REQUIRE_MESSAGE(start.wait(std::chrono::seconds(60)) == 0, start.log());
    std::ifstream in(dir.path() + "/pg/url");
    std::getline(in, base_url);
    BOOST_REQUIRE(postgres_command("CREATE DATABASE ledger", base_url).is_ok());
    url = base_url.substr(0, base_url.rfind('/') + 1) + "ledger";
  }
  ~PrivateServer() {
    Process stop({script, "stop", dir.path() + "/pg"}, {}, dir.path() + "/stop.log");
    stop.wait(std::chrono::seconds(60));
  }
  // pg_ctl on the server's data directory (stop -m fast, start).
  void pg_ctl(const std::string& action) {
    Process run({script, action, dir.path() + "/pg"}, {}, dir.path() + "/" + action + ".log");
    BOOST_REQUIRE_MESSAGE(run.wait(std::chrono::seconds(60)) == 0, run.log());
  }
  TempDir dir;
  std::string script, base_url, url;
};

BOOST_AUTO_TEST_SUITE(postgres_outage, *boost::unit_test::precondition(PostgresOnly()))

// Creates keep coming while PostgreSQL is stopped for two seconds and started again: every
// answer is 200 or 503 (never a 500, never a hang past the statement timeout), /healthz says
// degraded while it is down, creates succeed again by themselves afterwards, every
// acknowledged session is in the ledger, and the ledger and the sandbox agree.
BOOST_AUTO_TEST_CASE(a_database_restart_under_load_gives_503s_and_loses_nothing) {
  PrivateServer server;
  StackOptions options = host_options("127.0.0.1", nullptr, 40);
  options.database = server.url;
  options.with_worker_env("MC_DB_STATEMENT_TIMEOUT_MS", "1000")
      .with_worker_env("MC_CREATING_TIMEOUT_MS", "3000");  // repaired soon after the outage
  Stack stack(options);
  std::atomic<bool> stop{false};
  std::atomic<int> counter{0};
  std::mutex mutex;
  std::map<int, int> statuses;
  std::set<std::string> acknowledged;
  std::chrono::milliseconds slowest{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      while (!stop) {
        const int n = counter++;
        const auto started = std::chrono::steady_clock::now();
        auto response = stack.request("POST", "/sessions",
                                      session_body({"+1206557" + std::to_string(1000 + n % 500),
                                                    "+1206558" + std::to_string(1000 + n % 499)}),
                                      "application/json");
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        std::lock_guard lock(mutex);
        slowest = std::max(slowest, took);
        const int status = response.is_ok() ? response->status : -1;
        ++statuses[status];
        if (status == 200) acknowledged.insert(json_body(*response)["uniqueName"].asString());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  server.pg_ctl("stop-server");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto health = stack.request("GET", "/healthz", "", "", false);
  BOOST_REQUIRE(health.is_ok());
  BOOST_TEST(health->status == 503);
  BOOST_TEST(json_body(*health)["status"].asString() == "degraded");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const int before_restart = counter.load();
  server.pg_ctl("start-server");
  std::this_thread::sleep_for(std::chrono::seconds(3));
  stop = true;
  for (std::thread& client : clients) client.join();
  std::string summary;
  for (const auto& [status, count] : statuses) {
    summary += std::to_string(status) + ": " + std::to_string(count) + "  ";
  }
  BOOST_TEST_MESSAGE("creates across a PostgreSQL restart: " << summary << "slowest "
                                                             << slowest.count() << " ms");
  BOOST_TEST(statuses[503] > 0, summary);
  BOOST_TEST(statuses.size() == 2u, summary);  // 200 and 503, nothing else
  BOOST_TEST(counter.load() > before_restart);
  BOOST_TEST(slowest < std::chrono::milliseconds(5000));
  health = stack.request("GET", "/healthz", "", "", false);
  BOOST_TEST(health->status == 200);
  auto last = stack.request("POST", "/sessions", session_body({kAlice, kBob}), "application/json");
  BOOST_REQUIRE(last.is_ok());
  BOOST_TEST(last->status == 200, last->body);
  // Every acknowledged session is open in the ledger; once recovery has rolled back what was
  // caught half way, the open sessions are exactly the sandbox's active conversations.
  const std::vector<std::string> open =
      postgres_column(server.url, "SELECT id FROM sessions WHERE status = 'open'");
  const std::set<std::string> open_ids(open.begin(), open.end());
  size_t missing = 0;
  for (const std::string& id : acknowledged) missing += open_ids.count(id) == 0;
  BOOST_TEST(missing == 0u);
  const bool agree = wait_until(
      [&] {
        const std::vector<std::string> now =
            postgres_column(server.url, "SELECT id FROM sessions WHERE status = 'open'");
        std::set<std::string> active;
        for (const auto& [name, state] : sandbox_conversations(stack)) {
          if (state == "active") active.insert(name);
        }
        return std::set<std::string>(now.begin(), now.end()) == active &&
               postgres_column(server.url,
                               "SELECT count(*) FROM sessions WHERE status IN ('creating', "
                               "'recovering')")
                       .front() == "0";
      },
      std::chrono::seconds(30));
  if (!agree) {
    std::map<std::string, int> statuses_now;
    for (const std::string& status : postgres_column(server.url, "SELECT status FROM sessions")) {
      ++statuses_now[status];
    }
    size_t active = 0, not_open = 0;
    for (const auto& [name, state] : sandbox_conversations(stack)) {
      if (state != "active") continue;
      ++active;
      not_open += open_ids.count(name) == 0;
    }
    std::string text;
    for (const auto& [status, count] : statuses_now)
      text += status + "=" + std::to_string(count) + " ";
    BOOST_ERROR("ledger: " << text << "; sandbox active " << active << ", of which not open "
                           << not_open << "; outbox "
                           << postgres_column(server.url, "SELECT count(*) FROM outbox").front());
  }
  BOOST_TEST(agree);
}

// Under systemd, a worker whose shared ledger is down keeps feeding the watchdog (restarting
// it would not bring PostgreSQL back) while /healthz says degraded.
BOOST_AUTO_TEST_CASE(the_watchdog_is_fed_while_the_shared_ledger_is_down) {
  PrivateServer server;
  TempDir dir("mc-notify");
  NotifySocket notify(dir.path() + "/notify.sock");
  StackOptions options;
  options.socket_activated = true;
  options.database = server.url;
  options.with_worker_env("NOTIFY_SOCKET", notify.path())
      .with_worker_env("WATCHDOG_USEC", "300000")
      .with_worker_env("MC_DB_STATEMENT_TIMEOUT_MS", "500");
  Stack stack(options);
  BOOST_REQUIRE(notify.next(std::chrono::seconds(5)).find("READY=1") != std::string::npos);
  server.pg_ctl("stop-server");
  auto health = stack.request("GET", "/healthz", "", "", false);
  BOOST_REQUIRE(health.is_ok());
  BOOST_TEST(health->status == 503);
  int pings = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < until && pings < 3) {
    if (notify.next(std::chrono::milliseconds(500)) == "WATCHDOG=1") ++pings;
  }
  BOOST_TEST(pings == 3);
  server.pg_ctl("start-server");
  BOOST_TEST(wait_until(
      [&] {
        auto again = stack.request("GET", "/healthz", "", "", false);
        return again.is_ok() && again->status == 200;
      },
      std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
