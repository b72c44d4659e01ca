// The outbox: Twilio side effects written in the same transaction as the ledger change that
// needs them (delete a closed conversation, cancel a call), then carried out and retried
// with growing delays until done, by whichever worker process claims them first.
#pragma once

#include <json/value.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/task_queue.h"
#include "store/store.h"

namespace mc::sessions {

// Outbox kinds and their payloads.
namespace outbox_kind {
// {"conversation": SID or unique name, "session": id}: done at Twilio, then the session's
// (address, proxy) pairs are released (Twilio holds them until then).
inline constexpr const char* kDeleteConversation = "delete-conversation";
inline constexpr const char* kCloseConversation = "close-conversation";
// {"conversation": SID, "session": id}: ConversationWithParticipants does not return the
// participants it made, so their SIDs are fetched after the create.
inline constexpr const char* kRecordParticipantSids = "record-participant-sids";
// {"conversation": SID, "session": id, "address": ...}: the participant of that address is
// removed from the conversation, then its pair is released.
inline constexpr const char* kRemoveParticipant = "remove-participant";
}  // namespace outbox_kind

class Outbox {
 public:
  // Carries out one item; OK removes it, an error schedules another attempt.
  using Handler = std::function<Status(const Json::Value& payload)>;

  // `concurrency`: how many items run_due carries out at once (each may wait on Twilio for
  // a round trip or its retries): one after another, a worker would drain about 20 items a
  // second at 50 ms per request, fewer than the sessions it can create, and every close
  // would wait behind that backlog.
  Outbox(store::Store& store, Clock& clock, std::chrono::milliseconds max_backoff,
         size_t concurrency = 1);
  ~Outbox();

  // Registers the handler of `kind`; start-up only (modules add theirs in init).
  void handle(const std::string& kind, Handler handler);

  // Queues one item in a transaction of its own, for work that is not part of another
  // ledger change (in one, call Transaction::enqueue), and wakes the runner when it is due
  // now.
  Status add(const std::string& kind, const Json::Value& payload, TimePoint due);

  // Claims up to `limit` due items and carries them out, `concurrency` at a time; returns
  // how many were completed once all have finished. Background threads only: an item may
  // wait on Twilio for as long as its retries take.
  size_t run_due(size_t limit = 20);
  // Asks for due items to be carried out soon, without waiting: what request threads call
  // after queueing an item. `wake` (set once at start-up, by the Housekeeper) does it;
  // without one, items wait for the next sweep.
  void set_wake(std::function<void()> wake) {
    std::lock_guard lock(wake_mutex_);
    wake_ = std::move(wake);
  }
  void wake() const {
    std::lock_guard lock(wake_mutex_);
    if (wake_) wake_();
  }

  // The delay before attempt `attempts + 1` of an item: 1 s doubling, capped.
  std::chrono::milliseconds retry_delay(int attempts) const;

 private:
  // Runs one claimed item's handler and records the outcome; true when it is done.
  bool carry_out(const store::OutboxItem& item);

  store::Store& store_;
  Clock& clock_;
  const std::chrono::milliseconds max_backoff_;
  std::map<std::string, Handler> handlers_;
  mutable std::mutex wake_mutex_;
  std::function<void()> wake_;          // guarded by wake_mutex_
  std::unique_ptr<TaskQueue> runners_;  // when concurrency > 1
};

}  // namespace mc::sessions
