// How masked-comms reaches Twilio, read from the environment:
//   TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN  the account (masked-communications-app names);
//                                          the token also checks webhook signatures
//   TWILIO_API_KEY, TWILIO_API_SECRET      optional: authenticate REST calls with an API key
//   TWILIO_BASE_URL        "https://{product}.twilio.com" (default); the sandbox's is
//                          "http://127.0.0.1:PORT/{product}"
//   TWILIO_MESSAGING_SERVICE_SID  MG... used for new conversations (A2P 10DLC registration
//                          lives on the Messaging Service)
//   MC_TWILIO_TIMEOUT_MS (15000), MC_TWILIO_MAX_ATTEMPTS (4), MC_TWILIO_BACKOFF_BASE_MS (100),
//   MC_TWILIO_BACKOFF_MAX_MS (2000), MC_TWILIO_RETRY_BUDGET_MS (10000)
//   MC_TWILIO_RATE_LIMIT   requests per second per endpoint (default 50; 0 = unlimited)
// and how webhooks from Twilio are checked:
//   MC_PUBLIC_BASE_URL     the public origin Twilio calls ("https://masked.example.com");
//                          default "https://" + DOMAIN
//   DOMAIN                 masked-communications-app's name for the public host
//   MC_VALIDATE_WEBHOOKS   true (default); false only for tests without signatures
#pragma once

#include <optional>
#include <string>

#include "core/config.h"
#include "twilio/retry.h"

namespace mc::twilio {

struct TwilioConfig {
  std::string account_sid;
  std::string auth_token;
  std::string api_key_sid;
  std::string api_key_secret;
  std::string base_url = "https://{product}.twilio.com";
  std::string messaging_service_sid;
  std::chrono::milliseconds timeout{15000};
  RetryPolicy retry;
  double rate_limit_per_second = 50;
  std::string public_base_url;  // "" when neither MC_PUBLIC_BASE_URL nor DOMAIN is set
  bool validate_webhooks = true;
};

// nullopt when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are both unset (no Twilio at all);
// an error naming the variable when one of them is missing or anything is malformed.
Result<std::optional<TwilioConfig>> load_twilio_config(const Environment& env);

}  // namespace mc::twilio
