// The worker's shared services, built from the environment at start-up and handed to the
// modules through Context. Owned here; they outlive every module and request.
#pragma once

#include <memory>

#include "core/context.h"
#include "net/http_client.h"
#include "pool/geography.h"
#include "sessions/housekeeper.h"
#include "sessions/outbox.h"
#include "sessions/session_service.h"
#include "store/live_session_index.h"
#include "store/store.h"
#include "twilio/client.h"
#include "twilio/webhook_validator.h"

namespace mc::worker {

struct Services {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::LiveSessionIndex> live_sessions;  // loaded when a module requires it
  std::unique_ptr<pool::Geography> geography;
  std::unique_ptr<net::CurlHttpClient> http;
  // Present only when Twilio is configured:
  std::unique_ptr<twilio::TwilioClient> twilio;
  std::unique_ptr<twilio::WebhookValidator> webhooks;
  std::unique_ptr<sessions::Outbox> outbox;
  std::unique_ptr<sessions::SessionService> sessions;
  std::unique_ptr<sessions::Housekeeper> housekeeper;

  // Points `context` at the services.
  void expose(Context& context) const;
};

// Opens the store (with migrations), applies NUMBER_POOL, and builds the Twilio client and
// the session service when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set. Errors name the
// variable at fault.
Result<Services> build_services(const Environment& env, Clock& clock, Metrics& metrics,
                                Hooks& hooks);

}  // namespace mc::worker
