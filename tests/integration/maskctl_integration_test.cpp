// maskctl, the built binary, against the real stack: nginx, the worker, a SQLite ledger and
// the twilio-sandbox playing Twilio. It reads the workers' configuration from an env file,
// as it reads /etc/masked-comms/masked-comms.env in production.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "store/store.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

struct Run {
  int code = -1;
  std::string output;  // stdout and stderr
};

class Maskctl {
 public:
  // The workers' environment, with `changes` on top ("" removes a variable). NUMBER_POOL is
  // left out unless kept: maskctl manages the pool in the ledger.
  explicit Maskctl(Stack& stack, std::map<std::string, std::string> changes = {},
                   bool keep_number_pool = false)
      : stack_(stack), env_file_(stack.dir() + "/maskctl-" + std::to_string(++files_) + ".env") {
    std::map<std::string, std::string> env = stack.worker_environment();
    if (!keep_number_pool) env.erase("NUMBER_POOL");
    for (const auto& [name, value] : changes) {
      if (value.empty()) {
        env.erase(name);
      } else {
        env[name] = value;
      }
    }
    std::ofstream file(env_file_);
    file << "# written by the test, as scripts/run writes masked-comms.env\n";
    for (const auto& [name, value] : env) file << name << "=" << value << "\n";
  }

  Run operator()(std::vector<std::string> args) const {
    std::vector<std::string> argv = {maskctl_binary(), "--env-file", env_file_};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string log = stack_.dir() + "/maskctl-run-" + std::to_string(++runs_) + ".log";
    Process process(argv, {}, log);
    Run run;
    run.code = process.wait(std::chrono::seconds(60)).value_or(-1);
    run.output = process.log();
    return run;
  }

  // A --json command that must exit with `code`; its document.
  Json::Value json(std::vector<std::string> args, int code = 0) const {
    args.insert(args.begin(), "--json");
    const Run run = (*this)(args);
    BOOST_REQUIRE_MESSAGE(run.code == code, "exit " << run.code << ":\n" << run.output);
    Json::Value value;
    std::string error;
    const size_t start = run.output.find_first_of("[{");
    BOOST_REQUIRE_MESSAGE(
        start != std::string::npos && parse_json_text(run.output.substr(start), &value, &error),
        "not JSON: " << run.output);
    return value;
  }

 private:
  Stack& stack_;
  std::string env_file_;
  static inline int files_ = 0;
  static inline int runs_ = 0;
};

std::unique_ptr<store::Store> open_ledger(Stack& stack) { return stack.open_ledger(); }

store::PoolNumber pool_number(Stack& stack, const std::string& number) {
  auto found = open_ledger(stack)->pool_number(number);
  BOOST_REQUIRE(found.is_ok());
  BOOST_REQUIRE_MESSAGE(found->has_value(), number << " is not in the ledger");
  return **found;
}

// The level doctor gave `check` (every finding of it; "" when absent).
std::string levels_of(const Json::Value& doctor, const std::string& check) {
  std::string levels;
  for (const Json::Value& finding : doctor["checks"]) {
    if (finding["check"].asString() == check) levels += finding["level"].asString() + " ";
  }
  return levels;
}

bool mentions(const Json::Value& doctor, const std::string& text) {
  for (const Json::Value& finding : doctor["checks"]) {
    if (finding["detail"].asString().find(text) != std::string::npos) return true;
  }
  return false;
}

// The sandbox's IncomingPhoneNumber SID of `number`.
std::string number_sid(Stack& stack, const std::string& number) {
  auto list = stack.sandbox().rest(
      "GET",
      "/api/2010-04-01/Accounts/" + std::string(kSandboxAccountSid) + "/IncomingPhoneNumbers.json",
      {{"PhoneNumber", number}});
  BOOST_REQUIRE(list.is_ok());
  return SandboxProcess::json(*list)["incoming_phone_numbers"][0]["sid"].asString();
}

BOOST_AUTO_TEST_SUITE(maskctl)

BOOST_AUTO_TEST_CASE(pool_commands_change_the_ledger) {
  Stack stack(StackOptions{}.sandboxed());
  Maskctl maskctl(stack);
  const std::string first = stack.numbers().at(0);
  Json::Value listed = maskctl.json({"pool", "list"});
  BOOST_TEST(listed.size() == stack.numbers().size());

  BOOST_TEST(maskctl({"pool", "reserve", first}).code == 0);
  BOOST_TEST(pool_number(stack, first).reserved);
  BOOST_TEST(maskctl({"pool", "unreserve", first}).code == 0);
  BOOST_TEST(!pool_number(stack, first).reserved);
  BOOST_TEST(maskctl({"pool", "retire", first}).code == 0);
  BOOST_TEST(pool_number(stack, first).retired);
  listed = maskctl.json({"pool", "list"});
  bool shown_retired = false;
  for (const Json::Value& n : listed) {
    if (n["number"].asString() == first) shown_retired = n["retired"].asBool();
  }
  BOOST_TEST(shown_retired);

  BOOST_TEST(maskctl({"pool", "add", "+14155550123", "--capacity", "7"}).code == 0);
  BOOST_TEST(pool_number(stack, "+14155550123").capacity == 7);
  BOOST_TEST(pool_number(stack, "+14155550123").area_code == "415");

  // Bad input changes nothing: every number is checked before any is touched.
  const Run bad = maskctl({"pool", "add", "+14155550124", "not-a-number"});
  BOOST_TEST(bad.code == 2);
  BOOST_TEST(bad.output.find("'not-a-number' is not a valid phone number") != std::string::npos);
  BOOST_TEST(!open_ledger(stack)->pool_number("+14155550124")->has_value());
  const Run missing = maskctl({"pool", "reserve", stack.numbers().at(1), "+12125559999"});
  BOOST_TEST(missing.code == 4);
  BOOST_TEST(missing.output.find("+12125559999 is not in the pool") != std::string::npos);
  BOOST_TEST(!pool_number(stack, stack.numbers().at(1)).reserved);

  // sync: the account's numbers (the retired one comes back into service).
  const Json::Value synced = maskctl.json({"pool", "sync"});
  BOOST_TEST(synced["added"].asUInt() == stack.numbers().size());
  BOOST_TEST(!pool_number(stack, first).retired);
  BOOST_TEST(maskctl({"pool", "sync", "--retire-others"}).code == 0);
  BOOST_TEST(pool_number(stack, "+14155550123").retired);

  // With NUMBER_POOL in the configuration, maskctl says the worker will override it.
  Maskctl with_number_pool(stack, {}, /*keep_number_pool=*/true);
  const Run warned = with_number_pool({"pool", "reserve", first});
  BOOST_TEST(warned.code == 0);
  BOOST_TEST(warned.output.find("NUMBER_POOL is set") != std::string::npos, warned.output);
}

BOOST_AUTO_TEST_CASE(doctor_reports_ok_on_a_correct_stack) {
  Stack stack(StackOptions{}.sandboxed());
  Maskctl maskctl(stack);
  const Json::Value doctor = maskctl.json({"doctor"});
  BOOST_TEST(doctor["ok"].asBool());
  for (const char* check : {"configuration", "ledger", "pool", "twilio credentials", "clock",
                            "twilio wiring", "public url", "api auth", "signed webhook"}) {
    BOOST_TEST(levels_of(doctor, check) == "ok ", check << ": " << doctor.toStyledString());
  }
  BOOST_TEST(levels_of(doctor, "tls") == "warning ");  // the test stack's origin is plain HTTP
  // The text form, as an operator reads it.
  const Run text = maskctl({"doctor"});
  BOOST_TEST(text.code == 0);
  BOOST_TEST(
      text.output.find("ok      signed webhook: a webhook signed for " +
                       stack.http_url("/inbound-call") + " is accepted") != std::string::npos,
      text.output);
  // It changed nothing: no call was recorded for its test webhook.
  BOOST_TEST(!open_ledger(stack)->call("CA00000000000000000000000000000000")->has_value());
}

BOOST_AUTO_TEST_CASE(doctor_names_each_broken_setting) {
  Stack stack(StackOptions{}.sandboxed());
  const std::string first = stack.numbers().at(0);

  // A number whose VoiceUrl points elsewhere.
  auto changed =
      stack.sandbox().rest("POST",
                           "/api/2010-04-01/Accounts/" + std::string(kSandboxAccountSid) +
                               "/IncomingPhoneNumbers/" + number_sid(stack, first) + ".json",
                           {{"VoiceUrl", "https://old-host.example.com/voice"},
                            {"SmsUrl", "https://demo.twilio.com/welcome/sms/reply"}});
  BOOST_REQUIRE(changed.is_ok() && changed->status == 200);
  Json::Value doctor = Maskctl(stack).json({"doctor"}, 1);
  BOOST_TEST(!doctor["ok"].asBool());
  BOOST_TEST(levels_of(doctor, "twilio wiring") == "error error ");  // VoiceUrl, SmsUrl
  BOOST_TEST(mentions(doctor, first + " VoiceUrl is 'https://old-host.example.com/voice'"),
             doctor.toStyledString());
  // An SmsUrl elsewhere would answer out-of-session texts in our name; /inbound-sms is ours.
  BOOST_TEST(mentions(doctor, first +
                                  " SmsUrl is 'https://demo.twilio.com/welcome/sms/reply', this "
                                  "deployment needs '" +
                                  stack.http_url("/inbound-sms") + "'"),
             doctor.toStyledString());

  // A post-event webhook without the filters the worker needs.
  auto filters = stack.sandbox().rest("POST", "/conversations/v1/Configuration/Webhooks",
                                      {{"Filters", "onMessageAdded"}});
  BOOST_REQUIRE(filters.is_ok() && filters->status == 200);
  doctor = Maskctl(stack).json({"doctor"}, 1);
  BOOST_TEST(mentions(doctor, "Conversations webhook Filters is 'onMessageAdded'"),
             doctor.toStyledString());
  BOOST_TEST(mentions(doctor, "onConversationRemoved"));

  // The wrong DOMAIN: the same nginx under another name, so the signatures maskctl makes
  // are for another URL than the worker checks (what Twilio would meet).
  const std::string other_name = "http://localhost:" + stack.http_url("").substr(17);
  doctor = Maskctl(stack, {{"MC_PUBLIC_BASE_URL", other_name}}).json({"doctor"}, 1);
  BOOST_TEST(levels_of(doctor, "signed webhook") == "error ");
  BOOST_TEST(mentions(doctor, "was refused (403)"), doctor.toStyledString());

  // An unreachable ledger.
  doctor =
      Maskctl(stack, {{"MC_DATABASE", "/nonexistent-dir/masked-comms.db"}}).json({"doctor"}, 1);
  BOOST_TEST(levels_of(doctor, "ledger") == "error ");
  BOOST_TEST(mentions(doctor, "no ledger at /nonexistent-dir/masked-comms.db"));

  // A bad configuration is reported, not just refused.
  doctor = Maskctl(stack, {{"MC_TWILIO_TIMEOUT_MS", "soon"}}).json({"doctor"}, 1);
  BOOST_TEST(levels_of(doctor, "configuration") == "error ");
  BOOST_TEST(mentions(doctor, "MC_TWILIO_TIMEOUT_MS"));

  // A clock two minutes away from Twilio's.
  control(stack, "POST", "/clock/advance", {{"Seconds", "120"}});
  doctor = Maskctl(stack).json({"doctor"}, 1);
  BOOST_TEST(levels_of(doctor, "clock") == "error ");
  BOOST_TEST(mentions(doctor, "behind Twilio"), doctor.toStyledString());

  // HTTPS with a certificate no public CA signed (the test nginx's own).
  doctor = Maskctl(stack, {{"MC_PUBLIC_BASE_URL", stack.https_url("")}}).json({"doctor"}, 1);
  BOOST_TEST(levels_of(doctor, "tls") == "error ");
  BOOST_TEST(mentions(doctor, "the certificate is not valid"), doctor.toStyledString());
}

BOOST_AUTO_TEST_CASE(configure_fixes_what_doctor_found_and_a_second_run_changes_nothing) {
  StackOptions options;
  options.sandboxed().sandbox_wired = false;  // a fresh account: nothing points at us
  Stack stack(options);
  Maskctl maskctl(stack);
  const std::string demo = stack.numbers().at(2);  // a new number's SmsUrl: Twilio's demo
  const std::string number_path = "/api/2010-04-01/Accounts/" + std::string(kSandboxAccountSid) +
                                  "/IncomingPhoneNumbers/" + number_sid(stack, demo) + ".json";
  auto set_demo = stack.sandbox().rest("POST", number_path,
                                       {{"SmsUrl", "https://demo.twilio.com/welcome/sms/reply"}});
  BOOST_REQUIRE(set_demo.is_ok() && set_demo->status == 200);
  Json::Value doctor = maskctl.json({"doctor"}, 1);
  // One finding for all the numbers that differ alike.
  BOOST_TEST(mentions(doctor, std::to_string(stack.numbers().size()) + " numbers ("),
             doctor.toStyledString());
  BOOST_TEST(mentions(doctor, "VoiceUrl is unset, this deployment needs '" +
                                  stack.http_url("/inbound-call") + "'"));

  // Without --yes it asks; an answer other than yes sends nothing.
  const Run declined = maskctl({"configure"});
  BOOST_TEST(declined.code == 1);
  BOOST_TEST(declined.output.find("nothing sent") != std::string::npos, declined.output);
  BOOST_TEST(maskctl.json({"doctor"}, 1)["ok"].asBool() == false);

  const Json::Value first = maskctl.json({"configure", "--yes"});
  BOOST_TEST(first["changes"].size() > stack.numbers().size());
  BOOST_TEST(first["applied"].size() == first["requests"].asUInt());
  const Json::Value second = maskctl.json({"configure", "--yes"});
  BOOST_TEST(second["changes"].size() == 0u, second.toStyledString());
  BOOST_TEST(second["applied"].size() == 0u);
  doctor = maskctl.json({"doctor"});
  BOOST_TEST(doctor["ok"].asBool(), doctor.toStyledString());
  auto cleared = stack.sandbox().rest("GET", number_path);
  BOOST_REQUIRE(cleared.is_ok());
  BOOST_TEST(SandboxProcess::json(*cleared)["sms_url"].asString() ==
             stack.http_url("/inbound-sms"));

  // Messaging Service membership, when the deployment names a service: a number taken out
  // of it is found, and put back.
  auto services = stack.sandbox().rest("GET", "/messaging/v1/Services");
  BOOST_REQUIRE(services.is_ok());
  const std::string service = SandboxProcess::json(*services)["services"][0]["sid"].asString();
  const std::string left_out = stack.numbers().at(1);
  auto removed = stack.sandbox().rest("DELETE", "/messaging/v1/Services/" + service +
                                                    "/PhoneNumbers/" + number_sid(stack, left_out));
  BOOST_REQUIRE(removed.is_ok() && removed->status == 204);
  Maskctl with_service(stack, {{"TWILIO_MESSAGING_SERVICE_SID", service}});
  doctor = with_service.json({"doctor"}, 1);
  BOOST_TEST(mentions(doctor, left_out + " Messaging Service " + service + " is 'not a member'"),
             doctor.toStyledString());
  const Json::Value added = with_service.json({"configure", "--yes"});
  BOOST_TEST(added["changes"].size() == 1u, added.toStyledString());
  BOOST_TEST(added["applied"].size() == 1u);
  BOOST_TEST(with_service.json({"configure", "--yes"})["changes"].size() == 0u);
  BOOST_TEST(with_service.json({"doctor"})["ok"].asBool());

  // And the account now really reaches the worker: a call to a session's number connects.
  const std::string caller = "+14155550101", callee = "+12125550102";
  const Json::Value session = create_session(stack, {caller, callee});
  const std::string proxy = proxy_of(get_session(stack, session["uniqueName"].asString()), caller);
  const Json::Value call = control(stack, "POST", "/calls", {{"From", caller}, {"To", proxy}});
  BOOST_TEST(call["call"]["document_url"].asString() == stack.http_url("/inbound-call"));
  BOOST_TEST(call["call"]["status"].asString() == "in-progress", call.toStyledString());
  BOOST_TEST(!call["call"]["bridged_with"].asString().empty());  // the other phone answered
}

BOOST_AUTO_TEST_CASE(sessions_are_listed_shown_and_closed) {
  Stack stack(StackOptions{}.sandboxed());
  Maskctl maskctl(stack);
  const Json::Value created = create_session(stack, {"+14155550101", "+12125550102"});
  const std::string id = created["uniqueName"].asString();
  const Json::Value listed = maskctl.json({"sessions", "list"});
  BOOST_REQUIRE(listed.size() == 1u);
  BOOST_TEST(listed[0]["id"].asString() == id);
  const Run shown = maskctl({"sessions", "show", id});
  BOOST_TEST(shown.code == 0);
  BOOST_TEST(shown.output.find("+14155550101") != std::string::npos, shown.output);
  BOOST_TEST(maskctl({"sessions", "show", "no-such-session"}).code == 4);
  const Json::Value closed = maskctl.json({"sessions", "close", id});
  BOOST_TEST(closed["status"].asString() == "closed");
  BOOST_TEST(get_session(stack, id)["status"].asString() == "closed");
}

// The environment file is the worker's (systemd's EnvironmentFile syntax): comments and
// quotes are read as systemd reads them, and a line that is neither is named.
BOOST_AUTO_TEST_CASE(the_environment_file_is_read_as_systemd_reads_it) {
  TempDir dir("mc-envfile");
  const std::string good = dir.path() + "/good.env";
  std::ofstream(good) << "# a comment\n; another\n\nMC_DATABASE=\"" << dir.path()
                      << "/ledger.db\"\n";
  Process listed({maskctl_binary(), "--env-file", good, "--json", "pool", "list"}, {},
                 dir.path() + "/good.log");
  BOOST_TEST(listed.wait(std::chrono::seconds(30)).value_or(-1) == 0, listed.log());
  BOOST_TEST(::access((dir.path() + "/ledger.db").c_str(), F_OK) == 0);  // the quotes went

  const std::string bad = dir.path() + "/bad.env";
  std::ofstream(bad) << "MC_DATABASE=/tmp/x.db\nexport TWILIO_AUTH_TOKEN=t\n";
  Process refused({maskctl_binary(), "--env-file", bad, "pool", "list"}, {},
                  dir.path() + "/bad.log");
  BOOST_TEST(refused.wait(std::chrono::seconds(30)).value_or(-1) == 2);
  BOOST_TEST(refused.log().find(bad + ":2: expected NAME=VALUE") != std::string::npos,
             refused.log());
  Process missing({maskctl_binary(), "--env-file", dir.path() + "/none.env", "pool", "list"}, {},
                  dir.path() + "/missing.log");
  BOOST_TEST(missing.wait(std::chrono::seconds(30)).value_or(-1) == 3);
  BOOST_TEST(missing.log().find("cannot read the environment file") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
