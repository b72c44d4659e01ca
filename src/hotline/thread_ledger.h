// A hotline's text threads in the ledger. A texter has at most one open thread per hotline
// (a partial unique index); it is offered to every available member until one replies, and
// that first reply claims it with one conditional UPDATE (claimed_by = '' in its WHERE), so
// two members replying at once get one winner. The texts each step causes are computed by
// the caller from what the step found and queued in the outbox (kind send-sms) in the same
// commit: none is sent for a step that did not happen, none is lost for one that did.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hotline/hotline_records.h"
#include "store/sql/runner.h"

namespace mc::hotline {

class ThreadLedger {
 public:
  explicit ThreadLedger(store::sql::Runner& runner) : runner_(runner) {}

  // A text from someone who is not a member: into their open thread (one idle for longer
  // than `idle` is closed first, and a new one opened), logged; `texts(thread, opened)`
  // says what to send.
  using TexterTexts = std::function<std::vector<OutgoingText>(const TextThread&, bool opened)>;
  Result<TextThread> texter_wrote(const std::string& hotline_id, const std::string& texter,
                                  const std::string& body, TimePoint now, std::chrono::seconds idle,
                                  const TexterTexts& texts);

  // The threads a member can reply to: open ones and those they claimed, most recently
  // active first.
  Result<std::vector<TextThread>> member_threads(const std::string& hotline_id,
                                                 const std::string& member);

  struct Reply {
    bool found = false;        // the thread exists, is this hotline's, and is not closed
    bool claimed_now = false;  // this reply claimed it
    bool delivered = false;    // the thread is this member's: the reply goes to the texter
    int64_t message_id = 0;    // the reply's log row, when delivered
    TextThread thread;         // as it is after the step
  };
  // A member's reply to thread `thread_id`: claims it if nobody has, logged when it is
  // theirs; `texts(reply)` says what to send.
  using ReplyTexts = std::function<std::vector<OutgoingText>(const Reply&)>;
  Result<Reply> member_replied(const std::string& hotline_id, int64_t thread_id,
                               const std::string& member, const std::string& body, TimePoint now,
                               const ReplyTexts& texts);

  // Twilio's delivery status for a logged reply (message_id from Reply); false when there
  // is no such message.
  Result<bool> record_delivery(int64_t message_id, const std::string& status);

  // A hotline's threads with their messages, most recently active first.
  Result<std::vector<TextThread>> list(const std::string& hotline_id, size_t limit);

 private:
  store::sql::Runner& runner_;
};

}  // namespace mc::hotline
