#include "store/sql/rows.h"

namespace mc::store::sql {

int64_t to_ms(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
TimePoint from_ms(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }
std::optional<int64_t> to_ms(const std::optional<TimePoint>& time) {
  return time ? std::optional<int64_t>(to_ms(*time)) : std::nullopt;
}
std::optional<TimePoint> from_ms(const std::optional<int64_t>& ms) {
  return ms ? std::optional<TimePoint>(from_ms(*ms)) : std::nullopt;
}

std::string placeholders(size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

PoolNumber read_number(const Statement& row) {
  PoolNumber n;
  n.number = row.column_text(0);
  n.country = row.column_text(1);
  n.area_code = row.column_text(2);
  n.region = row.column_text(3);
  n.capabilities = row.column_text(4);
  n.reserved = row.column_int(5) != 0;
  n.retired = row.column_int(6) != 0;
  n.capacity = static_cast<int>(row.column_int(7));
  n.load = static_cast<int>(row.column_int(8));
  n.set_aside = row.column_int(9) != 0;
  n.service_sid = row.column_text(10);
  n.number_sid = row.column_text(11);
  n.friendly_name = row.column_text(12);
  return n;
}

pool::Candidate to_candidate(const PoolNumber& n) {
  // A number set aside (a hotline's) is, to selection, as good as retired.
  return {n.number,   n.country, n.area_code,  n.region, n.reserved, n.retired || n.set_aside,
          n.capacity, n.load,    n.service_sid};
}

SessionRecord read_session(const Statement& row) {
  SessionRecord s;
  s.id = row.column_text(0);
  s.conversation_sid = row.column_text(1);
  s.status = row.column_text(2);
  s.mode = row.column_text(3);
  s.friendly_name = row.column_optional_text(4);
  s.attributes = row.column_text(5);
  s.ttl_seconds = row.column_optional_int(6);
  s.date_expiry = from_ms(row.column_optional_int(7));
  s.expires_at = from_ms(row.column_optional_int(8));
  s.last_interaction_at = from_ms(row.column_optional_int(9));
  s.closed_reason = row.column_text(10);
  s.created_at = from_ms(row.column_int(11));
  s.updated_at = from_ms(row.column_int(12));
  s.closed_at = from_ms(row.column_optional_int(13));
  s.twilio_request = row.column_text(14);
  s.conversation = row.column_text(15);
  s.voice_options = row.column_text(16);
  return s;
}

ParticipantRecord read_participant(const Statement& row) {
  ParticipantRecord p;
  p.id = row.column_int(0);
  p.session_id = row.column_text(1);
  p.address = row.column_text(2);
  p.proxy_number = row.column_text(3);
  p.friendly_name = row.column_text(4);
  p.participant_sid = row.column_text(5);
  p.active = row.column_int(6) != 0;
  p.created_at = from_ms(row.column_int(7));
  return p;
}

CallRecord read_call(const Statement& row) {
  CallRecord c;
  c.call_sid = row.column_text(0);
  c.session_id = row.column_text(1);
  c.parent_call_sid = row.column_text(2);
  c.direction = row.column_text(3);
  c.from_address = row.column_text(4);
  c.to_address = row.column_text(5);
  c.kind = row.column_text(6);
  c.conference = row.column_text(7);
  c.status = row.column_text(8);
  c.duration_seconds = row.column_optional_int(9);
  c.recording_sid = row.column_text(10);
  c.recording_url = row.column_text(11);
  c.recording_duration = row.column_optional_int(12);
  c.created_at = from_ms(row.column_int(13));
  c.updated_at = from_ms(row.column_int(14));
  c.ended_at = from_ms(row.column_optional_int(15));
  return c;
}

void bind_call(Statement& statement, const CallRecord& c, int first) {
  statement.bind(first, c.call_sid)
      .bind(first + 1, c.session_id)
      .bind(first + 2, c.parent_call_sid)
      .bind(first + 3, c.direction)
      .bind(first + 4, c.from_address)
      .bind(first + 5, c.to_address)
      .bind(first + 6, c.kind)
      .bind(first + 7, c.conference)
      .bind(first + 8, c.status)
      .bind(first + 9, c.duration_seconds)
      .bind(first + 10, c.recording_sid)
      .bind(first + 11, c.recording_url)
      .bind(first + 12, c.recording_duration)
      .bind(first + 13, to_ms(c.created_at))
      .bind(first + 14, to_ms(c.updated_at))
      .bind(first + 15, to_ms(c.ended_at));
}

Result<std::vector<std::string>> text_column(Statement& statement) {
  return statement.collect([](const Statement& row) { return row.column_text(0); });
}

}  // namespace mc::store::sql
