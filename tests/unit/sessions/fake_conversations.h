// An in-memory Conversations API for session-service tests, with switches for failures.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>

#include "twilio/conversations_api.h"

namespace mc::sessions::testing {

class FakeConversations final : public twilio::ConversationsApi {
 public:
  struct Conversation {
    std::string sid;
    std::string unique_name;
    std::string state = "active";
    std::vector<twilio::Binding> participants;
  };

  Result<Json::Value> create_conversation(const Params& params,
                                          const std::vector<twilio::Binding>& bindings,
                                          bool) override {
    if (before_create) before_create();  // outside the lock: it may call back into this fake
    std::lock_guard lock(mutex);
    ++creates;
    last_create = params;
    if (fail_create && !lose_create_answer) return *fail_create;
    const std::string unique(param_or(params, "UniqueName"));
    for (const auto& [sid, c] : conversations) {
      if (c.unique_name == unique)
        return Status::conflict("unique name taken", twilio::error::kUniqueNameTaken);
    }
    Conversation c{
        "CH" + std::string(32 - std::to_string(next_id).size(), '0') + std::to_string(next_id),
        unique, "active", bindings};
    ++next_id;
    conversations[c.sid] = c;
    if (fail_create) return *fail_create;  // made, but the answer was lost
    return json(c);
  }
  Result<Json::Value> fetch_conversation(const std::string& key) override {
    std::lock_guard lock(mutex);
    ++fetches;
    if (const Conversation* c = find(key)) return json(*c);
    return Status::not_found("no conversation", 20404);
  }
  Result<Json::Value> add_participant(const std::string& sid,
                                      const twilio::Binding& binding) override {
    std::lock_guard lock(mutex);
    ++adds;
    if (fail_adds_after && adds > *fail_adds_after)
      return Status::unavailable("Twilio: 503", 20503);
    Conversation* c = find(sid);
    if (!c) return Status::not_found("no conversation", 20404);
    c->participants.push_back(binding);
    Json::Value p(Json::objectValue);
    p["sid"] = "MB" + std::to_string(adds);
    return p;
  }
  Result<std::vector<Json::Value>> list_participants(const std::string& sid) override {
    std::lock_guard lock(mutex);
    Conversation* c = find(sid);
    if (!c) return Status::not_found("no conversation", 20404);
    std::vector<Json::Value> out;
    int index = 0;
    for (const twilio::Binding& b : c->participants) {
      Json::Value p(Json::objectValue);
      p["sid"] = "MB" + c->sid.substr(2, 8) + std::to_string(index++);
      p["messaging_binding"]["address"] = b.address;
      p["messaging_binding"]["proxy_address"] = b.proxy_address;
      p["attributes"] = b.attributes.empty() ? "{}" : b.attributes;
      out.push_back(p);
    }
    return out;
  }
  Status remove_participant(const std::string& sid, const std::string& participant) override {
    std::lock_guard lock(mutex);
    ++removes;
    if (fail_remove) return *fail_remove;
    Conversation* c = find(sid);
    if (!c) return Status::ok();
    // The SIDs list_participants shows.
    for (size_t i = 0; i < c->participants.size(); ++i) {
      if ("MB" + c->sid.substr(2, 8) + std::to_string(i) == participant) {
        c->participants.erase(c->participants.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    }
    return Status::ok();
  }
  Status delete_conversation(const std::string& key) override {
    std::lock_guard lock(mutex);
    ++deletes;
    if (fail_delete) return *fail_delete;
    if (Conversation* c = find(key)) conversations.erase(c->sid);
    return Status::ok();
  }
  Status close_conversation(const std::string& key) override {
    std::lock_guard lock(mutex);
    if (Conversation* c = find(key)) c->state = "closed";
    return Status::ok();
  }

  Conversation* find(const std::string& key) {
    for (auto& [sid, c] : conversations) {
      if (sid == key || c.unique_name == key) return &c;
    }
    return nullptr;
  }
  static Json::Value json(const Conversation& c) {
    Json::Value out(Json::objectValue);
    out["sid"] = c.sid;
    out["unique_name"] = c.unique_name;
    out["state"] = c.state;
    out["account_sid"] = "AC00000000000000000000000000000000";
    out["date_created"] = "2027-01-15T08:00:00Z";
    return out;
  }

  std::mutex mutex;
  std::map<std::string, Conversation> conversations;
  int next_id = 1;
  int creates = 0, adds = 0, deletes = 0, fetches = 0;
  Params last_create;
  std::optional<Status> fail_create;
  bool lose_create_answer = false;  // with fail_create: the conversation is made all the same
  std::optional<int> fail_adds_after;
  std::optional<Status> fail_delete;
  std::optional<Status> fail_remove;
  int removes = 0;
  std::function<void()> before_create;  // runs while a create is "on the wire"
};

}  // namespace mc::sessions::testing
