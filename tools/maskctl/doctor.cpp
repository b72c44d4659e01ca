// maskctl doctor: the deployment checked end to end, each check printed as ok, warning or
// error with what to do about it. It never changes anything: Twilio is only read, the
// ledger is inspected read-only, and the signed test webhook is an inbound call from a
// number that holds no session (answered with the out-of-session message, nothing written).
#include <cmath>
#include <map>
#include <tuple>

#include "commands.h"
#include "core/config.h"
#include "core/params.h"
#include "core/time_format.h"
#include "tls_probe.h"
#include "twilio/signature.h"
#include "twilio_wiring.h"

namespace mc::maskctl {
namespace {

constexpr auto kCertificateMargin = std::chrono::hours(24 * 14);
constexpr auto kSkewWarning = std::chrono::seconds(5);
constexpr auto kSkewError = std::chrono::seconds(60);
constexpr auto kProbeTimeout = std::chrono::seconds(10);
// Calls the test webhook: never a real phone (555-01xx is reserved for fiction).
constexpr const char* kTestCaller = "+12025550199";

enum class Level { kOk, kWarning, kError };

struct Finding {
  Level level;
  std::string check;
  std::string detail;
  std::string fix;  // "" when there is nothing to do
};

const char* level_name(Level level) {
  return level == Level::kOk ? "ok" : level == Level::kWarning ? "warning" : "error";
}

class Doctor {
 public:
  explicit Doctor(const Output& out) : out_(out) {}

  int run(const Environment& env) {
    auto core = load_core_config(env);
    auto deployment = Deployment::load(env);
    if (!core || !deployment) {
      add(Level::kError, "configuration", (!core ? core.status() : deployment.status()).message(),
          "correct the variable named in the environment file");
      return report();
    }
    add(Level::kOk, "configuration", "valid");
    deployment_ = std::move(deployment).value();
    check_ledger();
    if (twilio::TwilioClient* twilio = deployment_->twilio_without_ledger()) {
      public_base_url_ = twilio->config().public_base_url;
      if (check_account(*twilio)) check_wiring(*twilio);
      check_public_origin();
    } else {
      add(Level::kError, "twilio", "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set",
          "set them in the environment file");
    }
    return report();
  }

 private:
  void add(Level level, std::string check, std::string detail, std::string fix = "") {
    findings_.push_back({level, std::move(check), std::move(detail), std::move(fix)});
  }

  void check_ledger() {
    const store::StoreConfig& config = deployment_->config().store;
    auto inspection = store::inspect_store(config);
    if (!inspection) {
      add(Level::kError, "ledger", inspection.status().message(),
          config.backend == store::StoreConfig::Backend::kPostgres
              ? "check MC_DATABASE (host, port, user, password, database), MC_DB_SSLMODE, and "
                "that the server is up"
              : "check MC_DATABASE and the file's owner and mode");
      return;
    }
    if (!inspection->exists) {
      add(Level::kError, "ledger", "no ledger at " + config.location(),
          inspection->creatable ? "start the worker once (it creates and migrates it), or fix "
                                  "MC_DATABASE"
                                : "fix MC_DATABASE: its directory does not exist or is not "
                                  "writable");
      return;
    }
    if (inspection->schema_version < inspection->latest_version) {
      add(Level::kWarning, "ledger",
          config.location() + " is at schema version " +
              std::to_string(inspection->schema_version) + " of " +
              std::to_string(inspection->latest_version),
          "restart the worker: it migrates the ledger at start-up");
    } else if (inspection->schema_version > inspection->latest_version) {
      add(Level::kError, "ledger",
          config.location() + " was migrated by a newer masked-comms (schema version " +
              std::to_string(inspection->schema_version) + ")",
          "upgrade this masked-comms");
      return;
    } else {
      add(Level::kOk, "ledger",
          config.location() + " reachable, schema version " +
              std::to_string(inspection->schema_version));
    }
    if (Status s = deployment_->open(); !s) {
      add(Level::kError, "ledger", s.message(), "check MC_DATABASE");
      return;
    }
    auto numbers = deployment_->store().pool_numbers();
    if (!numbers) {
      add(Level::kError, "pool", numbers.status().message());
      return;
    }
    size_t selectable = 0, hotlines = 0;
    for (const store::PoolNumber& n : *numbers) {
      if (!n.retired) pool_.push_back(n.number);  // a hotline's number is wired like the rest
      if (!n.retired && !n.reserved && !n.set_aside) ++selectable;
      if (n.set_aside) ++hotlines;
    }
    if (selectable == 0) {
      add(Level::kError, "pool", "no selectable number in the pool",
          "add numbers: maskctl pool sync, or NUMBER_POOL");
    } else {
      add(Level::kOk, "pool",
          std::to_string(selectable) + " selectable numbers (" + std::to_string(pool_.size()) +
              " in service" +
              (hotlines ? ", " + std::to_string(hotlines) + " of them hotlines'" : "") + ")");
    }
  }

  // Credentials, and the clock against Twilio's Date header; false when Twilio cannot be used.
  bool check_account(twilio::TwilioClient& twilio) {
    net::HttpRequest request;
    const twilio::TwilioConfig& config = twilio.config();
    request.url = twilio.url("api", "/2010-04-01/Accounts/" + config.account_sid + ".json");
    request.username = config.api_key_sid.empty() ? config.account_sid : config.api_key_sid;
    request.password = config.api_key_sid.empty() ? config.auth_token : config.api_key_secret;
    request.timeout = kProbeTimeout;
    auto response = deployment_->http().send(request);
    if (!response) {
      add(Level::kError, "twilio credentials",
          "Twilio did not answer: " + response.status().message(),
          "check TWILIO_BASE_URL and the host's network");
      return false;
    }
    if (response->status == 401 || response->status == 403) {
      add(Level::kError, "twilio credentials",
          "Twilio refused the credentials of " + config.account_sid,
          "check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY/SECRET)");
      return false;
    }
    if (response->status != 200) {
      add(Level::kError, "twilio credentials",
          "fetching the account answered HTTP " + std::to_string(response->status));
      return false;
    }
    add(Level::kOk, "twilio credentials", "account " + config.account_sid + " answers");
    const std::string* date = response->header("date");
    const auto twilio_time = date ? parse_http_date(*date) : std::nullopt;
    if (!twilio_time) {
      add(Level::kWarning, "clock", "Twilio's answer had no Date header to compare with");
      return true;
    }
    const auto skew =
        std::chrono::duration_cast<std::chrono::seconds>(deployment_->clock().now() - *twilio_time);
    const std::string detail = "this host is " + std::to_string(std::llabs(skew.count())) + " s " +
                               (skew.count() >= 0 ? "ahead of" : "behind") + " Twilio";
    const auto size = std::chrono::abs(skew);
    if (size >= kSkewError) {
      add(Level::kError, "clock", detail, "synchronise the clock (systemd-timesyncd or chrony)");
    } else if (size >= kSkewWarning) {
      add(Level::kWarning, "clock", detail, "synchronise the clock (systemd-timesyncd or chrony)");
    } else {
      add(Level::kOk, "clock", detail);
    }
    return true;
  }

  void check_wiring(twilio::TwilioClient& twilio) {
    auto report = compare_wiring(twilio, public_base_url_, pool_,
                                 deployment_->config().sessions.messaging_service_sid);
    if (!report) {
      add(Level::kError, "twilio wiring", report.status().message());
      return;
    }
    for (const WiringProblem& problem : report->problems) {
      add(Level::kError, "pool number", problem.subject + " " + problem.detail);
    }
    // One finding per setting and value, however many numbers share it (a wrong DOMAIN
    // makes every number differ the same way).
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> grouped;
    std::vector<std::tuple<std::string, std::string, std::string>> order;
    for (const WiringChange& change : report->changes) {
      const auto key = std::make_tuple(change.setting, change.now, change.wanted);
      if (!grouped.count(key)) order.push_back(key);
      grouped[key].push_back(change.number);
    }
    for (const auto& key : order) {
      const auto& [setting, now, wanted] = key;
      const std::vector<std::string>& numbers = grouped[key];
      std::string who = numbers.front();
      if (numbers.size() > 1) {
        who = std::to_string(numbers.size()) + " numbers (" + numbers[0] + ", " + numbers[1] +
              (numbers.size() > 2 ? ", ...)" : ")");
      }
      add(Level::kError, "twilio wiring",
          (who.empty() ? "" : who + " ") + setting + " is " +
              (now.empty() ? "unset" : "'" + now + "'") + ", this deployment needs " +
              (wanted.empty() ? "it unset" : "'" + wanted + "'"),
          "maskctl configure (or check MC_PUBLIC_BASE_URL / DOMAIN if that is what is wrong)");
    }
    if (report->changes.empty() && report->problems.empty()) {
      add(Level::kOk, "twilio wiring",
          std::to_string(report->numbers_checked) +
              " numbers and the Conversations webhook point at " + public_base_url_);
    }
  }

  void check_public_origin() {
    if (public_base_url_.empty()) {
      add(Level::kError, "public url", "neither MC_PUBLIC_BASE_URL nor DOMAIN is set",
          "set DOMAIN to the host name Twilio calls");
      return;
    }
    // Twilio refuses to call an origin whose certificate does not verify; so do these checks.
    if (!check_certificate()) return;
    // Credentials must be refused at the API by nginx.
    net::HttpRequest api;
    api.url = public_base_url_ + "/sessions";
    api.timeout = kProbeTimeout;
    auto refused = deployment_->http().send(api);
    if (!refused) {
      add(Level::kError, "public url",
          public_base_url_ + " does not answer: " + refused.status().message(),
          "check DNS, the firewall and that nginx runs with the masked-comms site");
      return;
    }
    add(Level::kOk, "public url", public_base_url_ + " answers");
    if (refused->status == 401) {
      add(Level::kOk, "api auth", "nginx refuses the API without credentials (401)");
    } else {
      add(Level::kError, "api auth",
          "GET /sessions without credentials answered " + std::to_string(refused->status) +
              ", not 401",
          "nginx must apply basic auth to the API (nginx/masked-comms/locations.conf)");
    }
    check_signed_webhook();
  }

  // False when the origin is HTTPS and its certificate is not one Twilio would accept.
  bool check_certificate() {
    const std::string https = "https://";
    if (public_base_url_.rfind(https, 0) != 0) {
      add(Level::kWarning, "tls", public_base_url_ + " is not HTTPS",
          "serve the public origin over HTTPS (nginx/masked-comms.conf)");
      return true;
    }
    std::string host = public_base_url_.substr(https.size());
    host = host.substr(0, host.find('/'));
    int port = 443;
    if (const size_t colon = host.rfind(':'); colon != std::string::npos) {
      port = std::atoi(host.c_str() + colon + 1);
      host = host.substr(0, colon);
    }
    auto certificate = probe_certificate(host, port, kProbeTimeout);
    if (!certificate) {
      add(Level::kError, "tls", certificate.status().message(),
          "check DNS, the firewall and that nginx serves TLS on the public origin");
      return false;
    }
    const auto left = std::chrono::duration_cast<std::chrono::hours>(certificate->not_after -
                                                                     deployment_->clock().now());
    const std::string expiry = "expires " + format_iso8601(certificate->not_after) + " (" +
                               std::to_string(left.count() / 24) + " days)";
    if (!certificate->trusted) {
      add(Level::kError, "tls", "the certificate is not valid: " + certificate->problem,
          "install a certificate for " + host + " from a public CA (e.g. certbot)");
      return false;
    }
    if (left < kCertificateMargin) {
      add(Level::kError, "tls", "the certificate " + expiry, "renew it (certbot renew)");
    } else {
      add(Level::kOk, "tls", "certificate valid, " + expiry);
    }
    return true;
  }

  // What Twilio does on every call, signed with this configuration: a 403 means the worker
  // computes signatures for another URL than the one Twilio is given (DOMAIN, nginx's Host).
  void check_signed_webhook() {
    twilio::TwilioClient* twilio = deployment_->twilio_without_ledger();
    const std::string url = public_base_url_ + "/inbound-call";
    const Params form = {{"AccountSid", twilio->config().account_sid},
                         {"CallSid", "CA00000000000000000000000000000000"},
                         {"CallStatus", "ringing"},
                         {"Direction", "inbound"},
                         {"From", kTestCaller},
                         {"To", pool_.empty() ? kTestCaller : pool_.front()}};
    net::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = encode_form(form);
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"X-Twilio-Signature", twilio::compute_signature(twilio->config().auth_token, url, form)}};
    request.timeout = kProbeTimeout;
    auto response = deployment_->http().send(request);
    if (!response) {
      add(Level::kError, "signed webhook", "POST " + url + ": " + response.status().message());
    } else if (response->status == 200) {
      add(Level::kOk, "signed webhook", "a webhook signed for " + url + " is accepted");
    } else if (response->status == 403) {
      add(Level::kError, "signed webhook",
          "a webhook signed for " + url +
              " was refused (403): the worker checks signatures "
              "against another URL",
          "give the worker the same MC_PUBLIC_BASE_URL / DOMAIN as here, the host name Twilio "
          "calls, and have nginx pass it (Host)");
    } else {
      add(Level::kError, "signed webhook",
          "POST " + url + " answered " + std::to_string(response->status),
          "the voice module must be enabled (MC_MODULES) and nginx must route /inbound-call");
    }
  }

  int report() {
    bool errors = false;
    Json::Value all(Json::arrayValue);
    for (const Finding& f : findings_) {
      errors = errors || f.level == Level::kError;
      if (out_.json()) {
        Json::Value item(Json::objectValue);
        item["level"] = level_name(f.level);
        item["check"] = f.check;
        item["detail"] = f.detail;
        if (!f.fix.empty()) item["fix"] = f.fix;
        all.append(item);
      } else {
        std::string line = std::string(level_name(f.level));
        line.resize(8, ' ');
        out_.line(line + f.check + ": " + f.detail);
        if (!f.fix.empty()) out_.line("        fix: " + f.fix);
      }
    }
    if (out_.json()) {
      Json::Value doc(Json::objectValue);
      doc["ok"] = !errors;
      doc["checks"] = all;
      out_.document(doc);
    }
    return errors ? kProblems : kOk;
  }

  const Output& out_;
  std::unique_ptr<Deployment> deployment_;
  std::string public_base_url_;
  std::vector<std::string> pool_;  // numbers in service (not retired)
  std::vector<Finding> findings_;
};

}  // namespace

int run_doctor(const Environment& env, const Output& out) { return Doctor(out).run(env); }

}  // namespace mc::maskctl
