#include "twilio/twilio_config.h"

namespace mc::twilio {
namespace {

bool is_sid(const std::string& text, std::string_view prefix) {
  if (text.size() != 34 || text.compare(0, 2, prefix) != 0) return false;
  return text.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos;
}

bool is_http_url(const std::string& text) {
  return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
}

}  // namespace

Result<std::optional<TwilioConfig>> load_twilio_config(const Environment& env) {
  EnvReader reader(env);
  const auto account = reader.optional_string("TWILIO_ACCOUNT_SID");
  const auto token = reader.optional_string("TWILIO_AUTH_TOKEN");
  if (!account && !token) return std::optional<TwilioConfig>();
  TwilioConfig config;
  config.account_sid = reader.required_string("TWILIO_ACCOUNT_SID");
  config.auth_token = reader.required_string("TWILIO_AUTH_TOKEN");
  if (account && !is_sid(*account, "AC")) {
    reader.fail("TWILIO_ACCOUNT_SID", "expected AC followed by 32 hex digits");
  }
  config.api_key_sid = reader.string("TWILIO_API_KEY", "");
  config.api_key_secret = reader.string("TWILIO_API_SECRET", "");
  if (!config.api_key_sid.empty() && !is_sid(config.api_key_sid, "SK")) {
    reader.fail("TWILIO_API_KEY", "expected SK followed by 32 hex digits");
  }
  if (config.api_key_sid.empty() != config.api_key_secret.empty()) {
    reader.fail("TWILIO_API_SECRET", "TWILIO_API_KEY and TWILIO_API_SECRET go together");
  }
  config.base_url = reader.string("TWILIO_BASE_URL", config.base_url);
  if (!is_http_url(config.base_url) || config.base_url.find("{product}") == std::string::npos) {
    reader.fail("TWILIO_BASE_URL", "expected an http(s) URL template containing {product}, got '" +
                                       config.base_url + "'");
  }
  while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
  config.messaging_service_sid = reader.string("TWILIO_MESSAGING_SERVICE_SID", "");
  if (!config.messaging_service_sid.empty() && !is_sid(config.messaging_service_sid, "MG")) {
    reader.fail("TWILIO_MESSAGING_SERVICE_SID", "expected MG followed by 32 hex digits");
  }
  using std::chrono::milliseconds;
  config.timeout = reader.millis("MC_TWILIO_TIMEOUT_MS", config.timeout, milliseconds(100),
                                 milliseconds(600000));
  config.retry.max_attempts =
      static_cast<int>(reader.integer("MC_TWILIO_MAX_ATTEMPTS", config.retry.max_attempts, 1, 20));
  config.retry.base_delay = reader.millis("MC_TWILIO_BACKOFF_BASE_MS", config.retry.base_delay,
                                          milliseconds(1), milliseconds(60000));
  config.retry.max_delay = reader.millis("MC_TWILIO_BACKOFF_MAX_MS", config.retry.max_delay,
                                         milliseconds(1), milliseconds(600000));
  config.retry.budget = reader.millis("MC_TWILIO_RETRY_BUDGET_MS", config.retry.budget,
                                      milliseconds(0), milliseconds(3600000));
  config.rate_limit_per_second =
      reader.number("MC_TWILIO_RATE_LIMIT", config.rate_limit_per_second, 0, 1e6);
  config.validate_webhooks = reader.boolean("MC_VALIDATE_WEBHOOKS", true);
  if (auto base = reader.optional_string("MC_PUBLIC_BASE_URL")) {
    if (!is_http_url(*base)) reader.fail("MC_PUBLIC_BASE_URL", "expected an http(s) URL");
    config.public_base_url = *base;
  } else if (auto domain = reader.optional_string("DOMAIN")) {
    config.public_base_url = "https://" + *domain;
  }
  while (!config.public_base_url.empty() && config.public_base_url.back() == '/') {
    config.public_base_url.pop_back();
  }
  if (Status status = reader.status(); !status) return status;
  return std::optional<TwilioConfig>(config);
}

}  // namespace mc::twilio
