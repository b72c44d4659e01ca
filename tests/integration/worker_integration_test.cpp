// The skeleton end to end: real nginx from nginx/, the real worker binary, a real SQLite file.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <future>
#include <thread>

#include "core/response.h"
#include "harness/notify_socket.h"
#include "harness/stack.h"
#include "store/sqlite/sqlite_store.h"

namespace mc::testing {
namespace {

Json::Value parse(const std::string& text) {
  Json::Value value;
  std::string error;
  BOOST_REQUIRE_MESSAGE(parse_json_text(text, &value, &error), "not JSON: " << text);
  return value;
}

BOOST_AUTO_TEST_SUITE(worker_through_nginx)

BOOST_AUTO_TEST_CASE(healthz_answers_through_nginx) {
  Stack stack;
  auto response = stack.request("GET", "/healthz", "", "", /*auth=*/false);
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 200);
  Json::Value body = parse(response->body);
  BOOST_TEST(body["status"].asString() == "ok");
  BOOST_TEST(body["version"].asString() == MC_VERSION);
  BOOST_TEST(body["store"]["reachable"].asBool());
  BOOST_TEST(body["uptime_seconds"].isIntegral());
}

BOOST_AUTO_TEST_CASE(api_route_without_credentials_gets_401_from_nginx) {
  Stack stack;
  auto response = stack.request("GET", "/diagnostics/whoami", "", "", /*auth=*/false);
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 401);
  // nginx's own answer: its challenge, and the worker never saw the request.
  BOOST_REQUIRE(response->header("www-authenticate"));
  BOOST_TEST(*response->header("www-authenticate") == "Basic realm=\"masked-comms\"");
  BOOST_TEST(response->body.find("nginx") != std::string::npos);
  auto metrics = stack.request("GET", "/metrics", "", "", false);
  BOOST_REQUIRE(metrics.is_ok());
  BOOST_TEST(metrics->body.find("/diagnostics/whoami") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_password_gets_401) {
  Stack stack;
  net::HttpRequest request;
  request.url = stack.http_url("/diagnostics/whoami");
  request.username = kApiUser;
  request.password = "wrong";
  auto response = stack.send(request);
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 401);
}

BOOST_AUTO_TEST_CASE(api_route_with_credentials_reaches_worker_which_sees_the_user) {
  Stack stack;
  auto response = stack.request("GET", "/diagnostics/whoami");
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 200);
  BOOST_TEST(parse(response->body)["user"].asString() == kApiUser);

  // The same over TLS, with the self-signed certificate made at start-up.
  net::HttpRequest tls;
  tls.url = stack.https_url("/diagnostics/whoami");
  tls.username = kApiUser;
  tls.password = kApiPassword;
  tls.verify_tls = false;
  auto over_tls = stack.send(tls);
  BOOST_REQUIRE_MESSAGE(over_tls.is_ok(), over_tls.status().to_string());
  BOOST_TEST(over_tls->status == 200);
  BOOST_TEST(parse(over_tls->body)["user"].asString() == kApiUser);
}

BOOST_AUTO_TEST_CASE(body_over_the_limit_gets_413_and_the_connection_stays_usable) {
  Stack stack(StackOptions().with_worker_env("MC_MAX_BODY_BYTES", "65536"));
  // Over the worker's limit, under nginx's: the worker refuses before reading the body.
  const std::string big(100 * 1024, 'x');
  auto response = stack.request("POST", "/sessions", big, "application/json");
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 413);
  Json::Value body = parse(response->body);
  BOOST_TEST(body["code"].asInt() == 20413);
  BOOST_TEST(body["message"].asString().find("over the limit of 65536 bytes") != std::string::npos);
  // Over nginx's client_max_body_size: nginx refuses.
  auto huge =
      stack.request("POST", "/sessions", std::string(2 * 1024 * 1024, 'x'), "application/json");
  BOOST_REQUIRE(huge.is_ok());
  BOOST_TEST(huge->status == 413);
  // The worker drained the refused body, so kept connections are still in step.
  for (int i = 0; i < 20; ++i) {
    auto again = stack.request("GET", "/diagnostics/whoami");
    BOOST_REQUIRE(again.is_ok());
    BOOST_TEST(again->status == 200);
  }
}

BOOST_AUTO_TEST_CASE(unknown_paths_get_404) {
  Stack stack;
  auto outside = stack.request("GET", "/no/such/thing", "", "", false);
  BOOST_REQUIRE(outside.is_ok());
  BOOST_TEST(outside->status == 404);  // nginx: not a masked-comms location
  BOOST_TEST(parse(outside->body)["code"].asInt() == 20404);
  auto inside = stack.request("GET", "/v1/NoSuchResource");
  BOOST_REQUIRE(inside.is_ok());
  BOOST_TEST(inside->status == 404);  // the worker: inside the API, no such route
  BOOST_TEST(parse(inside->body)["message"].asString() == "no such resource: /v1/NoSuchResource");
}

BOOST_AUTO_TEST_CASE(wrong_method_gets_405_with_allow) {
  Stack stack;
  auto response = stack.request("DELETE", "/healthz", "", "", false);
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 405);
  BOOST_REQUIRE(response->header("allow"));
  BOOST_TEST(*response->header("allow") == "GET");
}

BOOST_AUTO_TEST_CASE(worker_survives_a_handler_that_throws) {
  Stack stack;
  for (int i = 0; i < 3; ++i) {
    auto response = stack.request("GET", "/diagnostics/throw");
    BOOST_REQUIRE(response.is_ok());
    BOOST_TEST(response->status == 500);
    BOOST_TEST(parse(response->body)["code"].asInt() == 20500);
  }
  BOOST_TEST(stack.worker().running());
  auto health = stack.request("GET", "/healthz", "", "", false);
  BOOST_REQUIRE(health.is_ok());
  BOOST_TEST(health->status == 200);
  BOOST_TEST(stack.worker().log().find("handler threw") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigterm_during_a_slow_request_still_completes_it) {
  Stack stack;
  // Warm some kept connections so that idle threads sit on them during shutdown.
  for (int i = 0; i < 8; ++i) stack.request("GET", "/diagnostics/whoami");
  auto slow = std::async(std::launch::async,
                         [&] { return stack.request("GET", "/diagnostics/sleep?ms=1500"); });
  BOOST_REQUIRE(wait_until(
      [&] {
        auto m = stack.request("GET", "/metrics", "", "", false);
        // 2: the slow request, and this /metrics request itself.
        return m.is_ok() && m->body.find("mc_http_requests_in_flight 2") != std::string::npos;
      },
      std::chrono::seconds(5)));
  stack.worker().signal(SIGTERM);
  auto response = slow.get();
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 200);
  BOOST_TEST(parse(response->body)["slept_ms"].asInt() == 1500);
  // Exit code 0: every thread stopped before MC_SHUTDOWN_TIMEOUT_MS (a thread left waiting
  // for requests would have made it 1).
  auto exit_code = stack.worker().wait(std::chrono::seconds(20));
  BOOST_REQUIRE(exit_code.has_value());
  BOOST_TEST(*exit_code == 0);
  BOOST_TEST(stack.worker().log().find("worker stopped") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(metrics_count_requests_by_route_and_status) {
  Stack stack;
  stack.request("GET", "/diagnostics/whoami");
  stack.request("GET", "/diagnostics/whoami");
  stack.request("GET", "/v1/Nope");
  auto metrics = stack.request("GET", "/metrics", "", "", false);
  BOOST_REQUIRE(metrics.is_ok());
  BOOST_TEST(metrics->status == 200);
  BOOST_TEST(metrics->body.find(
                 "mc_http_requests_total{route=\"/diagnostics/whoami\",status=\"200\"} 2") !=
             std::string::npos);
  BOOST_TEST(metrics->body.find("mc_http_requests_total{route=\"unmatched\",status=\"404\"} 1") !=
             std::string::npos);
  BOOST_TEST(metrics->body.find("mc_http_request_duration_seconds_bucket") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(worker_start_up)

// Issue 14: the unit is Type=notify with a watchdog and takes its socket from systemd.
BOOST_AUTO_TEST_CASE(
    under_systemd_the_worker_takes_its_socket_reports_ready_and_keeps_the_watchdog) {
  TempDir dir("mc-notify");
  NotifySocket notify(dir.path() + "/notify.sock");
  StackOptions options;
  options.socket_activated = true;
  options.with_worker_env("NOTIFY_SOCKET", notify.path())
      .with_worker_env("WATCHDOG_USEC", "300000");
  Stack stack(options);  // its probe of /healthz is the connection that starts the worker
  auto health = stack.request("GET", "/healthz", "", "", false);
  BOOST_REQUIRE(health.is_ok());
  BOOST_TEST(health->status == 200);
  const std::string ready = notify.next(std::chrono::seconds(5));
  BOOST_TEST(ready.find("READY=1") != std::string::npos, ready);
  BOOST_TEST(ready.find("serving on systemd") != std::string::npos, ready);  // sd_listen_fds
  int pings = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < until && pings < 3) {
    if (notify.next(std::chrono::milliseconds(500)) == "WATCHDOG=1") ++pings;
  }
  BOOST_TEST(pings == 3);  // every half interval (150 ms)
  stack.worker().signal(SIGTERM);
  std::string last;
  for (std::string message = notify.next(std::chrono::seconds(5)); !message.empty();
       message = notify.next(std::chrono::seconds(5))) {
    last = message;
    if (last == "STOPPING=1") break;
  }
  BOOST_TEST(last == "STOPPING=1");
}

int run_worker_with(const std::map<std::string, std::string>& env, std::string* log) {
  TempDir dir("mc-config");
  std::map<std::string, std::string> full = {{"MC_MODULES", "admin"}};
  for (const auto& [name, value] : env) full[name] = value;
  full["MC_DATABASE"] = dir.path() + "/db";
  Process worker({worker_binary(), "--socket", dir.path() + "/w.sock"}, full,
                 dir.path() + "/worker.log");
  auto code = worker.wait(std::chrono::seconds(10));
  *log = worker.log();
  return code.value_or(-1);
}

BOOST_AUTO_TEST_CASE(bad_config_exits_non_zero_naming_the_variable) {
  std::string log;
  BOOST_TEST(run_worker_with({{"MC_THREADS", "lots"}}, &log) == 2);
  BOOST_TEST(
      log.find("MC_THREADS: expected an integer from 1 to 512, got 'lots'") != std::string::npos,
      log);
  BOOST_TEST(run_worker_with({{"MC_MODULES", "admin,teleport"}}, &log) == 2);
  BOOST_TEST(log.find("MC_MODULES: unknown module 'teleport'") != std::string::npos, log);
  BOOST_TEST(run_worker_with({{"MC_REQUIRE_REMOTE_USER", "perhaps"}}, &log) == 2);
  BOOST_TEST(log.find("MC_REQUIRE_REMOTE_USER") != std::string::npos, log);
  BOOST_TEST(run_worker_with({{"TWILIO_ACCOUNT_SID", "AC123"}, {"TWILIO_AUTH_TOKEN", "t"}}, &log) ==
             2);
  BOOST_TEST(
      log.find("TWILIO_ACCOUNT_SID: expected AC followed by 32 hex digits") != std::string::npos,
      log);
  BOOST_TEST(run_worker_with({{"NUMBER_POOL", "[\"+1415\"]"}}, &log) == 2);
  BOOST_TEST(log.find("NUMBER_POOL: '+1415' is not a valid phone number") != std::string::npos,
             log);
  BOOST_TEST(run_worker_with({{"MC_MODULES", "admin,sessions"}}, &log) == 2);
  BOOST_TEST(log.find("module sessions: needs Twilio") != std::string::npos, log);
}

// Issue 14: --check-config is the unit's ExecStartPre. It used to run the migrations and
// apply NUMBER_POOL (retiring every number not listed); it must change nothing.
BOOST_AUTO_TEST_CASE(check_config_validates_without_changing_anything,
                     *boost::unit_test::precondition(SqliteOnly())) {
  TempDir dir("mc-check");
  const std::string db = dir.path() + "/ledger.db";
  const auto check = [&](const std::map<std::string, std::string>& env) {
    std::map<std::string, std::string> full = {{"MC_MODULES", "admin"}, {"MC_DATABASE", db}};
    for (const auto& [name, value] : env) full[name] = value;
    Process worker({worker_binary(), "--check-config"}, full, dir.path() + "/check.log");
    return worker.wait(std::chrono::seconds(10)).value_or(-1);
  };
  const std::string pool = "[\"+14155550100\"]";
  BOOST_TEST(check({{"NUMBER_POOL", pool}}) == 0);
  BOOST_TEST(::access(db.c_str(), F_OK) != 0);  // no ledger created
  BOOST_TEST(read_file(dir.path() + "/check.log").find("will be created at start-up") !=
             std::string::npos);
  {
    auto store = store::sqlite::SqliteStore::open(db, std::chrono::seconds(5));
    BOOST_REQUIRE(store.is_ok());
    store::PoolNumber kept;
    kept.number = "+12125550100";
    kept.country = "US";
    BOOST_REQUIRE((*store)->sync_pool({kept}, false).is_ok());
  }
  BOOST_TEST(check({{"NUMBER_POOL", pool}}) == 0);
  auto store = store::sqlite::SqliteStore::open(db, std::chrono::seconds(5));
  BOOST_REQUIRE(store.is_ok());
  auto numbers = (*store)->pool_numbers();
  BOOST_REQUIRE(numbers.is_ok());
  BOOST_REQUIRE(numbers->size() == 1u);   // +14155550100 was not added...
  BOOST_TEST(!numbers->front().retired);  // ...and the number it does not list not retired
  // Bad settings still fail it, naming the variable.
  BOOST_TEST(check({{"MC_THREADS", "lots"}}) == 2);
  BOOST_TEST(check({{"MC_MODULES", "admin,sessions"}}) == 2);
  BOOST_TEST(read_file(dir.path() + "/check.log").find("module sessions: needs Twilio") !=
             std::string::npos);
  // A ledger a newer build has migrated is refused, not migrated back or written.
  {
    auto newer = store::sqlite::Connection::open(db, std::chrono::seconds(5));
    BOOST_REQUIRE(newer.is_ok());
    BOOST_REQUIRE((*newer)
                      ->exec("INSERT INTO schema_migrations (version, description) "
                             "VALUES (99, 'from the future')")
                      .is_ok());
  }
  BOOST_TEST(check({}) == 2);
  BOOST_TEST(read_file(dir.path() + "/check.log").find("has schema version 99, newer than") !=
             std::string::npos);
  BOOST_TEST(check({{"MC_DATABASE", "/nonexistent-dir/ledger.db"}}) == 2);
  BOOST_TEST(read_file(dir.path() + "/check.log").find("directory is not writable") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_socket_is_a_clear_error) {
  TempDir dir("mc-nosocket");
  Process worker({worker_binary()}, {{"MC_DATABASE", dir.path() + "/db"}, {"MC_MODULES", "admin"}},
                 dir.path() + "/worker.log");
  BOOST_TEST(worker.wait(std::chrono::seconds(10)).value_or(-1) == 2);
  BOOST_TEST(worker.log().find("no listening socket") != std::string::npos, worker.log());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
