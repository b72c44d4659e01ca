// maskctl sessions ...: the ledger's sessions, as GET /sessions shows them. Closing goes
// through the session service, as DELETE /sessions does: the conversation's deletion at
// Twilio is queued in the outbox, which the running worker carries out.
#include "commands.h"
#include "core/time_format.h"
#include "sessions/session_json.h"

namespace mc::maskctl {
namespace {

std::string when(const std::optional<TimePoint>& time) {
  return time ? format_iso8601(*time) : "-";
}

int list(const Invocation& invocation, Deployment& deployment, const Output& out) {
  const auto status = invocation.options.find("status");
  const auto limit_option = invocation.options.find("limit");
  size_t limit = 50;
  if (limit_option != invocation.options.end()) {
    char* end = nullptr;
    const long value = std::strtol(limit_option->second.c_str(), &end, 10);
    if (*end != '\0' || value < 1 || value > 100) {
      return out.error("--limit: expected an integer from 1 to 100", kBadUsage);
    }
    limit = static_cast<size_t>(value);
  }
  auto page = deployment.store().list_sessions(
      status == invocation.options.end() ? "" : status->second, limit, "");
  if (!page) return out.error(page.status().message(), exit_code_for(page.status()));
  if (out.json()) {
    Json::Value all(Json::arrayValue);
    for (const store::SessionRecord& s : page->sessions) all.append(sessions::session_json(s));
    out.document(all);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const store::SessionRecord& s : page->sessions) {
    rows.push_back({s.id, s.status, s.mode, std::to_string(s.participants.size()),
                    format_iso8601(s.created_at), when(s.expires_at)});
  }
  out.table({"ID", "STATUS", "MODE", "PEOPLE", "CREATED", "EXPIRES"}, rows);
  return kOk;
}

void print_session(const store::SessionRecord& s, const Output& out) {
  if (out.json()) {
    out.document(sessions::session_json(s));
    return;
  }
  out.line("id:            " + s.id);
  out.line("status:        " + s.status +
           (s.closed_reason.empty() ? "" : " (" + s.closed_reason + ")"));
  out.line("mode:          " + s.mode);
  out.line("conversation:  " + (s.conversation_sid.empty() ? "-" : s.conversation_sid));
  out.line("created:       " + format_iso8601(s.created_at));
  out.line("last activity: " + when(s.last_interaction_at));
  out.line("expires:       " + when(s.expires_at));
  std::vector<std::vector<std::string>> rows;
  for (const store::ParticipantRecord& p : s.participants) {
    rows.push_back({p.address, p.proxy_number, p.active ? "active" : "released",
                    p.friendly_name.empty() ? "-" : p.friendly_name});
  }
  out.table({"ADDRESS", "PROXY NUMBER", "STATE", "NAME"}, rows);
}

}  // namespace

int run_sessions(const Invocation& invocation, Deployment& deployment, const Output& out) {
  const std::string action = invocation.words.size() > 1 ? invocation.words[1] : "";
  if (Status s = deployment.open(); !s) return out.error(s.message(), exit_code_for(s));
  if (action == "list") return list(invocation, deployment, out);
  if (action != "show" && action != "close") {
    return out.error("sessions: expected list, show ID or close ID", kBadUsage);
  }
  if (invocation.words.size() != 3)
    return out.error("sessions " + action + ": give one ID", kBadUsage);
  const std::string& id = invocation.words[2];
  if (action == "show") {
    auto found = deployment.store().session(id);
    if (!found) return out.error(found.status().message(), exit_code_for(found.status()));
    if (!*found) return out.error("no session " + id, kNotFound);
    print_session(**found, out);
    return kOk;
  }
  sessions::SessionService* service = deployment.sessions();
  if (!service) {
    return out.error("sessions close needs Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
                     kBadUsage);
  }
  auto closed = service->close(id, "maskctl");  // the reason, as DELETE /sessions says "api"
  if (!closed) return out.error(closed.status().message(), exit_code_for(closed.status()));
  print_session(*closed, out);
  return kOk;
}

}  // namespace mc::maskctl
