#include "store/sql/message_queries.h"

#include <cstdlib>

#include "core/response.h"
#include "store/sql/rows.h"

namespace mc::store::sql {
namespace {

constexpr const char* kMessageColumns =
    "id, session_id, message_sid, author, author_proxy, recipients, body, media_count, "
    "media_types, status, note, body_erased, created_at";

MessageRecord read_message(const Statement& row) {
  MessageRecord m;
  m.id = row.column_int(0);
  m.session_id = row.column_text(1);
  m.message_sid = row.column_text(2);
  m.author = row.column_text(3);
  m.author_proxy = row.column_text(4);
  m.recipients = row.column_text(5);
  m.body = row.column_text(6);
  m.media_count = static_cast<int>(row.column_int(7));
  m.media_types = row.column_text(8);
  m.status = row.column_text(9);
  m.note = row.column_text(10);
  m.body_erased = row.column_int(11) != 0;
  m.created_at = from_ms(row.column_int(12));
  return m;
}

}  // namespace

Result<bool> insert_message(Connection& db, const MessageRecord& m) {
  auto insert = db.prepare(
      "INSERT INTO messages (session_id, message_sid, author, author_proxy, recipients, body, "
      "media_count, media_types, status, note, body_erased, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (message_sid) DO NOTHING");
  if (!insert) return insert.status();
  const std::optional<std::string> sid =
      m.message_sid.empty() ? std::nullopt : std::optional<std::string>(m.message_sid);
  (*insert)
      ->bind(1, m.session_id)
      .bind(2, sid)
      .bind(3, m.author)
      .bind(4, m.author_proxy)
      .bind(5, m.recipients)
      .bind(6, m.body)
      .bind(7, m.media_count)
      .bind(8, m.media_types)
      .bind(9, m.status)
      .bind(10, m.note)
      .bind(11, to_ms(m.created_at));
  if (Status s = (*insert)->run(); !s) return s;
  return db.changes() == 1;
}

Result<MessagePage> list_messages(Connection& db, const std::string& session_id, size_t page_size,
                                  const std::string& page_token) {
  int64_t after_created = INT64_MIN;
  int64_t after_id = 0;
  if (!page_token.empty()) {
    const size_t colon = page_token.find(':');
    char* end = nullptr;
    after_created = std::strtoll(page_token.c_str(), &end, 10);
    char* id_end = nullptr;
    if (colon != std::string::npos)
      after_id = std::strtoll(page_token.c_str() + colon + 1, &id_end, 10);
    if (colon == std::string::npos || end != page_token.c_str() + colon || id_end == nullptr ||
        *id_end != '\0') {
      return Status::invalid_argument("invalid pageToken");
    }
  }
  auto statement = db.prepare(std::string("SELECT ") + kMessageColumns +
                              " FROM messages WHERE session_id = ? AND (created_at > ? OR "
                              "(created_at = ? AND id > ?)) ORDER BY created_at, id LIMIT ?");
  if (!statement) return statement.status();
  (*statement)
      ->bind(1, session_id)
      .bind(2, after_created)
      .bind(3, after_created)
      .bind(4, after_id)
      .bind(5, static_cast<int64_t>(page_size + 1));
  auto messages = (*statement)->collect(read_message);
  if (!messages) return messages.status();
  MessagePage page;
  page.messages = std::move(*messages);
  if (page.messages.size() > page_size) {
    page.messages.pop_back();
    const MessageRecord& last = page.messages.back();
    page.next_token = std::to_string(to_ms(last.created_at)) + ":" + std::to_string(last.id);
  }
  return page;
}

Result<int64_t> erase_message_bodies(Connection& db, TimePoint before, size_t limit) {
  auto statement = db.prepare(
      "UPDATE messages SET body = '', body_erased = 1 WHERE id IN (SELECT id FROM messages "
      "WHERE body_erased = 0 AND created_at < ? ORDER BY created_at LIMIT ?" +
      std::string(db.skip_locked()) + ")");
  if (!statement) return statement.status();
  (*statement)->bind(1, to_ms(before)).bind(2, static_cast<int64_t>(limit));
  if (Status s = (*statement)->run(); !s) return s;
  return db.changes();
}

Result<bool> record_delivery(Connection& db, const std::string& message_sid,
                             const std::string& address, const std::string& status,
                             int error_code) {
  if (Status s = db.lock_key(message_sid); !s) return s;
  auto read = db.prepare("SELECT recipients FROM messages WHERE message_sid = ?");
  if (!read) return read.status();
  (*read)->bind(1, message_sid);
  std::optional<std::string> text;
  auto found = (*read)->first([&](const Statement& row) { text = row.column_text(0); });
  if (!found) return found.status();
  if (!text) return false;
  Json::Value recipients;
  std::string error;
  if (!parse_json_text(*text, &recipients, &error) || !recipients.isArray()) {
    recipients = Json::Value(Json::arrayValue);
  }
  bool matched = false;
  for (Json::Value& recipient : recipients) {
    if (recipient["address"].asString() != address) continue;
    recipient["delivery"] = status;
    if (error_code != 0) {
      recipient["errorCode"] = error_code;
    } else {
      recipient.removeMember("errorCode");
    }
    matched = true;
  }
  if (!matched) return false;
  auto write = db.prepare("UPDATE messages SET recipients = ? WHERE message_sid = ?");
  if (!write) return write.status();
  (*write)->bind(1, to_json_text(recipients)).bind(2, message_sid);
  if (Status s = (*write)->run(); !s) return s;
  return true;
}

Result<bool> set_opt_out(Connection& db, const std::string& address, const std::string& proxy,
                         bool opted_out, TimePoint at) {
  auto statement = db.prepare(
      opted_out ? "INSERT INTO opt_outs (address, proxy_number, opted_out_at) VALUES (?, ?, ?) "
                  "ON CONFLICT (address, proxy_number) DO NOTHING"
                : "DELETE FROM opt_outs WHERE address = ? AND proxy_number = ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, address).bind(2, proxy);
  if (opted_out) (*statement)->bind(3, to_ms(at));
  if (Status s = (*statement)->run(); !s) return s;
  return db.changes() > 0;
}

Result<std::vector<std::string>> opted_out_participants(Connection& db,
                                                        const std::string& session_id) {
  auto statement = db.prepare(
      "SELECT DISTINCT p.address FROM participants p JOIN opt_outs o "
      "ON o.address = p.address AND o.proxy_number = p.proxy_number WHERE p.session_id = ? "
      "ORDER BY p.address");
  if (!statement) return statement.status();
  (*statement)->bind(1, session_id);
  return text_column(**statement);
}

}  // namespace mc::store::sql
