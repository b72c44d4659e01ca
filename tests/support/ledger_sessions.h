// For tests that need sessions in a real ledger: one written the way the session service
// writes it, in one transaction.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace mc::testing {

// Inserts `session` as it is and an active participant for each (address, proxy number)
// pair, created when the session was.
inline Status insert_session_with(store::Store& ledger, const store::SessionRecord& session,
                                  const std::vector<std::pair<std::string, std::string>>& pairs) {
  return ledger.transact([&](store::Transaction& tx) -> Status {
    if (Status s = tx.insert_session(session); !s) return s;
    for (const auto& [address, proxy] : pairs) {
      store::ParticipantRecord p;
      p.session_id = session.id;
      p.address = address;
      p.proxy_number = proxy;
      p.created_at = session.created_at;
      if (Status s = tx.add_participant(p); !s) return s;
    }
    return Status::ok();
  });
}

}  // namespace mc::testing
