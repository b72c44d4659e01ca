// The outbox table: pending side effects at Twilio, leased to one worker at a time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

Status enqueue_outbox(Connection& db, const std::string& kind, const std::string& payload,
                      TimePoint due);
// Leases up to `limit` due, unleased items until now + lease. Inside a write transaction.
Result<std::vector<OutboxItem>> lease_outbox(Connection& db, TimePoint now,
                                             std::chrono::milliseconds lease, size_t limit);
Status delete_outbox(Connection& db, int64_t id);
// Another attempt at `next_attempt`, the lease given up.
Status reschedule_outbox(Connection& db, int64_t id, TimePoint next_attempt,
                         const std::string& error);
Result<int64_t> count_outbox(Connection& db);

}  // namespace mc::store::sql
