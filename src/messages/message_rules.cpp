#include "messages/message_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "core/utf8.h"

namespace mc::messages {
namespace {

bool is_phone_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '(' || c == ')' ||
         c == '.' || c == '-' || c == '+';
}
bool is_local_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}
bool is_domain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

// Hand-written scanners rather than regular expressions: one pass each, whatever the body
// (a backtracking engine on a 100 KB body of letters is quadratic).
//
// Phone numbers in any shape: a run of digits and separators (space ( ) . - +) that begins
// with a digit, + or "(" and a digit, ends with a digit and holds 7 or more digits. (Dates
// and other long digit runs are removed too: the mask errs on the side of removing.)
std::string redact_phones(const std::string& body, bool* changed) {
  std::string out;
  size_t i = 0;
  while (i < body.size()) {
    const bool opens = body[i] == '(' && i + 1 < body.size() &&
                       std::isdigit(static_cast<unsigned char>(body[i + 1]));
    if (!std::isdigit(static_cast<unsigned char>(body[i])) && body[i] != '+' && !opens) {
      out.push_back(body[i++]);
      continue;
    }
    size_t end = i;
    size_t last_digit = std::string::npos;
    size_t digits = 0;
    while (end < body.size() && is_phone_char(body[end])) {
      if (std::isdigit(static_cast<unsigned char>(body[end]))) {
        ++digits;
        last_digit = end;
      }
      ++end;
    }
    if (digits >= 7 && last_digit != std::string::npos) {
      out += "[phone removed]";
      *changed = true;
      i = last_digit + 1;
    } else {
      out.append(body, i, end - i);
      i = end;
    }
  }
  return out;
}

// E-mail addresses: local-part characters, '@', a domain with a dot and a final label of
// two or more letters. No length limits (an address as long as the text around it goes):
// a limit would leave a shorter address behind for a second pass (message_rules_fuzz), and
// neither scan can pass an '@', so each character is read at most twice.
std::string redact_emails(const std::string& body, bool* changed) {
  std::string out;
  size_t copied = 0;
  size_t at = body.find('@');
  while (at != std::string::npos) {
    size_t begin = at;
    while (begin > copied && is_local_char(body[begin - 1])) --begin;
    size_t end = at + 1;
    while (end < body.size() && is_domain_char(body[end])) ++end;
    while (end > at + 1 && (body[end - 1] == '.' || body[end - 1] == '-')) --end;
    const std::string domain = body.substr(at + 1, end - at - 1);
    const size_t dot = domain.rfind('.');
    size_t letters = 0;
    if (dot != std::string::npos) {
      for (size_t k = dot + 1; k < domain.size(); ++k) {
        letters += std::isalpha(static_cast<unsigned char>(domain[k])) ? 1 : 0;
      }
    }
    const bool address = begin < at && dot != std::string::npos && dot > 0 && letters >= 2 &&
                         letters == domain.size() - dot - 1;
    if (address) {
      out.append(body, copied, begin - copied);
      out += "[email removed]";
      copied = end;
      *changed = true;
    }
    at = body.find('@', std::max(at + 1, copied));
  }
  out.append(body, copied, std::string::npos);
  return out;
}

}  // namespace

MessageRules::MessageRules() = default;
MessageRules::~MessageRules() = default;

Result<std::unique_ptr<MessageRules>> MessageRules::compile(const MessagesConfig& config) {
  auto rules = std::make_unique<MessageRules>();
  for (const std::string& source : config.block_patterns) {
    re2::RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    auto pattern = std::make_unique<re2::RE2>(source, options);
    if (!pattern->ok()) {
      return Status::invalid_argument("MC_MESSAGE_BLOCK_PATTERNS: '" + source +
                                      "' is not a valid pattern (RE2 syntax): " + pattern->error());
    }
    rules->patterns_.push_back(std::move(pattern));
  }
  rules->max_length_ = config.max_length;
  rules->redact_phone_ = config.redact_phone;
  rules->redact_email_ = config.redact_email;
  return rules;
}

Verdict MessageRules::evaluate(const std::string& body) const {
  Verdict verdict;
  if (max_length_ > 0) {
    if (utf8_length(body) > max_length_) {  // characters, not bytes
      verdict.action = Verdict::Action::kBlock;
      verdict.reason = "longer than " + std::to_string(max_length_) + " characters";
      return verdict;
    }
  }
  for (const auto& pattern : patterns_) {
    if (re2::RE2::PartialMatch(body, *pattern)) {
      verdict.action = Verdict::Action::kBlock;
      verdict.reason = "matches a blocked pattern (" + pattern->pattern() + ")";
      return verdict;
    }
  }
  std::string out = body;
  std::vector<std::string> redacted;
  // Phones first: a number glued to a domain ("mail.example12 555 0100") would otherwise
  // leave an address behind once it is gone (found by message_rules_fuzz).
  bool changed = false;
  if (redact_phone_) {
    out = redact_phones(out, &changed);
    if (changed) redacted.push_back("phone");
  }
  changed = false;
  if (redact_email_) {
    out = redact_emails(out, &changed);
    if (changed) redacted.push_back("email");
  }
  if (!redacted.empty()) {
    verdict.action = Verdict::Action::kDeliverChanged;
    verdict.body = out;
    verdict.reason = "redacted:";
    for (const std::string& what : redacted) verdict.reason += " " + what;
  }
  return verdict;
}

}  // namespace mc::messages
