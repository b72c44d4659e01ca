// Internal to the proxy_api module: /v1/Services (create, fetch, list, update, delete) and
// /v1/Services/{ServiceSid}/PhoneNumbers (add by Sid or PhoneNumber, fetch, list, update
// IsReserved, remove), over the ServiceDirectory.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/router.h"
#include "pool/geography.h"
#include "proxy/service_directory.h"
#include "proxy/session_directory.h"
#include "sessions/session_service.h"
#include "twilio/client.h"

namespace mc::modules::proxy_api {

// What every resource handler needs.
struct ApiScope {
  proxy::ServiceDirectory& directory;
  proxy::SessionDirectory& session_directory;
  sessions::SessionService& sessions;
  store::Store& store;  // the message and call logs, which Interactions show
  twilio::TwilioClient& twilio;
  const pool::Geography& geography;
  Clock& clock;
  std::string base_url;     // the public origin: resource URLs are absolute on it
  std::string account_sid;  // shown as every resource's account_sid
  int number_capacity = 100;
};

void add_service_routes(Router& router, ApiScope& scope);
void add_phone_number_routes(Router& router, ApiScope& scope);
// /v1/Services/{ServiceSid}/Sessions (session_resources.cpp) and .../Participants
// (participant_resources.cpp).
void add_session_routes(Router& router, ApiScope& scope);
void add_participant_routes(Router& router, ApiScope& scope);
// .../Sessions/{SessionSid}/Interactions (interaction_resources.cpp).
void add_interaction_routes(Router& router, ApiScope& scope);

}  // namespace mc::modules::proxy_api
