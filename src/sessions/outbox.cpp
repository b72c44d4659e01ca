#include "sessions/outbox.h"

#include <algorithm>

#include "core/log.h"
#include "core/response.h"

namespace mc::sessions {

void Outbox::handle(const std::string& kind, Handler handler) {
  handlers_[kind] = std::move(handler);
}

std::chrono::milliseconds Outbox::retry_delay(int attempts) const {
  const int64_t delay = 1000LL << std::min(attempts, 20);
  return std::min(max_backoff_, std::chrono::milliseconds(delay));
}

Outbox::Outbox(store::Store& store, Clock& clock, std::chrono::milliseconds max_backoff,
               size_t concurrency)
    : store_(store), clock_(clock), max_backoff_(max_backoff) {
  if (concurrency > 1) runners_ = std::make_unique<TaskQueue>(concurrency);
}

Outbox::~Outbox() {
  if (runners_) runners_->stop();
}

Status Outbox::add(const std::string& kind, const Json::Value& payload, TimePoint due) {
  const std::string text = to_json_text(payload);
  Status queued =
      store_.transact([&](store::Transaction& tx) { return tx.enqueue(kind, text, due); });
  if (queued && due <= clock_.now()) wake();
  return queued;
}

size_t Outbox::run_due(size_t limit) {
  const TimePoint now = clock_.now();
  auto items = store_.claim_outbox(now, std::chrono::seconds(60), limit);
  if (!items) {
    log::warn("outbox claim failed", {{"error", items.status().message()}});
    return 0;
  }
  if (!runners_ || items->size() < 2) {
    size_t completed = 0;
    for (const store::OutboxItem& item : *items) completed += carry_out(item) ? 1 : 0;
    return completed;
  }
  std::mutex mutex;
  std::condition_variable finished;
  size_t pending = items->size();
  size_t completed = 0;
  for (const store::OutboxItem& item : *items) {
    const bool posted = runners_->post([&, item] {
      const bool done = carry_out(item);
      std::lock_guard lock(mutex);
      completed += done ? 1 : 0;
      if (--pending == 0) finished.notify_all();
    });
    if (!posted) {  // stopping: the lease runs out and another round takes it
      std::lock_guard lock(mutex);
      --pending;
    }
  }
  std::unique_lock lock(mutex);
  finished.wait(lock, [&] { return pending == 0; });
  return completed;
}

bool Outbox::carry_out(const store::OutboxItem& item) {
  Status outcome;
  Json::Value payload;
  std::string error;
  auto handler = handlers_.find(item.kind);
  if (handler == handlers_.end()) {
    outcome = Status::internal("no handler for outbox kind " + item.kind);
  } else if (!parse_json_text(item.payload, &payload, &error)) {
    outcome = Status::internal("unreadable outbox payload: " + error);
  } else {
    outcome = handler->second(payload);
  }
  if (outcome) {
    if (Status s = store_.complete_outbox(item.id); !s) {
      log::warn("outbox completion not recorded", {{"id", item.id}, {"error", s.message()}});
    }
    return true;
  }
  const auto delay = retry_delay(item.attempts);
  log::warn("outbox item failed; will retry", {{"id", item.id},
                                               {"kind", item.kind},
                                               {"attempts", item.attempts + 1},
                                               {"retry_in_ms", static_cast<int64_t>(delay.count())},
                                               {"error", outcome.message()}});
  store_.retry_outbox(item.id, clock_.now() + delay, outcome.message());
  return false;
}

}  // namespace mc::sessions
