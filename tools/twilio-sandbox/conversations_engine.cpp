#include "conversations_engine.h"

#include <algorithm>

#include "core/response.h"
#include "core/time_format.h"

namespace mc::sandbox {
namespace {

const std::vector<std::string> kStates = {"active", "inactive", "closed"};

bool is_pre_event(const std::string& event) {
  return event == "onMessageAdd" || event == "onMessageUpdate" || event == "onMessageRemove" ||
         event == "onConversationAdd" || event == "onConversationUpdate" ||
         event == "onConversationRemove" || event == "onParticipantAdd" ||
         event == "onParticipantUpdate" || event == "onParticipantRemove" ||
         event == "onUserUpdate";
}

std::string strip_channel(const std::string& address) {
  const size_t colon = address.find(':');
  return colon == std::string::npos ? address : address.substr(colon + 1);
}

bool is_valid_json(const std::string& text) {
  Json::Value ignored;
  std::string error;
  return parse_json_text(text, &ignored, &error);
}

// Parses an optional timer parameter into `out`; leaves `out` alone when the parameter is
// absent, and rejects a value that is not an ISO 8601 duration of at least `minimum`.
Status read_timer(const std::string* value, std::chrono::seconds minimum, const char* problem,
                  std::optional<std::chrono::seconds>& out) {
  if (!value) return Status::ok();
  auto duration = parse_iso8601_duration(*value);
  if (!duration || *duration < minimum) {
    return Status::invalid_argument(problem, code::kInvalidTimer);
  }
  out = *duration;
  return Status::ok();
}

}  // namespace

bool is_valid_address(const std::string& address) {
  const std::string number = strip_channel(address);
  if (number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
    return false;
  }
  return std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Conversation& ConversationsEngine::store(Conversation conversation) {
  conversation.sequence = state_.next_sequence++;
  const uint64_t sequence = conversation.sequence;
  state_.conversation_by_sid[conversation.sid] = sequence;
  if (conversation.unique_name) {
    state_.conversation_by_unique_name[*conversation.unique_name] = sequence;
  }
  return state_.conversations.emplace(sequence, std::move(conversation)).first->second;
}

Conversation& ConversationsEngine::insert(Conversation conversation) {
  Conversation& stored = store(std::move(conversation));
  restart_timers(stored);
  return stored;
}

Status ConversationsEngine::apply_conversation_params(Conversation& c, const Params& params,
                                                      bool creating) {
  if (const std::string* name = find_param(params, "FriendlyName")) {
    if (name->size() > 256) {
      return Status::invalid_argument("FriendlyName is longer than 256 characters",
                                      code::kInvalidParameter);
    }
    c.friendly_name = *name;
  }
  if (const std::string* unique = find_param(params, "UniqueName")) {
    if (is_sid(*unique, "CH")) {
      return Status::invalid_argument("UniqueName must not look like a Conversation SID",
                                      code::kUniqueNameLooksLikeSid);
    }
    auto existing = state_.conversation_by_unique_name.find(*unique);
    if (existing != state_.conversation_by_unique_name.end() && existing->second != c.sequence) {
      return Status::conflict("A conversation with unique name '" + *unique + "' already exists",
                              code::kUniqueNameTaken);
    }
    c.unique_name = *unique;
  }
  if (const std::string* attributes = find_param(params, "Attributes")) {
    if (!is_valid_json(*attributes)) {
      return Status::invalid_argument("Attributes must be valid JSON", code::kInvalidParameter);
    }
    c.attributes = *attributes;
  }
  if (const std::string* service = find_param(params, "MessagingServiceSid")) {
    if (!is_sid(*service, "MG")) {
      return Status::invalid_argument("Invalid MessagingServiceSid", code::kInvalidParameter);
    }
    c.messaging_service_sid = *service;
  }
  const std::string* state = find_param(params, "State");
  if (state && std::find(kStates.begin(), kStates.end(), *state) == kStates.end()) {
    return Status::invalid_argument("Invalid State '" + *state + "'", code::kInvalidParameter);
  }
  const std::string* inactive = find_param(params, "Timers.Inactive");
  const std::string* closed = find_param(params, "Timers.Closed");
  if ((inactive || closed) && creating && !state) {
    return Status::invalid_argument("Timer can't be set without state", code::kTimerWithoutState);
  }
  if (Status s = read_timer(inactive, std::chrono::minutes(1),
                            "Timers.Inactive must be an ISO 8601 duration of at least 1 minute",
                            c.timer_inactive);
      !s) {
    return s;
  }
  if (Status s = read_timer(closed, std::chrono::minutes(10),
                            "Timers.Closed must be an ISO 8601 duration of at least 10 minutes",
                            c.timer_closed);
      !s) {
    return s;
  }
  if (creating && state) c.state = *state;
  return Status::ok();
}

Result<Conversation> ConversationsEngine::new_conversation(const Params& params) {
  Conversation c;
  c.sid = sids_.next("CH");
  c.chat_service_sid = state_.chat_service_sid;
  c.messaging_service_sid = state_.messaging_service_sid;
  c.date_created = c.date_updated = clock_.now();
  if (Status s = apply_conversation_params(c, params, true); !s) return s;
  return c;
}

Result<Conversation*> ConversationsEngine::create(const Params& params, bool webhooks_enabled,
                                                  Webhooks& out) {
  auto made = new_conversation(params);
  if (!made) return made.status();
  Conversation c = std::move(made).value();
  Conversation& stored = insert(std::move(c));
  if (webhooks_enabled) emit(stored, "onConversationAdded", conversation_params(stored), out);
  return &stored;
}

Result<ParticipantSpec> ConversationsEngine::participant_from_params(const Params& params) {
  ParticipantSpec spec;
  if (const std::string* identity = find_param(params, "Identity")) spec.identity = *identity;
  spec.address = std::string(param_or(params, "MessagingBinding.Address"));
  spec.proxy_address = std::string(param_or(params, "MessagingBinding.ProxyAddress"));
  spec.projected_address = std::string(param_or(params, "MessagingBinding.ProjectedAddress"));
  if (const std::string* attributes = find_param(params, "Attributes")) {
    if (!is_valid_json(*attributes)) {
      return Status::invalid_argument("Attributes must be valid JSON", code::kInvalidParameter);
    }
    spec.attributes = *attributes;
  }
  if (const std::string* role = find_param(params, "RoleSid")) spec.role_sid = *role;
  return spec;
}

Result<ParticipantSpec> ConversationsEngine::participant_from_json(const std::string& json_text) {
  Json::Value value;
  std::string error;
  if (!parse_json_text(json_text, &value, &error) || !value.isObject()) {
    return Status::invalid_argument("Participant must be a JSON object: " + json_text,
                                    code::kInvalidParameter);
  }
  ParticipantSpec spec;
  auto text = [](const Json::Value& v) { return v.isString() ? v.asString() : std::string(); };
  if (value.isMember("identity")) spec.identity = text(value["identity"]);
  const Json::Value& binding = value["messaging_binding"];
  if (binding.isObject()) {
    spec.address = text(binding["address"]);
    spec.proxy_address = text(binding["proxy_address"]);
    spec.projected_address = text(binding["projected_address"]);
  }
  // The flat form the Participants resource uses is accepted as well.
  if (value.isMember("MessagingBinding.Address"))
    spec.address = text(value["MessagingBinding.Address"]);
  if (value.isMember("MessagingBinding.ProxyAddress")) {
    spec.proxy_address = text(value["MessagingBinding.ProxyAddress"]);
  }
  if (value.isMember("attributes")) {
    spec.attributes = value["attributes"].isString() ? value["attributes"].asString()
                                                     : to_json_text(value["attributes"]);
  }
  if (value.isMember("role_sid")) spec.role_sid = text(value["role_sid"]);
  return spec;
}

Status ConversationsEngine::check_participant(const Conversation& c, const ParticipantSpec& spec,
                                              int conflict_code) const {
  if (c.state == "closed") {
    return Status::invalid_argument("Conversation " + c.sid + " is in the final closed state",
                                    code::kClosed);
  }
  const bool has_binding = !spec.address.empty() || !spec.proxy_address.empty();
  if (spec.identity && has_binding) {
    return Status::invalid_argument("Identity and MessagingBinding.Address are mutually exclusive",
                                    code::kInvalidParameter);
  }
  if (spec.identity) {
    for (const Participant& p : c.participants) {
      if (p.identity && *p.identity == *spec.identity) {
        return Status::conflict("Participant with identity '" + *spec.identity + "' already exists",
                                code::kIdentityExists);
      }
    }
    return Status::ok();
  }
  if (!is_valid_address(spec.address)) {
    return Status::invalid_argument("Invalid MessagingBinding.Address '" + spec.address + "'",
                                    code::kInvalidAddress);
  }
  if (!spec.proxy_address.empty()) {
    if (!is_valid_address(spec.proxy_address) ||
        !state_.number_index.count(strip_channel(spec.proxy_address))) {
      return Status::invalid_argument("Invalid MessagingBinding.ProxyAddress '" +
                                          spec.proxy_address +
                                          "': not a phone number of this account",
                                      code::kInvalidProxyAddress);
    }
    if (spec.proxy_address == spec.address) {
      return Status::invalid_argument("MessagingBinding.Address equals its ProxyAddress",
                                      code::kAddressIsProxy);
    }
  }
  size_t non_chat = 0;
  for (const Participant& p : c.participants) {
    if (!p.binding) continue;
    ++non_chat;
    if (p.binding->address == spec.address) {
      return Status::conflict(
          "A participant with address " + spec.address + " already exists in this conversation",
          code::kParticipantExists);
    }
  }
  if (non_chat >= kMaxNonChatParticipants) {
    return Status::invalid_argument("Participant limit of 50 reached for conversation " + c.sid,
                                    code::kTooManyParticipants);
  }
  if (!spec.proxy_address.empty() &&
      state_.active_pairs.count(pair_key(spec.address, spec.proxy_address))) {
    return Status::conflict("Participant and proxy address pair is already in use: " +
                                spec.address + " / " + spec.proxy_address,
                            conflict_code);
  }
  return Status::ok();
}

Participant ConversationsEngine::make_participant(const ParticipantSpec& spec) const {
  Participant p;
  p.sid = sids_.next("MB");
  p.identity = spec.identity;
  if (!spec.identity) {
    Binding binding;
    binding.type = spec.address.rfind("whatsapp:", 0) == 0 ? "whatsapp" : "sms";
    binding.address = spec.address;
    binding.proxy_address = spec.proxy_address;
    binding.projected_address = spec.projected_address;
    p.binding = binding;
  }
  p.attributes = spec.attributes;
  p.role_sid = spec.role_sid;
  p.date_created = p.date_updated = clock_.now();
  return p;
}

void ConversationsEngine::index_participant(const Conversation& c, const Participant& p) {
  if (!p.binding) return;
  state_.conversations_by_address.emplace(p.binding->address, c.sequence);
  if (c.state != "closed" && !p.binding->proxy_address.empty()) {
    state_.active_pairs[pair_key(p.binding->address, p.binding->proxy_address)] = c.sequence;
  }
}

void ConversationsEngine::unindex_pairs(const Conversation& c) {
  for (const Participant& p : c.participants) {
    if (!p.binding || p.binding->proxy_address.empty()) continue;
    auto it = state_.active_pairs.find(pair_key(p.binding->address, p.binding->proxy_address));
    if (it != state_.active_pairs.end() && it->second == c.sequence) state_.active_pairs.erase(it);
  }
}

Result<Participant*> ConversationsEngine::add_participant(Conversation& c,
                                                          const ParticipantSpec& spec,
                                                          bool webhooks_enabled, Webhooks& out) {
  if (Status s = check_participant(c, spec, code::kPairInUse); !s) return s;
  c.participants.push_back(make_participant(spec));
  Participant& p = c.participants.back();
  index_participant(c, p);
  c.date_updated = clock_.now();
  if (webhooks_enabled) emit(c, "onParticipantAdded", participant_params(p), out);
  return &p;
}

Result<Conversation*> ConversationsEngine::create_with_participants(const Params& params,
                                                                    bool webhooks_enabled,
                                                                    Webhooks& out) {
  const std::vector<std::string> raw = all_params(params, "Participant");
  if (raw.size() > kMaxParticipantsPerCreate) {
    return Status::invalid_argument("At most 10 participants can be added in a single request",
                                    code::kTooManyParticipants);
  }
  std::vector<ParticipantSpec> specs;
  for (const std::string& text : raw) {
    auto spec = participant_from_json(text);
    if (!spec) return spec.status();
    specs.push_back(std::move(spec).value());
  }
  // Validate everything against a scratch conversation before anything is stored.
  auto made = new_conversation(params);
  if (!made) return made.status();
  Conversation c = std::move(made).value();
  for (const ParticipantSpec& spec : specs) {
    if (Status s = check_participant(c, spec, code::kPairInUseMulti); !s) return s;
    c.participants.push_back(make_participant(spec));  // later specs are checked against it
  }
  Conversation& stored = insert(std::move(c));
  for (const Participant& p : stored.participants) index_participant(stored, p);
  if (webhooks_enabled) {
    emit(stored, "onConversationAdded", conversation_params(stored), out);
    for (const Participant& p : stored.participants) {
      emit(stored, "onParticipantAdded", participant_params(p), out);
    }
  }
  return &stored;
}

Status ConversationsEngine::update(Conversation& c, const Params& params, bool webhooks_enabled,
                                   Webhooks& out) {
  if (c.state == "closed") {
    return Status::invalid_argument("Conversation " + c.sid + " is in the final closed state",
                                    code::kClosed);
  }
  // A first pass on a blank draft (same sequence, for the unique-name check) validates every
  // parameter, so a rejected update changes nothing; the second pass then cannot fail.
  Conversation draft;
  draft.sequence = c.sequence;
  if (Status s = apply_conversation_params(draft, params, false); !s) return s;
  if (draft.unique_name && draft.unique_name != c.unique_name) {
    if (c.unique_name) state_.conversation_by_unique_name.erase(*c.unique_name);
    state_.conversation_by_unique_name[*draft.unique_name] = c.sequence;
  }
  const std::string old_state = c.state;
  apply_conversation_params(c, params, false);
  c.date_updated = clock_.now();
  if (const std::string* state = find_param(params, "State"); state && *state != old_state) {
    change_state(c, *state, "API", webhooks_enabled, out);
  } else if (find_param(params, "Timers.Inactive") || find_param(params, "Timers.Closed")) {
    restart_timers(c);
  }
  if (webhooks_enabled) emit(c, "onConversationUpdated", conversation_params(c), out);
  return Status::ok();
}

Status ConversationsEngine::remove(const std::string& sid_or_unique_name, bool webhooks_enabled,
                                   Webhooks& out) {
  Conversation* c = state_.find_conversation(sid_or_unique_name);
  if (!c) {
    return Status::not_found(
        "The requested resource /Conversations/" + sid_or_unique_name + " was not found",
        code::kNotFound);
  }
  if (webhooks_enabled) emit(*c, "onConversationRemoved", conversation_params(*c), out);
  unindex_pairs(*c);
  for (const Participant& p : c->participants) {
    if (!p.binding) continue;
    auto [begin, end] = state_.conversations_by_address.equal_range(p.binding->address);
    for (auto it = begin; it != end; ++it) {
      if (it->second == c->sequence) {
        state_.conversations_by_address.erase(it);
        break;
      }
    }
  }
  state_.conversation_by_sid.erase(c->sid);
  if (c->unique_name) state_.conversation_by_unique_name.erase(*c->unique_name);
  state_.conversations.erase(c->sequence);
  return Status::ok();
}

Participant* ConversationsEngine::find_participant(Conversation& c, const std::string& key) {
  for (Participant& p : c.participants) {
    if (p.sid == key || (p.identity && *p.identity == key)) return &p;
  }
  return nullptr;
}

Status ConversationsEngine::remove_participant(Conversation& c, const std::string& participant_sid,
                                               bool webhooks_enabled, Webhooks& out) {
  auto it = std::find_if(c.participants.begin(), c.participants.end(),
                         [&](const Participant& p) { return p.sid == participant_sid; });
  if (it == c.participants.end()) {
    return Status::not_found("Participant " + participant_sid + " not found",
                             code::kParticipantNotFound);
  }
  if (it->binding) {
    auto pair =
        state_.active_pairs.find(pair_key(it->binding->address, it->binding->proxy_address));
    if (pair != state_.active_pairs.end() && pair->second == c.sequence)
      state_.active_pairs.erase(pair);
    auto [begin, end] = state_.conversations_by_address.equal_range(it->binding->address);
    for (auto index = begin; index != end; ++index) {
      if (index->second == c.sequence) {
        state_.conversations_by_address.erase(index);
        break;
      }
    }
  }
  if (webhooks_enabled) emit(c, "onParticipantRemoved", participant_params(*it), out);
  c.participants.erase(it);
  c.date_updated = clock_.now();
  return Status::ok();
}

std::vector<std::pair<const Conversation*, const Participant*>>
ConversationsEngine::participant_conversations(const std::string& address) const {
  std::vector<uint64_t> sequences;
  auto [begin, end] = state_.conversations_by_address.equal_range(address);
  for (auto it = begin; it != end; ++it) sequences.push_back(it->second);
  std::sort(sequences.begin(), sequences.end());
  sequences.erase(std::unique(sequences.begin(), sequences.end()), sequences.end());
  std::vector<std::pair<const Conversation*, const Participant*>> out;
  for (uint64_t sequence : sequences) {
    const Conversation& c = state_.conversations.at(sequence);
    for (const Participant& p : c.participants) {
      if (p.binding && p.binding->address == address) out.emplace_back(&c, &p);
    }
  }
  return out;
}

Conversation* ConversationsEngine::conversation_for_pair(const std::string& address,
                                                         const std::string& proxy) {
  auto it = state_.active_pairs.find(pair_key(address, proxy));
  if (it == state_.active_pairs.end()) return nullptr;
  auto c = state_.conversations.find(it->second);
  return c == state_.conversations.end() ? nullptr : &c->second;
}

Webhooks ConversationsEngine::message_add_webhooks(const Conversation& c, const std::string& author,
                                                   const std::string& body,
                                                   const std::string& source) const {
  Webhooks out;
  Params params = {{"Body", body}, {"Author", author}, {"Attributes", "{}"}, {"Source", source}};
  for (const Participant& p : c.participants) {
    if (p.binding && p.binding->address == author) params.emplace_back("ParticipantSid", p.sid);
  }
  emit(c, "onMessageAdd", params, out);
  return out;
}

Result<const Message*> ConversationsEngine::add_message(Conversation& c, const std::string& author,
                                                        const std::string& body,
                                                        const std::string& attributes,
                                                        const std::string& source,
                                                        bool webhooks_enabled, Webhooks& out) {
  if (c.state == "closed") {
    return Status::invalid_argument("Conversation " + c.sid + " is in the final closed state",
                                    code::kClosed);
  }
  const TimePoint now = clock_.now();
  Message m;
  m.sid = sids_.next("IM");
  m.index = c.messages.empty() ? 0 : c.messages.back().index + 1;
  m.author = author;
  m.body = body;
  m.attributes = attributes;
  m.date_created = now;
  const Participant* sender = nullptr;
  for (const Participant& p : c.participants) {
    if ((p.binding && p.binding->address == author) || (p.identity && *p.identity == author)) {
      sender = &p;
      m.participant_sid = p.sid;
    }
  }
  c.messages.push_back(m);
  c.date_updated = now;
  if (c.state == "inactive") change_state(c, "active", "EVENT", webhooks_enabled, out);
  restart_timers(c);
  // Delivery: each other SMS participant gets the text from its own proxy address, and
  // its delivery receipt is reported (onDeliveryUpdated): delivered, or undelivered with
  // 21610 when the phone opted out of that number (Twilio refuses to text it).
  std::vector<std::pair<const Participant*, bool>> deliveries;
  for (const Participant& p : c.participants) {
    if (&p == sender || !p.binding || p.binding->proxy_address.empty()) continue;
    const bool refused = state_.opted_out.count({p.binding->address, p.binding->proxy_address}) > 0;
    deliveries.emplace_back(&p, !refused);
    if (refused) continue;
    state_.phones[p.binding->address].received.push_back(
        {p.binding->proxy_address, p.binding->address, body, now});
  }
  if (webhooks_enabled) {
    Params params = {{"MessageSid", m.sid},
                     {"Index", std::to_string(m.index)},
                     {"DateCreated", format_iso8601_millis(now)},
                     {"Body", body},
                     {"Author", author},
                     {"ParticipantSid", m.participant_sid},
                     {"Attributes", attributes},
                     {"Source", source}};
    emit(c, "onMessageAdded", params, out);
    for (const auto& [p, delivered] : deliveries) {
      Params receipt = {{"MessageSid", m.sid},
                        {"DeliveryReceiptSid", sids_.next("DY")},
                        {"ParticipantSid", p->sid},
                        {"Status", delivered ? "delivered" : "undelivered"},
                        {"ErrorCode", delivered ? "0" : "21610"},
                        {"DateCreated", format_iso8601_millis(now)}};
      emit(c, "onDeliveryUpdated", receipt, out);
    }
  }
  return &c.messages.back();
}

void ConversationsEngine::change_state(Conversation& c, const std::string& to,
                                       const std::string& reason, bool webhooks_enabled,
                                       Webhooks& out) {
  const std::string from = c.state;
  if (from == to) return;
  const TimePoint now = clock_.now();
  c.state = to;
  c.date_updated = now;
  if (to == "closed") {
    unindex_pairs(c);
    c.date_inactive.reset();
    c.date_closed.reset();
  } else if (to == "inactive") {
    c.date_inactive.reset();
  } else {
    restart_timers(c);
  }
  if (!webhooks_enabled) return;
  emit(c, "onConversationStateUpdated",
       {{"StateFrom", from},
        {"StateTo", to},
        {"StateUpdated", format_iso8601_millis(now)},
        {"Reason", reason}},
       out);
  if (reason != "API") {
    // Timer- and event-driven changes also update the conversation's properties.
    emit(c, "onConversationUpdated", conversation_params(c), out);
  }
}

void ConversationsEngine::restart_timers(Conversation& c) {
  if (c.state == "closed") return;
  const TimePoint now = clock_.now();
  if (c.timer_inactive && c.state == "active") {
    c.date_inactive = now + *c.timer_inactive;
    state_.timer_queue.emplace(*c.date_inactive, c.sequence);
  }
  if (c.timer_closed) {
    c.date_closed = now + *c.timer_closed;
    state_.timer_queue.emplace(*c.date_closed, c.sequence);
  }
}

void ConversationsEngine::restore(Conversation conversation) {
  Conversation& stored = store(std::move(conversation));
  const uint64_t sequence = stored.sequence;
  for (const Participant& p : stored.participants) index_participant(stored, p);
  if (stored.date_inactive) state_.timer_queue.emplace(*stored.date_inactive, sequence);
  if (stored.date_closed) state_.timer_queue.emplace(*stored.date_closed, sequence);
}

void ConversationsEngine::fire_due_timers(TimePoint now, Webhooks& out) {
  while (!state_.timer_queue.empty() && state_.timer_queue.begin()->first <= now) {
    const uint64_t sequence = state_.timer_queue.begin()->second;
    state_.timer_queue.erase(state_.timer_queue.begin());
    auto it = state_.conversations.find(sequence);
    if (it == state_.conversations.end()) continue;
    Conversation& c = it->second;
    if (c.state == "active" && c.date_inactive && *c.date_inactive <= now) {
      change_state(c, "inactive", "TIMER", true, out);
    }
    if (c.state != "closed" && c.date_closed && *c.date_closed <= now) {
      change_state(c, "closed", "TIMER", true, out);
    }
  }
}

std::optional<TimePoint> ConversationsEngine::next_timer() const {
  if (state_.timer_queue.empty()) return std::nullopt;
  return state_.timer_queue.begin()->first;
}

void ConversationsEngine::emit(const Conversation& c, const std::string& event, Params params,
                               Webhooks& out) const {
  const bool pre = is_pre_event(event);
  Params base = {{"EventType", event},
                 {"AccountSid", state_.account_sid},
                 {"ChatServiceSid", c.chat_service_sid},
                 {"ConversationSid", c.sid},
                 {"MessagingServiceSid", c.messaging_service_sid}};
  if (!find_param(params, "Source")) base.emplace_back("Source", "API");
  if (!pre) base.emplace_back("RetryCount", "0");
  base.insert(base.end(), params.begin(), params.end());
  for (const WebhookConfig* config : {&state_.account_webhooks, &state_.service_webhooks}) {
    const std::string& url = pre ? config->pre_webhook_url : config->post_webhook_url;
    if (url.empty() || !config->has(event)) continue;
    out.push_back(WebhookRequest{event, url, config->method, base});
  }
}

Params ConversationsEngine::conversation_params(const Conversation& c) const {
  Params params = {{"DateCreated", format_iso8601_millis(c.date_created)},
                   {"DateUpdated", format_iso8601_millis(c.date_updated)},
                   {"FriendlyName", c.friendly_name.value_or("")},
                   {"Attributes", c.attributes},
                   {"State", c.state}};
  if (c.unique_name) params.emplace_back("UniqueName", *c.unique_name);
  return params;
}

Params ConversationsEngine::participant_params(const Participant& p) const {
  Params params = {{"ParticipantSid", p.sid},
                   {"Attributes", p.attributes},
                   {"DateCreated", format_iso8601_millis(p.date_created)}};
  if (p.identity) params.emplace_back("Identity", *p.identity);
  if (p.binding) {
    params.emplace_back("MessagingBinding.Type", p.binding->type);
    params.emplace_back("MessagingBinding.Address", p.binding->address);
    if (!p.binding->proxy_address.empty()) {
      params.emplace_back("MessagingBinding.ProxyAddress", p.binding->proxy_address);
    }
  }
  if (p.role_sid) params.emplace_back("RoleSid", *p.role_sid);
  return params;
}

}  // namespace mc::sandbox
