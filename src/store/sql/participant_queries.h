// The participants table: who holds which proxy number in which session, and the masking
// invariant's unique index (participants_active_pair) that the database enforces.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

// Fills session.participants, in the order they were added.
Status load_participants(Connection& db, SessionRecord& session);
// The proxy numbers `address` holds in active participations.
Result<std::vector<std::string>> numbers_held_by(Connection& db, const std::string& address);
// The proxy number `address` had most recently in a session with any of `counterparts`.
Result<std::optional<std::string>> sticky_number(Connection& db, const std::string& address,
                                                 const std::vector<std::string>& counterparts);
// Inserts an active participant and adds one to its number's load; ABORTED when the pair is
// held already or the number is full.
// The row only: its number's load is changed by SqlTransaction at the end.
Status insert_participant(Connection& db, const ParticipantRecord& participant);
// Records participants' SIDs by address; addresses not in the session are ignored.
Status set_participant_sids(Connection& db, const std::string& session_id,
                            const std::vector<std::pair<std::string, std::string>>& sids);
// Deactivates the session's participants and gives their numbers' load back. Idempotent.
// Deactivates the session's active participants; the numbers they held (once each).
Result<std::vector<std::string>> release_participants(Connection& db,
                                                      const std::string& session_id);
// Deactivates one active participant of the session; the number it held, nullopt when it
// was not active.
Result<std::optional<std::string>> release_participant(Connection& db,
                                                       const std::string& session_id,
                                                       const std::string& address);
// The live (open or in-progress) session holding (address, proxy).
Result<std::optional<ActiveBinding>> find_active_binding(Connection& db, const std::string& address,
                                                         const std::string& proxy);
// The session whose participant most recently held (address, proxy), live or not: where a
// call record lost in a crash is rebuilt from its status callbacks.
Result<std::optional<std::string>> last_session_of_pair(Connection& db, const std::string& address,
                                                        const std::string& proxy);

}  // namespace mc::store::sql
