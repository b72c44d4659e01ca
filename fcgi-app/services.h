// The worker's shared services, built from the environment at start-up and handed to the
// modules through Context. Owned here; they outlive every module and request.
#pragma once

#include <memory>
#include <optional>

#include "core/context.h"
#include "messages/message_log.h"
#include "messages/messages_config.h"
#include "net/http_client.h"
#include "pool/geography.h"
#include "pool/pool_config.h"
#include "sessions/housekeeper.h"
#include "sessions/outbox.h"
#include "sessions/session_service.h"
#include "sessions/sessions_config.h"
#include "store/live_session_index.h"
#include "store/store.h"
#include "store/store_config.h"
#include "twilio/client.h"
#include "twilio/twilio_config.h"
#include "twilio/webhook_validator.h"

namespace mc::worker {

// Every service's configuration, read and validated; nothing opened yet. Copyable: the
// geography (libphonenumber's data, which NUMBER_POOL was read with) is shared.
struct ServiceConfig {
  std::shared_ptr<const pool::Geography> geography;
  store::StoreConfig store;
  pool::PoolConfig pool;
  std::optional<twilio::TwilioConfig> twilio;  // nullopt: no Twilio configured
  sessions::SessionsConfig sessions;
  messages::MessagesConfig messages;
};

// Errors name the variable at fault.
Result<ServiceConfig> load_service_config(const Environment& env);

struct Services {
  std::shared_ptr<const pool::Geography> geography;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::LiveSessionIndex> live_sessions;  // loaded when a module requires it
  std::unique_ptr<net::CurlHttpClient> http;
  // Present only when Twilio is configured:
  std::unique_ptr<twilio::TwilioClient> twilio;
  std::unique_ptr<twilio::WebhookValidator> webhooks;
  std::unique_ptr<sessions::Outbox> outbox;
  std::unique_ptr<sessions::SessionService> sessions;
  std::unique_ptr<sessions::Housekeeper> housekeeper;
  std::unique_ptr<messages::MessageLog> messages;

  // Points `context` at the services.
  void expose(Context& context) const;
};

// Opens the store (with migrations), applies NUMBER_POOL (unless `apply_number_pool` is
// false: maskctl), and builds the Twilio client and the session service when Twilio is
// configured.
Result<Services> build_services(ServiceConfig config, Clock& clock, Metrics& metrics, Hooks& hooks,
                                bool apply_number_pool = true);

// `--check-config`: the Twilio client and webhook check (when configured), which touch
// nothing, and a look at the ledger that changes nothing (store_config.h). Errors when the
// ledger cannot be read, cannot be created, or was migrated by a newer build.
Result<Services> build_services_for_check(ServiceConfig config, Clock& clock,
                                          store::StoreInspection* ledger);

}  // namespace mc::worker
