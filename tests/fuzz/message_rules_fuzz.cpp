// Message bodies at the pre-event webhook, through the content rules: no body crashes or
// stalls them, and redaction is complete: a redacted body has nothing left to redact.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "messages/message_rules.h"

namespace {

const mc::messages::MessageRules& redaction() {
  static const auto rules = [] {
    mc::messages::MessagesConfig config;
    config.redact_phone = true;
    config.redact_email = true;
    return std::move(mc::messages::MessageRules::compile(config)).value();
  }();
  return *rules;
}

const mc::messages::MessageRules& everything() {
  static const auto rules = [] {
    mc::messages::MessagesConfig config;
    config.redact_phone = true;
    config.redact_email = true;
    config.max_length = 1600;
    config.block_patterns = {"venmo", "(a+)+b", "(x|xx)+y", "\\bwire\\s+me\\b",
                             "[0-9]{3}-[0-9]{4}"};
    return std::move(mc::messages::MessageRules::compile(config)).value();
  }();
  return *rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  using Action = mc::messages::Verdict::Action;
  const mc::messages::Verdict verdict = redaction().evaluate(body);
  if (verdict.action == Action::kBlock) std::abort();  // no rule here blocks
  if (verdict.action == Action::kDeliverChanged) {
    if (verdict.body == body) std::abort();
    const mc::messages::Verdict again = redaction().evaluate(verdict.body);
    if (again.action != Action::kDeliver) std::abort();  // nothing left to redact
  }
  (void)everything().evaluate(body);
  return 0;
}
