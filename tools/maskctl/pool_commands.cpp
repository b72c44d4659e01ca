// maskctl pool ...: the ledger's pool numbers. The worker applies NUMBER_POOL at every start
// (retiring what it does not list), so with NUMBER_POOL set these changes last only until
// then; every command that changes the pool says so.
#include <functional>
#include <iostream>

#include "commands.h"
#include "twilio_wiring.h"

namespace mc::maskctl {
namespace {

Json::Value number_json(const store::PoolNumber& n) {
  Json::Value out(Json::objectValue);
  out["number"] = n.number;
  out["country"] = n.country;
  out["area_code"] = n.area_code;
  out["region"] = n.region;
  out["capabilities"] = n.capabilities;
  out["reserved"] = n.reserved;
  out["retired"] = n.retired;
  out["hotline"] = n.set_aside;
  out["capacity"] = n.capacity;
  out["load"] = n.load;
  return out;
}

void warn_if_number_pool_set(const Deployment& deployment) {
  if (deployment.config().pool.numbers) {
    std::cerr << "maskctl: warning: NUMBER_POOL is set; the worker applies it at every start and "
                 "retires the numbers it does not list. Unset it to manage the pool here.\n";
  }
}

int list(Deployment& deployment, const Output& out) {
  auto numbers = deployment.store().pool_numbers();
  if (!numbers) return out.error(numbers.status().message(), exit_code_for(numbers.status()));
  if (out.json()) {
    Json::Value all(Json::arrayValue);
    for (const store::PoolNumber& n : *numbers) all.append(number_json(n));
    out.document(all);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const store::PoolNumber& n : *numbers) {
    const std::string state = n.retired     ? "retired"
                              : n.set_aside ? "hotline"
                              : n.reserved ? "reserved" : "selectable";
    rows.push_back({n.number, n.country, n.area_code, state,
                    std::to_string(n.load) + "/" + std::to_string(n.capacity)});
  }
  out.table({"NUMBER", "COUNTRY", "AREA", "STATE", "LOAD"}, rows);
  return kOk;
}

// The numbers as pool rows; INVALID_ARGUMENT naming the first that is not a phone number.
// `on_progress` is told every hundred numbers, and at the last.
Result<std::vector<store::PoolNumber>> describe(
    const Deployment& deployment, const std::vector<std::string>& numbers, int capacity,
    const std::function<void(size_t done)>& on_progress = {}) {
  std::vector<store::PoolNumber> out;
  for (const std::string& text : numbers) {
    if (on_progress && (out.size() % 100 == 0 || out.size() + 1 == numbers.size())) {
      on_progress(out.size() + 1);
    }
    auto info = deployment.geography().describe(text);
    if (!info) return Status::invalid_argument("'" + text + "' is not a valid phone number");
    store::PoolNumber n;
    n.number = info->e164;
    n.country = info->country;
    n.area_code = info->area_code;
    n.region = info->region;
    n.capacity = capacity;
    out.push_back(n);
  }
  return out;
}

int capacity_option(const Invocation& invocation, const Deployment& deployment, int* capacity) {
  *capacity = deployment.config().pool.capacity;
  auto given = invocation.options.find("capacity");
  if (given == invocation.options.end()) return kOk;
  char* end = nullptr;
  const long value = std::strtol(given->second.c_str(), &end, 10);
  if (*end != '\0' || value < 1 || value > 100000) return kBadUsage;
  *capacity = static_cast<int>(value);
  return kOk;
}

// Adds (or updates) the numbers in one transaction: all of them or, on an error, none.
int add_numbers(Deployment& deployment, const Output& out,
                const std::vector<store::PoolNumber>& numbers, bool retire_others) {
  if (Status s = deployment.store().sync_pool(numbers, retire_others); !s) {
    return out.error(s.message(), exit_code_for(s));
  }
  if (out.json()) {
    Json::Value result(Json::objectValue);
    result["added"] = static_cast<Json::UInt64>(numbers.size());
    result["retired_others"] = retire_others;
    out.document(result);
  } else {
    out.line(std::to_string(numbers.size()) + " numbers in the pool" +
             (retire_others ? "; every other number retired" : ""));
  }
  return kOk;
}

int add(const Invocation& invocation, Deployment& deployment, const Output& out) {
  const std::vector<std::string> given(invocation.words.begin() + 2, invocation.words.end());
  if (given.empty()) return out.error("pool add: give one or more numbers", kBadUsage);
  int capacity = 0;
  if (capacity_option(invocation, deployment, &capacity) != kOk) {
    return out.error("--capacity: expected an integer from 1 to 100000", kBadUsage);
  }
  auto numbers = describe(deployment, given, capacity);
  if (!numbers) return out.error(numbers.status().message(), kBadUsage);
  warn_if_number_pool_set(deployment);
  return add_numbers(deployment, out, *numbers, false);
}

int set_flags(const Invocation& invocation, Deployment& deployment, const Output& out) {
  const std::string& action = invocation.words[1];
  const std::vector<std::string> given(invocation.words.begin() + 2, invocation.words.end());
  if (given.empty()) return out.error("pool " + action + ": give one or more numbers", kBadUsage);
  std::optional<bool> reserved, retired;
  if (action == "reserve") reserved = true;
  if (action == "unreserve") reserved = false;
  if (action == "retire") retired = true;
  if (action == "unretire") retired = false;
  // Every number is checked before any is changed.
  auto numbers = describe(deployment, given, 1);
  if (!numbers) return out.error(numbers.status().message(), kBadUsage);
  for (const store::PoolNumber& n : *numbers) {
    auto found = deployment.store().pool_number(n.number);
    if (!found) return out.error(found.status().message(), exit_code_for(found.status()));
    if (!*found) return out.error(n.number + " is not in the pool", kNotFound);
  }
  warn_if_number_pool_set(deployment);
  Json::Value changed(Json::arrayValue);
  for (const store::PoolNumber& n : *numbers) {
    auto done = deployment.store().set_pool_flags(n.number, reserved, retired);
    if (!done) return out.error(done.status().message(), exit_code_for(done.status()));
    changed.append(n.number);
    if (!out.json()) out.line(n.number + ": " + action + "d");
  }
  if (out.json()) {
    Json::Value result(Json::objectValue);
    result[action + "d"] = changed;
    out.document(result);
  }
  return kOk;
}

int sync(const Invocation& invocation, Deployment& deployment, const Output& out) {
  twilio::TwilioClient* twilio = deployment.twilio();
  if (!twilio)
    return out.error("pool sync needs Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
                     kBadUsage);
  const auto from = invocation.options.find("from");
  const std::string source = from == invocation.options.end() ? "numbers" : from->second;
  if (source != "numbers" && source != "messaging-service") {
    return out.error("--from: expected numbers or messaging-service", kBadUsage);
  }
  const std::string service =
      source == "messaging-service" ? deployment.config().sessions.messaging_service_sid : "";
  if (source == "messaging-service" && service.empty()) {
    return out.error("--from messaging-service needs TWILIO_MESSAGING_SERVICE_SID", kBadUsage);
  }
  auto found =
      account_numbers(*twilio, service, [&](size_t read) { out.progress("reading", read, read); });
  if (!found) return out.error(found.status().message(), exit_code_for(found.status()));
  int capacity = 0;
  if (capacity_option(invocation, deployment, &capacity) != kOk) {
    return out.error("--capacity: expected an integer from 1 to 100000", kBadUsage);
  }
  auto numbers = describe(deployment, *found, capacity, [&](size_t done) {
    out.progress("checking numbers", done, found->size());
  });
  out.end_progress();
  if (!numbers) return out.error(numbers.status().message(), kBadUsage);
  warn_if_number_pool_set(deployment);
  return add_numbers(deployment, out, *numbers, invocation.options.count("retire-others") > 0);
}

}  // namespace

int run_pool(const Invocation& invocation, Deployment& deployment, const Output& out) {
  const std::string action = invocation.words.size() > 1 ? invocation.words[1] : "";
  if (Status s = deployment.open(); !s) return out.error(s.message(), exit_code_for(s));
  if (action == "list") return list(deployment, out);
  if (action == "add") return add(invocation, deployment, out);
  if (action == "reserve" || action == "unreserve" || action == "retire" || action == "unretire") {
    return set_flags(invocation, deployment, out);
  }
  if (action == "sync") return sync(invocation, deployment, out);
  return out.error("pool: expected list, add, reserve, unreserve, retire, unretire or sync",
                   kBadUsage);
}

}  // namespace mc::maskctl
