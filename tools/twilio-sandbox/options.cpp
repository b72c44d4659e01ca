#include "options.h"

#include <charconv>
#include <fstream>

namespace mc::sandbox {
namespace {

bool parse_int(const std::string& text, int64_t min, int64_t max, int64_t* value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size() && *value >= min && *value <= max;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find(separator, start);
    std::string item =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\r')) item.pop_back();
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    if (!item.empty()) items.push_back(item);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return items;
}

}  // namespace

std::string usage() {
  return R"(usage: twilio-sandbox [options]

A local, stateful Twilio for tests, benchmarks and demos: the Conversations v1, Voice (API
2010) and Messaging v1 endpoints masked-comms uses, plus a phone network (/sandbox/...).
Products live under a path prefix named after their host: /conversations/v1/...,
/api/2010-04-01/..., /messaging/v1/...

  --listen HOST:PORT          where to listen (default 127.0.0.1:4010)
  --account-sid AC...         the account (default AC00000000000000000000000000000000)
  --auth-token TOKEN          Basic-auth password and webhook signing key
                              (default sandbox-auth-token)
  --numbers +1...,+1...       the account's phone numbers (the pool)
  --numbers-file FILE         the same, one number per line
  --number-count N            generate N numbers (default 10 when no numbers are given)
  --print-numbers             print the numbers, one per line, and exit
  --voice-url URL             VoiceUrl of every number (inbound calls)
  --sms-url URL               SmsUrl of every number (SMS outside a conversation)
  --status-callback URL       StatusCallback of every number
  --post-webhook-url URL      Conversations post-event webhook (account level)
  --pre-webhook-url URL       Conversations pre-event webhook (account level)
  --webhook-filters a,b,...   its event filters (default onMessageAdded,
                              onConversationStateUpdated,onConversationUpdated)
  --webhook-method GET|POST   its method (default POST)
  --pre-webhook-failure allow|block
                              what an unreachable pre-event webhook does (default allow)
  --webhook-timeout-ms N      timeout of every webhook (default 5000, as Twilio)
  --latency-ms SPEC           added latency on every REST endpoint: 50, 20..80, or
                              lognormal:MEDIAN:P99
  --fault ENDPOINT:RULE       a fault rule, e.g. participants.create:429=0.2,5xx=0.1,
                              drop=0.05,drop_after=0.05,latency=10..50,rate=20,concurrency=4
                              (repeatable; ENDPOINT * means every endpoint)
  --state-file FILE           load state from FILE at start, save it at exit
  --seed N                    repeatable SIDs and fault dice
  --threads N                 HTTP server threads (default 64)

Fault endpoints: configuration.fetch webhooks.fetch webhooks.update service_webhooks.fetch
service_webhooks.update conversations.create conversations.list conversations.fetch
conversations.update conversations.delete conversation_with_participants.create
participants.create participants.list participants.fetch participants.update
participants.delete messages.list messages.create participant_conversations.list
calls.create calls.list calls.fetch calls.update incoming_phone_numbers.list
incoming_phone_numbers.fetch incoming_phone_numbers.update messaging_services.list
messaging_services.fetch messaging_phone_numbers.list messaging_phone_numbers.fetch

Prints "ready http://HOST:PORT" once listening.
)";
}

Result<SandboxOptions> parse_options(const std::vector<std::string>& arguments, bool* print_numbers,
                                     bool* show_help) {
  SandboxOptions options;
  options.conversations_webhooks.filters = {"onMessageAdded", "onConversationStateUpdated",
                                            "onConversationUpdated"};
  int64_t number_count = -1;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& arg = arguments[i];
    auto value = [&](std::string* out) -> Status {
      if (i + 1 >= arguments.size()) return Status::invalid_argument(arg + ": a value is required");
      *out = arguments[++i];
      return Status::ok();
    };
    std::string text;
    if (arg == "--help" || arg == "-h") {
      *show_help = true;
      return options;
    }
    if (arg == "--print-numbers") {
      *print_numbers = true;
      continue;
    }
    if (Status s = value(&text); !s) return s;
    int64_t number = 0;
    if (arg == "--listen") {
      const size_t colon = text.rfind(':');
      if (colon == std::string::npos || !parse_int(text.substr(colon + 1), 1, 65535, &number)) {
        return Status::invalid_argument("--listen: expected HOST:PORT, got " + text);
      }
      options.host = text.substr(0, colon);
      options.port = static_cast<int>(number);
    } else if (arg == "--account-sid") {
      if (!is_sid(text, "AC"))
        return Status::invalid_argument("--account-sid: expected AC + 32 hex digits");
      options.account_sid = text;
    } else if (arg == "--auth-token") {
      options.auth_token = text;
    } else if (arg == "--numbers") {
      for (const std::string& n : split(text, ',')) options.numbers.push_back(n);
    } else if (arg == "--numbers-file") {
      std::ifstream in(text);
      if (!in) return Status::invalid_argument("--numbers-file: cannot read " + text);
      std::string line;
      while (std::getline(in, line)) {
        for (const std::string& n : split(line, ',')) {
          if (n[0] != '#') options.numbers.push_back(n);
        }
      }
    } else if (arg == "--number-count") {
      if (!parse_int(text, 1, 100000, &number_count)) {
        return Status::invalid_argument("--number-count: expected 1 to 100000, got " + text);
      }
    } else if (arg == "--voice-url") {
      options.voice_url = text;
    } else if (arg == "--sms-url") {
      options.sms_url = text;
    } else if (arg == "--status-callback") {
      options.status_callback = text;
    } else if (arg == "--post-webhook-url") {
      options.conversations_webhooks.post_webhook_url = text;
    } else if (arg == "--pre-webhook-url") {
      options.conversations_webhooks.pre_webhook_url = text;
    } else if (arg == "--webhook-filters") {
      options.conversations_webhooks.filters = split(text, ',');
    } else if (arg == "--webhook-method") {
      if (text != "GET" && text != "POST")
        return Status::invalid_argument("--webhook-method: GET or POST");
      options.conversations_webhooks.method = text;
    } else if (arg == "--pre-webhook-failure") {
      if (text != "allow" && text != "block")
        return Status::invalid_argument("--pre-webhook-failure: allow or block");
      options.pre_webhook_failure = text;
    } else if (arg == "--webhook-timeout-ms") {
      if (!parse_int(text, 1, 600000, &number))
        return Status::invalid_argument("--webhook-timeout-ms: 1 to 600000");
      options.webhook_timeout = std::chrono::milliseconds(number);
    } else if (arg == "--latency-ms") {
      auto latency = LatencySpec::parse(text);
      if (!latency) return latency.status().annotate("--latency-ms");
      FaultRule rule;
      rule.latency = *latency;
      options.faults.emplace_back("*", rule);
    } else if (arg == "--fault") {
      const size_t colon = text.find(':');
      if (colon == std::string::npos)
        return Status::invalid_argument("--fault: expected ENDPOINT:RULE");
      auto rule = FaultRule::parse(text.substr(colon + 1));
      if (!rule) return rule.status().annotate("--fault");
      options.faults.emplace_back(text.substr(0, colon), *rule);
    } else if (arg == "--state-file") {
      options.state_file = text;
    } else if (arg == "--seed") {
      if (!parse_int(text, 0, INT64_MAX, &number))
        return Status::invalid_argument("--seed: expected a number");
      options.seed = static_cast<uint64_t>(number);
    } else if (arg == "--threads") {
      if (!parse_int(text, 1, 1024, &number))
        return Status::invalid_argument("--threads: 1 to 1024");
      options.http_threads = static_cast<int>(number);
    } else {
      return Status::invalid_argument("unknown option " + arg);
    }
  }
  if (number_count > 0 || options.numbers.empty()) {
    for (const std::string& n :
         default_numbers(number_count > 0 ? static_cast<int>(number_count) : 10)) {
      options.numbers.push_back(n);
    }
  }
  for (const std::string& n : options.numbers) {
    if (!is_valid_address(n) || n.find(':') != std::string::npos) {
      return Status::invalid_argument("not an E.164 phone number: " + n);
    }
  }
  return options;
}

}  // namespace mc::sandbox
