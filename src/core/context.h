// What a module gets at init(): the environment, the core configuration and the shared
// services. Everything here outlives every module. Services a deployment does not configure
// are null.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/hooks.h"
#include "core/metrics.h"

namespace mc {

namespace store {
class Store;
class LiveSessionIndex;
}  // namespace store
namespace sessions {
class SessionService;
class Outbox;
}  // namespace sessions
namespace messages {
class MessageLog;
}  // namespace messages
namespace twilio {
class TwilioClient;
class WebhookValidator;
}  // namespace twilio
namespace pool {
class Geography;
}

struct Context {
  const Environment& env;
  const CoreConfig& config;
  Metrics& metrics;
  Clock& clock;
  Hooks& hooks;                   // for modules that fire hooks
  store::Store* store = nullptr;  // the ledger
  // The ledger's live sessions in memory, coherent with it (live_session_index.h).
  store::LiveSessionIndex* live_sessions = nullptr;
  // Present when Twilio is configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN).
  sessions::SessionService* sessions = nullptr;
  sessions::Outbox* outbox = nullptr;  // modules register their outbox kinds here in init()
  messages::MessageLog* messages = nullptr;  // every session's messages (messages/message_log.h)
  twilio::TwilioClient* twilio = nullptr;
  twilio::WebhookValidator* webhooks = nullptr;  // checks X-Twilio-Signature
  const pool::Geography* geography = nullptr;
  std::string version = "";
  std::chrono::steady_clock::time_point started_at{};
};

}  // namespace mc
