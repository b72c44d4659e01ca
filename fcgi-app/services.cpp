#include "services.h"

#include <algorithm>

#include "core/log.h"
#include "twilio/account_lists.h"

namespace mc::worker {
namespace {

// The client that talks to Twilio and the check of Twilio's webhooks; nothing is sent.
void build_twilio(const twilio::TwilioConfig& twilio, Clock& clock, Metrics* metrics,
                  Services& services) {
  services.http = std::make_unique<net::CurlHttpClient>();
  services.twilio = std::make_unique<twilio::TwilioClient>(twilio, *services.http, clock,
                                                           std::function<double()>{}, metrics);
  services.webhooks = std::make_unique<twilio::WebhookValidator>(
      twilio.auth_token, twilio.public_base_url, twilio.validate_webhooks);
}

// `listed` as the pool: added or updated, every other number retired.
Status sync_listed_pool(const std::vector<pool::PhoneInfo>& listed, int capacity,
                        store::Store& store, const char* source) {
  std::vector<store::PoolNumber> numbers;
  for (const pool::PhoneInfo& info : listed) {
    store::PoolNumber number;
    number.number = info.e164;
    number.country = info.country;
    number.area_code = info.area_code;
    number.region = info.region;
    number.capacity = capacity;
    numbers.push_back(number);
  }
  if (Status s = store.sync_pool(numbers, true); !s) return s.annotate(source);
  log::info("number pool loaded", {{"numbers", numbers.size()}, {"source", source}});
  return Status::ok();
}

Status apply_pool(const pool::PoolConfig& pool, store::Store& store) {
  if (!pool.numbers) return Status::ok();
  return sync_listed_pool(*pool.numbers, pool.capacity, store, "NUMBER_POOL");
}

// With a Messaging Service: MC_POOL_SOURCE=messaging-service makes its numbers the pool;
// otherwise every pool number that is not one of them is reported (Twilio would not send
// the service's texts from it).
Status apply_messaging_service(const pool::PoolConfig& pool, const std::string& service_sid,
                               const pool::Geography& geography, twilio::TwilioClient& twilio,
                               store::Store& store) {
  if (service_sid.empty()) {
    if (pool.from_messaging_service) {
      return Status::invalid_argument(
          "MC_POOL_SOURCE: messaging-service needs TWILIO_MESSAGING_SERVICE_SID");
    }
    return Status::ok();
  }
  auto members = twilio::messaging_service_numbers(twilio, service_sid);
  if (!members) return members.status().annotate("reading Messaging Service " + service_sid);
  if (pool.from_messaging_service) {
    std::vector<pool::PhoneInfo> listed;
    for (const auto& [number, sid] : *members) {
      auto info = geography.describe(number);
      if (!info) {
        log::warn("Messaging Service number skipped",
                  {{"number", number}, {"error", info.status().message()}});
        continue;
      }
      listed.push_back(*info);
    }
    return sync_listed_pool(listed, pool.capacity, store, "MC_POOL_SOURCE=messaging-service");
  }
  auto numbers = store.pool_numbers();
  if (!numbers) return numbers.status();
  for (const store::PoolNumber& n : *numbers) {
    if (!n.retired && !members->count(n.number)) {
      log::warn(
          "pool number is not in the Messaging Service",
          {{"number", n.number}, {"service", service_sid}, {"fix", "maskctl configure adds it"}});
    }
  }
  return Status::ok();
}

}  // namespace

Result<ServiceConfig> load_service_config(const Environment& env) {
  ServiceConfig config;
  config.geography = std::make_shared<const pool::Geography>();
  auto store_config = store::load_store_config(env);
  if (!store_config) return store_config.status();
  config.store = *store_config;
  auto pool_config = pool::load_pool_config(env, *config.geography);
  if (!pool_config) return pool_config.status();
  config.pool = std::move(pool_config).value();
  auto twilio_config = twilio::load_twilio_config(env);
  if (!twilio_config) return twilio_config.status();
  config.twilio = *twilio_config;
  auto sessions_config = sessions::load_sessions_config(env);
  if (!sessions_config) return sessions_config.status();
  config.sessions = *sessions_config;
  auto messages_config = messages::load_messages_config(env);
  if (!messages_config) return messages_config.status();
  config.messages = *messages_config;
  if (config.twilio) {
    if (config.twilio->validate_webhooks && config.twilio->public_base_url.empty()) {
      return Status::invalid_argument(
          "MC_PUBLIC_BASE_URL: set it (or DOMAIN) to the public origin Twilio calls, so webhook "
          "signatures can be checked");
    }
    if (config.sessions.messaging_service_sid.empty()) {
      config.sessions.messaging_service_sid = config.twilio->messaging_service_sid;
    }
  }
  return config;
}

void Services::expose(Context& context) const {
  context.store = store.get();
  context.live_sessions = live_sessions.get();
  context.geography = geography.get();
  context.twilio = twilio.get();
  context.webhooks = webhooks.get();
  context.outbox = outbox.get();
  context.sessions = sessions.get();
  context.messages = messages.get();
}

Result<Services> build_services(ServiceConfig config, Clock& clock, Metrics& metrics, Hooks& hooks,
                                bool apply_number_pool) {
  Services services;
  services.geography = config.geography;
  auto store = store::open_store(config.store, &metrics);
  if (!store) return store.status();
  services.store = std::move(store).value();
  services.live_sessions = std::make_unique<store::LiveSessionIndex>(*services.store, clock);
  if (apply_number_pool) {
    if (Status s = apply_pool(config.pool, *services.store); !s) return s;
  }

  if (!config.twilio) return services;
  build_twilio(*config.twilio, clock, &metrics, services);
  if (apply_number_pool) {
    if (Status s = apply_messaging_service(config.pool, config.sessions.messaging_service_sid,
                                           *services.geography, *services.twilio, *services.store);
        !s) {
      return s;
    }
  }
  const sessions::SessionsConfig& sessions = config.sessions;
  services.outbox =
      std::make_unique<sessions::Outbox>(*services.store, clock, sessions.outbox_max_backoff,
                                         static_cast<size_t>(sessions.outbox_concurrency));
  services.sessions = std::make_unique<sessions::SessionService>(
      *services.store, *services.twilio, *services.geography, config.pool.policy, clock, hooks,
      *services.outbox, sessions, &metrics);
  services.sessions->register_outbox_handlers();
  // At least one check a round when the rate is on, however short the interval.
  const size_t reconcile_per_round =
      sessions.reconcile_rate == 0
          ? 0
          : std::max<size_t>(1, static_cast<size_t>(sessions.reconcile_rate) *
                                    static_cast<size_t>(sessions.sweep_interval.count()) / 1000);
  services.housekeeper = std::make_unique<sessions::Housekeeper>(
      *services.sessions, *services.outbox, sessions.sweep_interval, reconcile_per_round);
  services.messages =
      std::make_unique<messages::MessageLog>(*services.store, clock, config.messages);
  services.housekeeper->add_step([log = services.messages.get()] { return log->erase_expired(); });
  return services;
}

Result<Services> build_services_for_check(ServiceConfig config, Clock& clock,
                                          store::StoreInspection* ledger) {
  auto inspection = store::inspect_store(config.store);
  if (!inspection) return inspection.status().annotate("MC_DATABASE");
  if (inspection->exists && inspection->schema_version > inspection->latest_version) {
    return Status::invalid_argument(
        "MC_DATABASE: " + inspection->location + " has schema version " +
        std::to_string(inspection->schema_version) + ", newer than this build's " +
        std::to_string(inspection->latest_version) + " (was it migrated by a newer masked-comms?)");
  }
  if (!inspection->exists && !inspection->creatable) {
    return Status::invalid_argument("MC_DATABASE: " + inspection->location +
                                    " does not exist and its directory is not writable");
  }
  *ledger = *inspection;
  Services services;
  services.geography = config.geography;
  if (config.twilio) build_twilio(*config.twilio, clock, nullptr, services);
  return services;
}

}  // namespace mc::worker
