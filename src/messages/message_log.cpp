#include "messages/message_log.h"

#include "core/log.h"
#include "core/response.h"

namespace mc::messages {
namespace {

constexpr size_t kEraseBatch = 1000;
constexpr int kEraseBatchesPerRound = 10;

// The count and content types of Twilio's Media parameter (a JSON array of objects with
// ContentType or content_type); nothing for a missing or malformed one.
std::pair<int, std::string> media_of(const std::string& media_json) {
  Json::Value media;
  std::string error;
  Json::Value types(Json::arrayValue);
  if (media_json.empty() || !parse_json_text(media_json, &media, &error) || !media.isArray()) {
    return {0, "[]"};
  }
  for (const Json::Value& item : media) {
    if (!item.isObject()) continue;
    const Json::Value& type =
        item.isMember("ContentType") ? item["ContentType"] : item["content_type"];
    types.append(type.isString() ? type.asString() : "");
  }
  return {static_cast<int>(types.size()), to_json_text(types)};
}

}  // namespace

Result<store::SessionRecord> MessageLog::session_of(const std::string& conversation_sid) {
  auto session = store_.session_by_conversation(conversation_sid);
  if (!session) return session.status();
  if (!*session) return Status::not_found("no session for conversation " + conversation_sid);
  return std::move(**session);
}

store::MessageRecord MessageLog::record_of(const store::SessionRecord& session,
                                           const ConversationMessage& message,
                                           const std::string& status, const std::string& note) {
  store::MessageRecord record;
  record.session_id = session.id;
  record.message_sid = message.message_sid;
  record.author = message.author;
  record.body = message.body;
  std::tie(record.media_count, record.media_types) = media_of(message.media_json);
  record.status = status;
  record.note = note;
  record.created_at = message.at;
  Json::Value recipients(Json::arrayValue);
  for (const store::ParticipantRecord& p : session.participants) {
    if (p.address == message.author) {
      record.author_proxy = p.proxy_number;
      continue;
    }
    if (!p.active) continue;
    Json::Value recipient(Json::objectValue);
    recipient["address"] = p.address;
    recipient["proxyAddress"] = p.proxy_number;
    recipients.append(recipient);
  }
  record.recipients = to_json_text(recipients);
  return record;
}

Status MessageLog::record(const store::SessionRecord& session, const ConversationMessage& message,
                          const std::string& status, const std::string& note) {
  const store::MessageRecord record = record_of(session, message, status, note);
  auto added = store_.record_message(record);
  if (!added) return added.status();
  log::info("message logged", {{"session", session.id},
                               {"status", status},
                               {"author", message.author},
                               {"media", record.media_count},
                               {"new", *added}});
  return Status::ok();
}

Result<store::MessagePage> MessageLog::list(const std::string& session_id, size_t page_size,
                                            const std::string& page_token) {
  auto session = store_.session(session_id);
  if (!session) return session.status();
  if (!*session) return Status::not_found("no session " + session_id, 20404);
  return store_.list_messages(session_id, page_size, page_token);
}

size_t MessageLog::erase_expired() {
  if (!retention_) return 0;
  size_t erased = 0;
  for (int batch = 0; batch < kEraseBatchesPerRound; ++batch) {
    auto count = store_.erase_message_bodies(clock_.now() - *retention_, kEraseBatch);
    if (!count) {
      log::warn("message retention sweep failed", {{"error", count.status().message()}});
      break;
    }
    erased += static_cast<size_t>(*count);
    if (*count < static_cast<int64_t>(kEraseBatch)) break;
  }
  if (erased > 0) log::info("message bodies erased", {{"messages", erased}});
  return erased;
}

}  // namespace mc::messages
