// The sandbox's state: what Twilio would hold for one account (conversations, calls, phone
// numbers, webhook configuration) and what the phone network saw (per-phone transcripts).
// Plain data; the Sandbox guards it with one mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/time_format.h"

namespace mc::sandbox {

struct Binding {
  std::string type = "sms";
  std::string address;
  std::string proxy_address;      // empty when none
  std::string projected_address;  // group MMS only
};

struct Participant {
  std::string sid;  // MB...
  std::optional<std::string> identity;
  std::optional<Binding> binding;
  std::string attributes = "{}";
  std::optional<std::string> role_sid;
  TimePoint date_created;
  TimePoint date_updated;
};

struct Message {
  std::string sid;  // IM...
  int64_t index = 0;
  std::string author;
  std::string body;
  std::string attributes = "{}";
  std::string participant_sid;
  TimePoint date_created;
};

struct Conversation {
  uint64_t sequence = 0;  // creation order, for listing
  std::string sid;        // CH...
  std::optional<std::string> unique_name;
  std::optional<std::string> friendly_name;
  std::string attributes = "{}";
  std::string messaging_service_sid;
  std::string chat_service_sid;
  std::string state = "active";  // active | inactive | closed
  TimePoint date_created;
  TimePoint date_updated;
  std::optional<std::chrono::seconds> timer_inactive;
  std::optional<std::chrono::seconds> timer_closed;
  std::optional<TimePoint> date_inactive;  // when the inactive timer fires
  std::optional<TimePoint> date_closed;    // when the closed timer fires
  std::vector<Participant> participants;
  std::vector<Message> messages;
};

// Conversations webhook configuration (account-level or service-level).
struct WebhookConfig {
  std::string method = "POST";
  std::vector<std::string> filters;
  std::string pre_webhook_url;
  std::string post_webhook_url;
  std::string target = "webhook";
  bool has(const std::string& event) const;
};

struct PhoneNumber {
  std::string sid;  // PN...
  std::string phone_number;
  std::string friendly_name;
  std::string voice_url;
  std::string voice_method = "POST";
  std::string sms_url;
  std::string sms_method = "POST";
  std::string status_callback;
  std::string status_callback_method = "POST";
  // A sender of the account's Messaging Service (every number starts as one; the
  // service's PhoneNumbers endpoints add and remove it).
  bool in_messaging_service = true;
  TimePoint date_created;
  TimePoint date_updated;
};

enum class CallStatus {
  kQueued,
  kRinging,
  kInProgress,
  kCompleted,
  kBusy,
  kFailed,
  kNoAnswer,
  kCanceled
};
std::string_view call_status_name(CallStatus status);
std::ostream& operator<<(std::ostream& out, CallStatus status);
bool is_final(CallStatus status);

// How a phone answers when it rings.
struct PhoneBehaviour {
  std::string answer = "human";  // human | machine | no-answer | busy | fail | manual
  std::chrono::milliseconds delay{0};
  // Keys a person presses when a <Gather> plays to them (a machine never presses any).
  std::string digits;
  // How long a message they leave at a <Record> lasts; 0 is silence (no recording).
  int record_seconds = 5;
};

// One parsed TwiML element.
struct TwimlNode {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  std::vector<TwimlNode> children;
  std::string attribute(const std::string& key, const std::string& fallback = "") const;
};

struct Call {
  std::string sid;  // CA...
  std::string parent_sid;
  std::string from;
  std::string to;
  std::string direction;  // inbound | outbound-api | outbound-dial
  CallStatus status = CallStatus::kQueued;
  // The phone on the network side of this leg: the caller of an inbound call, the callee of
  // an outbound one.
  std::string phone;
  // Where the TwiML comes from once answered (outbound-api): a URL or inline TwiML.
  std::string url;
  std::string method = "POST";
  std::string twiml;
  std::string status_callback;
  std::string status_callback_method = "POST";
  std::set<std::string> status_callback_events;  // initiated ringing answered completed
  int sequence_number = 0;
  int timeout_seconds = 60;
  int time_limit_seconds = 0;
  std::string machine_detection;
  std::string answered_by;
  TimePoint date_created;
  TimePoint date_updated;
  std::optional<TimePoint> start_time;  // when answered
  std::optional<TimePoint> end_time;
  // Playback: the document being played, the verbs still to run, and what the leg is doing.
  std::string document_url;  // relative action and redirect URLs resolve against it
  std::vector<TwimlNode> verbs;
  size_t next_verb = 0;
  std::string conference;  // room this leg is in
  bool end_conference_on_exit = false;
  std::vector<std::string> dial_children;  // legs rung by the current <Dial><Number>
  TwimlNode dial;                          // the <Dial> being executed
  std::string bridged_with;                // the leg this one is talking to
  bool recorded = false;                   // <Dial record="..."> on this bridge
  uint64_t generation = 0;                 // bumps when a scheduled event becomes stale
};

struct Conference {
  std::string sid;  // CF...
  std::string name;
  std::string status = "init";            // init | in-progress | completed
  std::vector<std::string> participants;  // call SIDs, in joining order
  std::vector<std::string> ever_joined;
  TimePoint date_created;
};

// What one phone on the network experienced.
struct PhoneLog {
  struct Sms {
    std::string from;
    std::string to;
    std::string body;
    TimePoint date;
  };
  struct Announcement {
    std::string call_sid;
    std::string text;
    std::string voice;
    std::string language;
  };
  struct ConferenceJoin {
    std::string call_sid;
    std::string name;
  };
  std::vector<Sms> received;
  std::vector<Sms> sent;
  std::vector<std::string> call_sids;  // every leg this phone was on, in order
  struct KeysPressed {
    std::string call_sid;
    std::string digits;
  };
  struct Recording {
    std::string call_sid;
    std::string recording_sid;
    int seconds = 0;
  };
  std::vector<Announcement> announcements;
  std::vector<ConferenceJoin> conferences;
  std::vector<KeysPressed> keys_pressed;
  std::vector<Recording> recordings;  // messages this phone left at a <Record>
};

struct WebhookRecord {
  std::string kind;  // onMessageAdded, voice, status-callback, ...
  std::string url;
  std::string method;
  int status = 0;  // 0 when the request failed
  std::string error;
  TimePoint date;
  std::map<std::string, std::string> params;
};

struct State {
  std::string account_sid;
  std::string chat_service_sid;       // the default conversation service
  std::string messaging_service_sid;  // the default messaging service
  std::string messaging_service_name = "Sandbox Messaging Service";
  uint64_t next_sequence = 1;

  std::map<uint64_t, Conversation> conversations;  // by sequence
  std::unordered_map<std::string, uint64_t> conversation_by_sid;
  std::unordered_map<std::string, uint64_t> conversation_by_unique_name;
  // (address, proxy address) of a participant of a non-closed conversation -> conversation.
  std::unordered_map<std::string, uint64_t> active_pairs;
  // address -> conversations it belongs to (any state).
  std::unordered_multimap<std::string, uint64_t> conversations_by_address;
  std::multimap<TimePoint, uint64_t> timer_queue;  // lazily checked against the conversation

  WebhookConfig account_webhooks;
  WebhookConfig service_webhooks;

  std::vector<PhoneNumber> numbers;
  std::unordered_map<std::string, size_t> number_index;  // phone number and PN sid -> index
  std::map<std::string, Call> calls;                     // by SID
  std::vector<std::string> call_order;
  std::map<std::string, Conference> conferences;  // by name
  std::map<std::string, PhoneLog> phones;         // by phone number
  // (phone, pool number) pairs whose phone texted STOP to the number (START undoes it):
  // nothing is delivered on them, and Messages.json refuses them with 21610.
  std::set<std::pair<std::string, std::string>> opted_out;
  std::map<std::string, PhoneBehaviour> behaviours;

  std::vector<WebhookRecord> webhook_log;

  // What Twilio's debugger would show: calls that failed on our side's TwiML.
  struct Alert {
    std::string call_sid;
    std::string message;
    TimePoint date;
  };
  std::vector<Alert> alerts;

  Conversation* find_conversation(const std::string& sid_or_unique_name);
  // By E.164 number or PN SID.
  PhoneNumber* find_number(const std::string& phone_number);
  // Rebuilds number_index after `numbers` changed.
  void index_numbers();
  Call* find_call(const std::string& sid);
};

std::string pair_key(const std::string& address, const std::string& proxy_address);

}  // namespace mc::sandbox
