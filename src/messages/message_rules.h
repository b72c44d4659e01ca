// The content rules a message passes at the Conversations pre-event webhook, before
// Twilio delivers it: block by pattern or length, redact phone numbers and e-mail
// addresses (so nobody slips past the mask by typing a number). (Opt-out keywords are
// Twilio's: twilio/opt_out_keywords.h.) Compiled once; evaluate() is safe from many threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "messages/messages_config.h"

namespace re2 {
class RE2;
}

namespace mc::messages {

struct Verdict {
  enum class Action { kDeliver, kDeliverChanged, kBlock };
  Action action = Action::kDeliver;
  std::string body;    // kDeliverChanged: what is delivered instead
  std::string reason;  // kBlock: which rule; kDeliverChanged: what was redacted
};

class MessageRules {
 public:
  static Result<std::unique_ptr<MessageRules>> compile(const MessagesConfig& config);
  MessageRules();
  ~MessageRules();

  // What happens to `body`. Patterns are RE2's: linear time in the body whatever the
  // pattern (RE2 falls back from its DFA to an NFA rather than give up), so every rule is
  // always evaluated and none can hold the webhook past Twilio's limit.
  Verdict evaluate(const std::string& body) const;

 private:
  std::vector<std::unique_ptr<re2::RE2>> patterns_;
  size_t max_length_ = 0;
  bool redact_phone_ = false;
  bool redact_email_ = false;
};

}  // namespace mc::messages
