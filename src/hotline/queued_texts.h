// Queues texts in the outbox (kind send-sms) inside the hotline ledger's transactions, so a
// text is sent exactly when the step that caused it commits.
#pragma once

#include <vector>

#include "core/status.h"
#include "hotline/hotline_records.h"
#include "store/sql/connection.h"

namespace mc::hotline {

Status queue_texts(store::sql::Connection& db, const std::vector<OutgoingText>& texts,
                   TimePoint now);

}  // namespace mc::hotline
