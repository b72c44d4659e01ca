#include "model.h"

#include <algorithm>
#include <ostream>

namespace mc::sandbox {

bool WebhookConfig::has(const std::string& event) const {
  return std::find(filters.begin(), filters.end(), event) != filters.end();
}

std::string_view call_status_name(CallStatus status) {
  switch (status) {
    case CallStatus::kQueued:
      return "queued";
    case CallStatus::kRinging:
      return "ringing";
    case CallStatus::kInProgress:
      return "in-progress";
    case CallStatus::kCompleted:
      return "completed";
    case CallStatus::kBusy:
      return "busy";
    case CallStatus::kFailed:
      return "failed";
    case CallStatus::kNoAnswer:
      return "no-answer";
    case CallStatus::kCanceled:
      return "canceled";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, CallStatus status) {
  return out << call_status_name(status);
}

bool is_final(CallStatus status) {
  return status == CallStatus::kCompleted || status == CallStatus::kBusy ||
         status == CallStatus::kFailed || status == CallStatus::kNoAnswer ||
         status == CallStatus::kCanceled;
}

std::string TwimlNode::attribute(const std::string& key, const std::string& fallback) const {
  auto it = attributes.find(key);
  return it == attributes.end() ? fallback : it->second;
}

Conversation* State::find_conversation(const std::string& sid_or_unique_name) {
  auto it = conversation_by_sid.find(sid_or_unique_name);
  if (it == conversation_by_sid.end()) {
    it = conversation_by_unique_name.find(sid_or_unique_name);
    if (it == conversation_by_unique_name.end()) return nullptr;
  }
  auto conversation = conversations.find(it->second);
  return conversation == conversations.end() ? nullptr : &conversation->second;
}

PhoneNumber* State::find_number(const std::string& phone_number) {
  auto it = number_index.find(phone_number);
  return it == number_index.end() ? nullptr : &numbers[it->second];
}

void State::index_numbers() {
  number_index.clear();
  for (size_t i = 0; i < numbers.size(); ++i) {
    number_index[numbers[i].phone_number] = i;
    number_index[numbers[i].sid] = i;
  }
}

Call* State::find_call(const std::string& sid) {
  auto it = calls.find(sid);
  return it == calls.end() ? nullptr : &it->second;
}

std::string pair_key(const std::string& address, const std::string& proxy_address) {
  return address + '\x1f' + proxy_address;
}

}  // namespace mc::sandbox
