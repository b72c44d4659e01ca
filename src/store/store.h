// The ledger: the authority for sessions, participants, pool numbers and the outbox of
// pending Twilio side effects. An interface, so SQLite (the embedded default) and PostgreSQL
// (several hosts) can sit behind it and unit tests can use fakes.
#pragma once

#include "core/status.h"

namespace mc::store {

class Store {
 public:
  virtual ~Store() = default;

  // A round trip to the database. OK when it answers.
  virtual Status ping() = 0;
};

}  // namespace mc::store
