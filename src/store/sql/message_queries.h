// The message log's tables: messages (oldest first per session) and opt-outs.
#pragma once

#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

// True when the message was new (a known MessageSid is left as it is).
Result<bool> insert_message(Connection& db, const MessageRecord& message);
// Keyset paging, oldest first: the token is "<created_at ms>:<id>" of the last row shown.
Result<MessagePage> list_messages(Connection& db, const std::string& session_id, size_t page_size,
                                  const std::string& page_token);
Result<int64_t> erase_message_bodies(Connection& db, TimePoint before, size_t limit);
// A recipient's delivery receipt, into the message's recipients (under the message SID's
// lock: receipts for several recipients arrive at once).
Result<bool> record_delivery(Connection& db, const std::string& message_sid,
                             const std::string& address, const std::string& status, int error_code);
// The opt_outs table: (address, proxy number) pairs that sent STOP.
Result<bool> set_opt_out(Connection& db, const std::string& address, const std::string& proxy,
                         bool opted_out, TimePoint at);
Result<std::vector<std::string>> opted_out_participants(Connection& db,
                                                        const std::string& session_id);

}  // namespace mc::store::sql
