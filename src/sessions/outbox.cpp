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

size_t Outbox::run_due(size_t limit) {
  const TimePoint now = clock_.now();
  auto items = store_.claim_outbox(now, std::chrono::seconds(60), limit);
  if (!items) {
    log::warn("outbox claim failed", {{"error", items.status().message()}});
    return 0;
  }
  size_t completed = 0;
  for (const store::OutboxItem& item : *items) {
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
      ++completed;
      continue;
    }
    const auto delay = retry_delay(item.attempts);
    log::warn("outbox item failed; will retry",
              {{"id", item.id},
               {"kind", item.kind},
               {"attempts", item.attempts + 1},
               {"retry_in_ms", static_cast<int64_t>(delay.count())},
               {"error", outcome.message()}});
    store_.retry_outbox(item.id, clock_.now() + delay, outcome.message());
  }
  return completed;
}

}  // namespace mc::sessions
