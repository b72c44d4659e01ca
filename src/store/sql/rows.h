// How the ledger's rows are read and written (both backends): times as integer milliseconds
// since the Unix epoch, the column lists each table is selected with, and the readers that turn a
// row selected with those columns into a record. Shared by every query file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "pool/selection.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

int64_t to_ms(TimePoint time);
TimePoint from_ms(int64_t ms);
std::optional<int64_t> to_ms(const std::optional<TimePoint>& time);
std::optional<TimePoint> from_ms(const std::optional<int64_t>& ms);

// "?, ?, ?" for an IN list of `count` values.
std::string placeholders(size_t count);

// Column lists, in the order the readers below expect.
inline constexpr const char* kNumberColumns =
    "number, country, area_code, region, capabilities, reserved, retired, capacity, load, "
    "set_aside, service_sid, number_sid, friendly_name";
inline constexpr const char* kSessionColumns =
    "id, conversation_sid, status, mode, friendly_name, attributes, ttl_seconds, date_expiry, "
    "expires_at, last_interaction_at, closed_reason, created_at, updated_at, closed_at, "
    "twilio_request, conversation, voice_options";
inline constexpr const char* kParticipantColumns =
    "id, session_id, address, proxy_number, friendly_name, participant_sid, active, created_at";
inline constexpr const char* kCallColumns =
    "call_sid, session_id, parent_call_sid, direction, from_address, to_address, kind, "
    "conference, status, duration_seconds, recording_sid, recording_url, recording_duration, "
    "created_at, updated_at, ended_at";

PoolNumber read_number(const Statement& row);
pool::Candidate to_candidate(const PoolNumber& number);
SessionRecord read_session(const Statement& row);  // without its participants
ParticipantRecord read_participant(const Statement& row);
CallRecord read_call(const Statement& row);
// Binds the call's kCallColumns to parameters first, first + 1, ... first + 15.
void bind_call(Statement& statement, const CallRecord& call, int first = 1);

// Runs a SELECT returning one text column per row.
Result<std::vector<std::string>> text_column(Statement& statement);

}  // namespace mc::store::sql
