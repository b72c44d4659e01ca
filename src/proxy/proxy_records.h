// What the Proxy API keeps in the ledger beyond the sessions (store/sqlite/migrations.cpp,
// versions 8 and 9; store/postgres/migrations.cpp, versions 4 and 5): its Services, which
// service each pool number belongs to, and its view of sessions and participants. Plain
// values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time_format.h"

namespace mc::proxy {

struct ServiceRecord {
  std::string sid;  // KS...
  std::string unique_name;
  bool is_default = false;  // holds the pool numbers no other service has
  int64_t default_ttl = 0;  // seconds; 0 = unlimited
  std::string geo_match_level = "country";
  std::string number_selection_behavior = "prefer-sticky";
  std::optional<std::string> callback_url;
  std::optional<std::string> intercept_callback_url;
  std::optional<std::string> out_of_session_callback_url;
  std::optional<std::string> chat_instance_sid;
  TimePoint created_at{};
  TimePoint updated_at{};
};

// A pool number as a service's PhoneNumber.
struct ServiceNumber {
  std::string number;      // E.164
  std::string number_sid;  // PN... (derived from the number when Twilio's is not known)
  std::string service_sid;
  std::string friendly_name;
  std::string country;
  std::string capabilities;  // "sms,voice"
  bool is_reserved = false;
  int64_t in_use = 0;  // open sessions holding it
  TimePoint added_at{};
  TimePoint updated_at{};
};

// The Proxy API's row of a ledger session (the session itself is store::SessionRecord).
struct ProxySession {
  std::string session_id;  // KC..., the ledger's id
  std::string service_sid;
  std::optional<std::string> unique_name;
  TimePoint created_at{};
};

// A Proxy Participant: one participation in a ledger session, kept after a soft delete.
struct ProxyParticipant {
  std::string sid;  // KP...
  std::string session_id;
  std::string identifier;  // the participant's own number
  std::optional<std::string> friendly_name;
  std::string proxy_identifier;  // the pool number it reaches the others through
  int64_t position = 0;          // the order it joined the session in
  TimePoint created_at{};
  std::optional<TimePoint> deleted_at;
};

}  // namespace mc::proxy
