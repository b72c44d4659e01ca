#include "hotline/thread_ledger.h"

#include "hotline/queued_texts.h"
#include "store/sql/rows.h"

namespace mc::hotline {
namespace {

using store::sql::Connection;
using store::sql::from_ms;
using store::sql::Statement;
using store::sql::to_ms;

constexpr const char* kThreadColumns =
    "id, hotline_id, texter, status, claimed_by, created_at, claimed_at, last_message_at";

TextThread read_thread(const Statement& row) {
  TextThread t;
  t.id = row.column_int(0);
  t.hotline_id = row.column_text(1);
  t.texter = row.column_text(2);
  t.status = row.column_text(3);
  t.claimed_by = row.column_text(4);
  t.created_at = from_ms(row.column_int(5));
  t.claimed_at = from_ms(row.column_optional_int(6));
  t.last_message_at = from_ms(row.column_int(7));
  return t;
}

Result<std::optional<TextThread>> first_thread(Connection& db, const std::string& where,
                                               const std::vector<std::string>& values,
                                               std::optional<int64_t> id = std::nullopt) {
  auto statement =
      db.prepare(std::string("SELECT ") + kThreadColumns + " FROM hotline_threads WHERE " + where);
  if (!statement) return statement.status();
  int index = 1;
  if (id) (*statement)->bind(index++, *id);
  for (const std::string& value : values) (*statement)->bind(index++, value);
  return (*statement)->first_as(read_thread);
}

Result<std::optional<TextThread>> open_thread_of(Connection& db, const std::string& hotline_id,
                                                 const std::string& texter) {
  return first_thread(db, "hotline_id = ? AND texter = ? AND status <> 'closed'",
                      {hotline_id, texter});
}

// Logs a message of the thread and marks the thread active; the message's id.
Result<int64_t> log_message(Connection& db, int64_t thread_id, const std::string& direction,
                            const std::string& author, const std::string& body, TimePoint now) {
  auto insert = db.prepare(
      "INSERT INTO hotline_thread_messages (thread_id, direction, author, body, created_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id");
  if (!insert) return insert.status();
  (*insert)
      ->bind(1, thread_id)
      .bind(2, direction)
      .bind(3, author)
      .bind(4, body)
      .bind(5, to_ms(now));
  int64_t id = 0;
  auto row = (*insert)->first([&](const Statement& r) { id = r.column_int(0); });
  if (!row) return row.status();
  auto touch = db.prepare("UPDATE hotline_threads SET last_message_at = ? WHERE id = ?");
  if (!touch) return touch.status();
  (*touch)->bind(1, to_ms(now)).bind(2, thread_id);
  if (Status s = (*touch)->run(); !s) return s;
  return id;
}

Status read_messages(Connection& db, TextThread& thread) {
  auto statement = db.prepare(
      "SELECT id, thread_id, direction, author, body, created_at, delivery FROM "
      "hotline_thread_messages WHERE thread_id = ? ORDER BY id");
  if (!statement) return statement.status();
  (*statement)->bind(1, thread.id);
  auto messages = (*statement)->collect([](const Statement& row) {
    return ThreadMessage{row.column_int(0),  row.column_int(1),  row.column_text(2),
                         row.column_text(3), row.column_text(4), from_ms(row.column_int(5)),
                         row.column_text(6)};
  });
  if (!messages) return messages.status();
  thread.messages = std::move(messages).value();
  return Status::ok();
}

}  // namespace

Result<TextThread> ThreadLedger::texter_wrote(const std::string& hotline_id,
                                              const std::string& texter, const std::string& body,
                                              TimePoint now, std::chrono::seconds idle,
                                              const TexterTexts& texts) {
  return runner_.write_with<TextThread>([&](Connection& db) -> Result<TextThread> {
    auto thread = open_thread_of(db, hotline_id, texter);
    if (!thread) return thread.status();
    if (*thread && (*thread)->last_message_at + idle < now) {
      auto close = db.prepare("UPDATE hotline_threads SET status = 'closed' WHERE id = ?");
      if (!close) return close.status();
      (*close)->bind(1, (*thread)->id);
      if (Status s = (*close)->run(); !s) return s;
      thread->reset();
    }
    bool opened = false;
    if (!*thread) {
      // Another process may open the same texter's thread at once: the index keeps one, and
      // the read after it finds whichever it kept.
      auto insert = db.prepare(
          "INSERT INTO hotline_threads (hotline_id, texter, status, created_at, last_message_at) "
          "VALUES (?, ?, 'open', ?, ?) ON CONFLICT (hotline_id, texter) WHERE status <> 'closed' "
          "DO NOTHING");
      if (!insert) return insert.status();
      (*insert)->bind(1, hotline_id).bind(2, texter).bind(3, to_ms(now)).bind(4, to_ms(now));
      if (Status s = (*insert)->run(); !s) return s;
      opened = db.changes() == 1;
      thread = open_thread_of(db, hotline_id, texter);
      if (!thread) return thread.status();
      if (!*thread) return Status::internal("the texter's thread vanished");
    }
    if (auto logged = log_message(db, (*thread)->id, "in", texter, body, now); !logged) {
      return logged.status();
    }
    if (Status s = queue_texts(db, texts(**thread, opened), now); !s) return s;
    return **thread;
  });
}

Result<std::vector<TextThread>> ThreadLedger::member_threads(const std::string& hotline_id,
                                                             const std::string& member) {
  return runner_.read_with<std::vector<TextThread>>(
      [&](Connection& db) -> Result<std::vector<TextThread>> {
        auto statement = db.prepare(std::string("SELECT ") + kThreadColumns +
                                    " FROM hotline_threads WHERE hotline_id = ? AND "
                                    "(status = 'open' OR (status = 'claimed' AND claimed_by = ?)) "
                                    "ORDER BY last_message_at DESC, id DESC");
        if (!statement) return statement.status();
        (*statement)->bind(1, hotline_id).bind(2, member);
        return (*statement)->collect(read_thread);
      });
}

Result<ThreadLedger::Reply> ThreadLedger::member_replied(const std::string& hotline_id,
                                                         int64_t thread_id,
                                                         const std::string& member,
                                                         const std::string& body, TimePoint now,
                                                         const ReplyTexts& texts) {
  return runner_.write_with<Reply>([&](Connection& db) -> Result<Reply> {
    Reply reply;
    auto claim = db.prepare(
        "UPDATE hotline_threads SET status = 'claimed', claimed_by = ?, claimed_at = ? "
        "WHERE id = ? AND hotline_id = ? AND status = 'open' AND claimed_by = ''");
    if (!claim) return claim.status();
    (*claim)->bind(1, member).bind(2, to_ms(now)).bind(3, thread_id).bind(4, hotline_id);
    if (Status s = (*claim)->run(); !s) return s;
    reply.claimed_now = db.changes() == 1;
    auto thread = first_thread(db, "id = ? AND hotline_id = ? AND status <> 'closed'", {hotline_id},
                               thread_id);
    if (!thread) return thread.status();
    if (!*thread) return reply;
    reply.found = true;
    reply.thread = **thread;
    reply.delivered = reply.thread.claimed_by == member;
    if (reply.delivered) {
      auto logged = log_message(db, thread_id, "out", member, body, now);
      if (!logged) return logged.status();
      reply.message_id = *logged;
    }
    if (Status s = queue_texts(db, texts(reply), now); !s) return s;
    return reply;
  });
}

Result<bool> ThreadLedger::record_delivery(int64_t message_id, const std::string& status) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    // "delivered" is final: a late "sent" does not undo it.
    auto update = db.prepare(
        "UPDATE hotline_thread_messages SET delivery = ? WHERE id = ? AND direction = 'out' AND "
        "delivery <> 'delivered'");
    if (!update) return update.status();
    (*update)->bind(1, status).bind(2, message_id);
    if (Status s = (*update)->run(); !s) return s;
    return db.changes() == 1;
  });
}

Result<std::vector<TextThread>> ThreadLedger::list(const std::string& hotline_id, size_t limit) {
  return runner_.read_with<std::vector<TextThread>>(
      [&](Connection& db) -> Result<std::vector<TextThread>> {
        auto statement = db.prepare(std::string("SELECT ") + kThreadColumns +
                                    " FROM hotline_threads WHERE hotline_id = ? "
                                    "ORDER BY last_message_at DESC, id DESC LIMIT ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, hotline_id).bind(2, static_cast<int64_t>(limit));
        auto threads = (*statement)->collect(read_thread);
        if (!threads) return threads.status();
        for (TextThread& t : *threads) {
          if (Status s = read_messages(db, t); !s) return s;
        }
        return threads;
      });
}

}  // namespace mc::hotline
