// maskctl configure: sets at Twilio what doctor checks there (the pool numbers' webhook URLs,
// the Conversations post-event webhook and its filters, Messaging Service membership). It
// reads Twilio first and sends only what differs, so a second run changes nothing; it shows
// the changes and asks before sending them unless --yes.
#include <iostream>

#include "commands.h"
#include "twilio_wiring.h"

namespace mc::maskctl {
namespace {

bool confirmed(const Output& out) {
  if (out.json()) return false;  // a script says --yes
  std::cout << "Apply these changes at Twilio? [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

int run_configure(const Invocation& invocation, Deployment& deployment, const Output& out) {
  if (Status s = deployment.open(); !s) return out.error(s.message(), exit_code_for(s));
  twilio::TwilioClient* twilio = deployment.twilio();
  if (!twilio) {
    return out.error("configure needs Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
                     kBadUsage);
  }
  const std::string& public_base_url = twilio->config().public_base_url;
  if (public_base_url.empty()) {
    return out.error("configure needs the public origin: set MC_PUBLIC_BASE_URL or DOMAIN",
                     kBadUsage);
  }
  auto numbers = deployment.store().pool_numbers();
  if (!numbers) return out.error(numbers.status().message(), exit_code_for(numbers.status()));
  std::vector<std::string> pool;
  for (const store::PoolNumber& n : *numbers) {
    if (!n.retired) pool.push_back(n.number);
  }
  auto report = compare_wiring(*twilio, public_base_url, pool,
                               deployment.config().sessions.messaging_service_sid);
  if (!report) return out.error(report.status().message(), exit_code_for(report.status()));
  for (const WiringProblem& problem : report->problems) {
    std::cerr << "maskctl: " << problem.subject << " " << problem.detail << " (not fixed here)\n";
  }
  // One request may fix several settings (a number's VoiceUrl and VoiceMethod; the webhook's
  // URL, method, target and filters): each distinct request is sent once.
  std::vector<const WiringChange*> requests;
  for (const WiringChange& change : report->changes) {
    const bool same = !requests.empty() && requests.back()->fix.path == change.fix.path &&
                      requests.back()->fix.form == change.fix.form;
    if (!same) requests.push_back(&change);
  }
  if (!out.json()) {
    if (report->changes.empty()) out.line("nothing to change: Twilio points at " + public_base_url);
    for (const WiringChange& change : report->changes) {
      out.line("  " + change.subject() + ": '" + change.now + "' -> '" + change.wanted + "'");
    }
  }
  Json::Value applied(Json::arrayValue);
  const bool go = report->changes.empty() || invocation.yes || confirmed(out);
  int code = go ? kOk : kProblems;
  if (go) {
    for (const WiringChange* change : requests) {
      auto sent = twilio->send(change->fix);
      if (!sent) {
        code = kProblems;
        std::cerr << "maskctl: " << change->subject() << ": " << sent.status().message() << '\n';
        continue;
      }
      applied.append(change->subject());
    }
    if (!out.json() && !report->changes.empty()) {
      out.line(std::to_string(applied.size()) + " of " + std::to_string(requests.size()) +
               " updates sent to Twilio");
    }
  } else if (!out.json()) {
    out.line("nothing sent (run with --yes to apply without asking)");
  }
  if (out.json()) {
    Json::Value doc(Json::objectValue);
    Json::Value changes(Json::arrayValue);
    for (const WiringChange& change : report->changes) {
      Json::Value item(Json::objectValue);
      item["subject"] = change.subject();
      item["now"] = change.now;
      item["wanted"] = change.wanted;
      changes.append(item);
    }
    doc["changes"] = changes;
    doc["applied"] = applied;
    doc["requests"] = static_cast<Json::UInt64>(requests.size());
    out.document(doc);
  }
  return code;
}

}  // namespace mc::maskctl
