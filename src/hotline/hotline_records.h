// What the hotline keeps in the ledger (store/sqlite/migrations.cpp, version 7;
// store/postgres/migrations.cpp, version 3): hotlines and their members, each call with its
// members' legs, and text threads with their messages. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time_format.h"

namespace mc::hotline {

// A hotline call's status: ringing until exactly one of these ends it (hotline_calls.h).
namespace call_status {
inline constexpr const char* kRinging = "ringing";
inline constexpr const char* kConnected = "connected";  // a member took it
inline constexpr const char* kCompleted = "completed";  // connected, then ended
inline constexpr const char* kNoAnswer = "no-answer";   // nobody took it; the no-answer path ran
inline constexpr const char* kVoicemail = "voicemail";  // nobody took it; a message was left
inline constexpr const char* kAbandoned = "abandoned";  // the caller hung up while it rang
}  // namespace call_status

struct Member {
  std::string address;  // E.164
  std::string name;
  bool paused = false;
  TimePoint created_at{};
};

struct HotlineRecord {
  std::string id;
  std::string number;  // the pool number it holds, set aside
  std::string name;
  std::string settings;  // JSON text (hotline_settings.h in the module reads it)
  TimePoint created_at{};
  TimePoint updated_at{};
  std::vector<Member> members;  // in the order they were added
};

struct Leg {
  std::string leg_sid;  // CA... of the member's call
  std::string call_sid;
  std::string address;
  std::string status;  // Twilio's call status, or "answered" / "machine" as the module saw it
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct HotlineCall {
  std::string call_sid;  // the caller's CA...
  std::string hotline_id;
  std::string caller;
  std::string status = call_status::kRinging;
  std::string winner_leg;               // the leg that took it
  std::string winner;                   // that member's address
  std::optional<int64_t> legs_created;  // set once every leg was asked of Twilio
  TimePoint ring_deadline{};            // after this a ringing call gets the no-answer path
  TimePoint created_at{};
  std::optional<TimePoint> answered_at;
  std::optional<TimePoint> ended_at;
  std::optional<int64_t> duration_seconds;
  std::optional<std::string> recording_sid;
  std::optional<std::string> recording_url;
  std::optional<int64_t> recording_duration;
  std::vector<Leg> legs;
};

namespace thread_status {
inline constexpr const char* kOpen = "open";        // offered to every available member
inline constexpr const char* kClaimed = "claimed";  // one member answers it
inline constexpr const char* kClosed =
    "closed";  // idle too long; the texter's next text opens another
}  // namespace thread_status

struct ThreadMessage {
  int64_t id = 0;
  int64_t thread_id = 0;
  std::string direction;  // "in" (texter), "out" (member's reply), "notice" (ours)
  std::string author;     // who wrote it: the texter, the member, or "system"
  std::string body;
  TimePoint created_at{};
  std::string delivery;  // an "out" message's last delivery status from Twilio
};

struct TextThread {
  int64_t id = 0;
  std::string hotline_id;
  std::string texter;
  std::string status = thread_status::kOpen;
  std::string claimed_by;  // the member's address; empty while open
  TimePoint created_at{};
  std::optional<TimePoint> claimed_at;
  TimePoint last_message_at{};
  std::vector<ThreadMessage> messages;  // filled by TextThreadLedger::list only
};

// The short label members see and start replies with: "#" and the thread's id in base 36
// ("#1", "#2Z"); thread_id_of_label reads one back (nullopt when `text` is not a label).
std::string thread_label(int64_t thread_id);
std::optional<int64_t> thread_id_of_label(std::string_view text);
// A member's reply: "#2Z on my way" -> (thread 107, "on my way"); a reply that does not
// start with a label -> (nullopt, the whole reply).
std::pair<std::optional<int64_t>, std::string> split_thread_label(const std::string& reply);

// A text masked-comms sends: queued in the outbox with the work that caused it.
struct OutgoingText {
  std::string from;
  std::string to;
  std::string body;
  std::string status_callback = "";  // where Twilio reports its delivery (none when empty)
};

}  // namespace mc::hotline
