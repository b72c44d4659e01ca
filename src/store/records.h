// The ledger's rows as values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time_format.h"

namespace mc::store {

// Session status values.
namespace status {
inline constexpr const char* kCreating = "creating";      // numbers reserved, Twilio not done
inline constexpr const char* kRecovering = "recovering";  // claimed by the recovery sweep
inline constexpr const char* kOpen = "open";
inline constexpr const char* kInProgress = "in-progress";  // has seen an interaction
inline constexpr const char* kClosed = "closed";
inline constexpr const char* kFailed = "failed";  // creation rolled back
}  // namespace status

// Open or in-progress: the statuses whose participants hold their pairs and are reached.
inline bool is_live_status(const std::string& s) {
  return s == status::kOpen || s == status::kInProgress;
}

struct PoolNumber {
  std::string number;  // E.164
  std::string country;
  std::string area_code;
  std::string region;
  std::string capabilities = "sms,voice";
  bool reserved = false;
  bool retired = false;
  int capacity = 100;
  int load = 0;  // active participants holding it
  // Held by a hotline (hotline_directory.h): never selected for a session while it is.
  bool set_aside = false;
  // The Proxy API service it belongs to (src/proxy/); empty: the default service.
  std::string service_sid;
  std::string number_sid;  // PN... at Twilio, when known
  std::string friendly_name;
};

struct ParticipantRecord {
  int64_t id = 0;
  std::string session_id;
  std::string address;
  std::string proxy_number;
  std::string friendly_name;
  std::string participant_sid;  // MB... once Twilio has it
  bool active = true;
  TimePoint created_at;
};

struct SessionRecord {
  std::string id;  // also the conversation's UniqueName at Twilio
  std::string conversation_sid;
  std::string status = status::kCreating;
  std::string mode = "voice-and-message";
  std::optional<std::string> friendly_name;
  std::string attributes = "{}";
  std::optional<int64_t> ttl_seconds;
  std::optional<TimePoint> date_expiry;
  std::optional<TimePoint> expires_at;  // when the sweep closes it
  std::optional<TimePoint> last_interaction_at;
  std::string closed_reason;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> closed_at;
  std::string twilio_request = "{}";  // the Conversations create parameters, as JSON
  std::string conversation;           // the conversation as Twilio returned it, as JSON
  std::string voice_options = "{}";
  std::vector<ParticipantRecord> participants;
};

struct SessionPage {
  std::vector<SessionRecord> sessions;
  std::string next_token;  // "" on the last page
};

// A pending side effect at Twilio, retried until done.
struct OutboxItem {
  int64_t id = 0;
  std::string kind;     // "delete-conversation", "close-conversation", ...
  std::string payload;  // JSON
  int attempts = 0;
  TimePoint next_attempt_at;
  std::string last_error;
};

// One call leg of a session: the caller's inbound call, or a leg masked-comms or Twilio rang
// for it. Every call is an interaction of its session.
struct CallRecord {
  std::string call_sid;
  std::string session_id;
  std::string parent_call_sid;  // for legs: the caller's call
  std::string direction;        // "inbound" (a participant called) or "outbound" (a leg rung)
  std::string from_address;     // inbound: the caller; outbound: the proxy number shown
  std::string to_address;       // inbound: the proxy number dialled; outbound: the callee
  std::string kind;             // inbound: "dial" (one other party) or "conference"
  std::string conference;       // the room, for conference calls
  std::string status;           // Twilio's CallStatus, latest
  std::optional<int64_t> duration_seconds;
  std::string recording_sid;
  std::string recording_url;
  std::optional<int64_t> recording_duration;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> ended_at;
};

// One message of a session, as the message log keeps it (after the session closes too).
struct MessageRecord {
  int64_t id = 0;
  std::string session_id;
  std::string message_sid;        // Twilio's IM...; "" for a message that was blocked (never added)
  std::string author;             // the participant's address ("system": masked-comms' own notices)
  std::string author_proxy;       // the proxy number the author wrote to
  std::string recipients = "[]";  // JSON [{"address": ..., "proxyAddress": ...}]
  std::string body;               // "" once erased (MC_MESSAGE_RETENTION_DAYS)
  int media_count = 0;
  std::string media_types = "[]";  // JSON array of the media's content types
  std::string status;              // "sent", "blocked"
  std::string note;                // why it was blocked or changed ("redacted: phone")
  bool body_erased = false;
  TimePoint created_at;
};

struct MessagePage {
  std::vector<MessageRecord> messages;  // oldest first
  std::string next_token;               // "" on the last page
};

struct CallEvent {
  std::string status;
  TimePoint at;
};

// Whether a Twilio CallStatus is the end of the call.
bool is_final_call_status(const std::string& status);

// What an inbound call or message needs to know about a (participant, proxy) pair.
struct ActiveBinding {
  std::string session_id;
  std::string session_status;
  std::string mode;
  std::string address;
  std::string proxy_number;
};

// A live (open or in-progress) session as the call and message paths need it: what the
// in-memory index (live_session_index.h) keeps for each.
struct LiveSession {
  struct Member {
    std::string address;
    std::string proxy_number;
  };
  std::string id;
  std::string mode;
  std::string voice_options = "{}";
  std::vector<Member> members;  // its active participants
};

// One committed change to a session's bindings (its live status, mode, voice options or
// active participants). `seq` grows by one with every change, in commit order.
struct BindingChange {
  int64_t seq = 0;
  std::string session_id;
};

}  // namespace mc::store
