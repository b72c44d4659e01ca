// Settings of the message log and the content rules, read from the environment:
//   MC_MESSAGE_RETENTION_DAYS       bodies older than this are erased by the background sweep
//                                   (the rest of each message is kept); 0 keeps them (default)
//   MC_MESSAGE_BLOCK_PATTERNS       a JSON array of regular expressions (RE2 syntax: Perl's
//                                   without backreferences or lookaround; case-insensitive):
//                                   a message matching any is not delivered
//   MC_MESSAGE_MAX_LENGTH           a message longer than this (in characters) is not
//                                   delivered; 0: no limit (default)
//   MC_MESSAGE_REDACT               phone,email: phone numbers and e-mail addresses inside
//                                   bodies are replaced by [phone removed] / [email removed]
//   MC_MESSAGE_BLOCKED_NOTICE       what the sender of a blocked message is told, once per
//                                   message (default: "Your message was not delivered: ...")
//   MC_MESSAGE_DELETE_AT_TWILIO     true: each message is deleted at Twilio (the log keeps it)
//                                   MC_MESSAGE_DELETE_AFTER_MS after it was added (default
//                                   60000: by then Twilio has handed it to the carriers;
//                                   delivery receipts are not waited for), in the background
//   OUT_OF_SESSION_MESSAGE_FOR_SMS  the reply to a text from someone with no session on
//                                   that number (unset: no reply)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"

namespace mc::messages {

struct MessagesConfig {
  std::optional<std::chrono::hours> retention;  // nullopt: keep bodies
  std::vector<std::string> block_patterns;
  size_t max_length = 0;
  bool redact_phone = false;
  bool redact_email = false;
  std::string blocked_notice =
      "Your message was not delivered: it breaks this service's content rules.";
  std::string out_of_session_reply;
  bool delete_at_twilio = false;
  std::chrono::milliseconds delete_after{60000};
};

// Errors name the variable (a pattern that is not a valid regular expression too).
Result<MessagesConfig> load_messages_config(const Environment& env);

}  // namespace mc::messages
