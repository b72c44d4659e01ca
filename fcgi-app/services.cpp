#include "services.h"

#include <algorithm>

#include "core/log.h"
#include "pool/pool_config.h"
#include "sessions/sessions_config.h"
#include "store/store_config.h"
#include "twilio/twilio_config.h"

namespace mc::worker {

void Services::expose(Context& context) const {
  context.store = store.get();
  context.live_sessions = live_sessions.get();
  context.geography = geography.get();
  context.twilio = twilio.get();
  context.webhooks = webhooks.get();
  context.outbox = outbox.get();
  context.sessions = sessions.get();
}

Result<Services> build_services(const Environment& env, Clock& clock, Metrics& metrics,
                                Hooks& hooks) {
  Services services;
  services.geography = std::make_unique<pool::Geography>();
  auto store_config = store::load_store_config(env);
  if (!store_config) return store_config.status();
  auto pool_config = pool::load_pool_config(env, *services.geography);
  if (!pool_config) return pool_config.status();
  auto twilio_config = twilio::load_twilio_config(env);
  if (!twilio_config) return twilio_config.status();
  auto sessions_config = sessions::load_sessions_config(env);
  if (!sessions_config) return sessions_config.status();

  auto store = store::open_store(*store_config);
  if (!store) return store.status();
  services.store = std::move(store).value();
  services.live_sessions = std::make_unique<store::LiveSessionIndex>(*services.store, clock);
  if (pool_config->numbers) {
    std::vector<store::PoolNumber> numbers;
    for (const pool::PhoneInfo& info : *pool_config->numbers) {
      store::PoolNumber number;
      number.number = info.e164;
      number.country = info.country;
      number.area_code = info.area_code;
      number.region = info.region;
      number.capacity = pool_config->capacity;
      numbers.push_back(number);
    }
    if (Status s = services.store->sync_pool(numbers, true); !s) return s.annotate("NUMBER_POOL");
    log::info("number pool loaded", {{"numbers", numbers.size()}});
  }

  if (!*twilio_config) return services;
  const twilio::TwilioConfig& twilio = **twilio_config;
  if (twilio.validate_webhooks && twilio.public_base_url.empty()) {
    return Status::invalid_argument(
        "MC_PUBLIC_BASE_URL: set it (or DOMAIN) to the public origin Twilio calls, so webhook "
        "signatures can be checked");
  }
  services.http = std::make_unique<net::CurlHttpClient>();
  services.twilio = std::make_unique<twilio::TwilioClient>(twilio, *services.http, clock,
                                                           std::function<double()>{}, &metrics);
  services.webhooks = std::make_unique<twilio::WebhookValidator>(
      twilio.auth_token, twilio.public_base_url, twilio.validate_webhooks);
  services.outbox = std::make_unique<sessions::Outbox>(*services.store, clock,
                                                       sessions_config->outbox_max_backoff);
  sessions::SessionsConfig config = *sessions_config;
  if (config.messaging_service_sid.empty())
    config.messaging_service_sid = twilio.messaging_service_sid;
  services.sessions = std::make_unique<sessions::SessionService>(
      *services.store, *services.twilio, *services.geography, pool_config->policy, clock, hooks,
      *services.outbox, config, &metrics);
  services.sessions->register_outbox_handlers();
  // At least one check a round when the rate is on, however short the interval.
  const size_t reconcile_per_round =
      config.reconcile_rate == 0
          ? 0
          : std::max<size_t>(1, static_cast<size_t>(config.reconcile_rate) *
                                    static_cast<size_t>(config.sweep_interval.count()) / 1000);
  services.housekeeper = std::make_unique<sessions::Housekeeper>(
      *services.sessions, *services.outbox, config.sweep_interval, reconcile_per_round);
  return services;
}

}  // namespace mc::worker
