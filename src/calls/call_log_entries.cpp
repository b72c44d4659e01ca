// What each entry of the call log does to the call tables (and what it leaves queued in
// the outbox), and how the call journal keeps an entry (call_log.h, call_journal.h).
#include <json/json.h>

#include "calls/call_journal.h"
#include "calls/call_log.h"
#include "core/log.h"
#include "core/response.h"

namespace mc::calls {
namespace {

// The journal's kinds of entry.
constexpr const char* kJournalCall = "call";  // a participant's call: counts as an interaction
constexpr const char* kJournalLeg = "leg";
constexpr const char* kJournalStatus = "status";
constexpr const char* kJournalRecording = "recording";
constexpr const char* kJournalCancelLegs = "cancel-legs";

}  // namespace

// An entry as the journal keeps it, in a call's columns.
JournalEntry CallLog::to_journal(const Entry& entry) {
  JournalEntry journaled;
  store::CallRecord& c = journaled.call;
  if (const auto* new_call = std::get_if<NewCall>(&entry)) {
    journaled.entry = new_call->interaction ? kJournalCall : kJournalLeg;
    c = new_call->call;
  } else if (const auto* report = std::get_if<CallStatusReport>(&entry)) {
    journaled.entry = kJournalStatus;
    c.call_sid = report->call_sid;
    c.status = report->status;
    c.duration_seconds = report->duration_seconds;
    c.parent_call_sid = report->parent_call_sid;
    c.direction = report->direction;
    c.from_address = report->from;
    c.to_address = report->to;
    c.created_at = c.updated_at = report->at;
  } else if (const auto* recording = std::get_if<CallRecording>(&entry)) {
    journaled.entry = kJournalRecording;
    c.call_sid = recording->call_sid;
    c.recording_sid = recording->recording_sid;
    c.recording_url = recording->recording_url;
    c.recording_duration = recording->duration_seconds;
  } else {
    journaled.entry = kJournalCancelLegs;
    c.call_sid = std::get<CancelLegs>(entry).parent_call_sid;
  }
  return journaled;
}

// The entry a journal row holds; an unknown kind (from a newer version) is an error.
Result<CallLog::Entry> CallLog::from_journal(const JournalEntry& journaled) {
  const store::CallRecord& c = journaled.call;
  if (journaled.entry == kJournalCall || journaled.entry == kJournalLeg) {
    return Entry(NewCall{c, journaled.entry == kJournalCall, {}});
  }
  if (journaled.entry == kJournalStatus) {
    return Entry(CallStatusReport{c.call_sid, c.status, c.duration_seconds, c.parent_call_sid,
                                  c.direction, c.from_address, c.to_address, c.created_at});
  }
  if (journaled.entry == kJournalRecording) {
    return Entry(CallRecording{c.call_sid, c.recording_sid, c.recording_url, c.recording_duration});
  }
  if (journaled.entry == kJournalCancelLegs) return Entry(CancelLegs{c.call_sid});
  return Status::invalid_argument("unknown call journal entry '" + journaled.entry + "'");
}

Status CallLog::apply(store::Transaction& tx, const Entry& entry, Outcome& outcome) {
  if (const auto* new_call = std::get_if<NewCall>(&entry)) {
    auto is_new = tx.record_call(new_call->call);
    if (!is_new) return is_new.status();
    if (*is_new && new_call->interaction) {
      if (Status s = tx.record_interaction(new_call->call.session_id, new_call->call.created_at);
          !s) {
        return s;
      }
    }
    outcome.recorded.emplace_back(new_call, *is_new);
    return Status::ok();
  }
  if (const auto* report = std::get_if<CallStatusReport>(&entry)) {
    return apply_status(tx, *report, outcome);
  }
  if (const auto* cancel = std::get_if<CancelLegs>(&entry)) {
    return queue_leg_cancels(tx, cancel->parent_call_sid, outcome);
  }
  const auto& recording = std::get<CallRecording>(entry);
  return tx.set_recording(recording.call_sid, recording.recording_sid, recording.recording_url,
                          recording.duration_seconds);
}

Status CallLog::apply_status(store::Transaction& tx, const CallStatusReport& report,
                             Outcome& outcome) {
  auto known = tx.call(report.call_sid);
  if (!known) return known.status();
  const bool final = store::is_final_call_status(report.status);
  if (*known) {
    auto updated =
        tx.update_call_status(report.call_sid, report.status, report.duration_seconds, report.at);
    if (!updated) return updated.status();
    if ((*known)->direction == "inbound" && final) {
      return queue_leg_cancels(tx, report.call_sid, outcome);
    }
    return Status::ok();
  }
  if (!report.parent_call_sid.empty()) {
    // A leg Twilio created for a <Dial>, or one whose record is still queued: recorded
    // under its parent's session when the parent is known.
    auto parent = tx.call(report.parent_call_sid);
    if (!parent) return parent.status();
    if (*parent) {
      store::CallRecord leg;
      leg.call_sid = report.call_sid;
      leg.session_id = (*parent)->session_id;
      leg.parent_call_sid = report.parent_call_sid;
      leg.direction = "outbound";
      leg.from_address = report.from;
      leg.to_address = report.to;
      leg.conference = (*parent)->conference;
      leg.status = report.status;
      leg.duration_seconds = report.duration_seconds;
      leg.created_at = leg.updated_at = report.at;
      if (final) leg.ended_at = report.at;
      return tx.record_call(leg).status();
    }
  } else if (final && report.direction == "inbound") {
    auto rebuilt = rebuild_inbound(tx, report);
    if (!rebuilt) return rebuilt.status();
    if (*rebuilt) return Status::ok();
  }
  // Unknown for now: kept until its record arrives.
  return tx.update_call_status(report.call_sid, report.status, report.duration_seconds, report.at)
      .status();
}

Result<bool> CallLog::rebuild_inbound(store::Transaction& tx, const CallStatusReport& report) {
  auto session_id = tx.last_session_of_pair(report.from, report.to);
  if (!session_id) return session_id.status();
  if (!*session_id) return false;
  auto session = tx.session(**session_id);
  if (!session) return session.status();
  if (!*session) return false;
  size_t others = 0;
  for (const store::ParticipantRecord& p : (*session)->participants) {
    if (p.address != report.from) ++others;
  }
  store::CallRecord call;
  call.call_sid = report.call_sid;
  call.session_id = **session_id;
  call.direction = "inbound";
  call.from_address = report.from;
  call.to_address = report.to;
  call.kind = others > 1 ? "conference" : "dial";
  if (others > 1) call.conference = room_name(call.session_id, call.call_sid);
  call.status = report.status;
  call.duration_seconds = report.duration_seconds;
  call.created_at = call.updated_at = report.at;
  call.ended_at = report.at;
  auto inserted = tx.record_call(call);
  if (!inserted) return inserted.status();
  if (Status s = tx.record_interaction(call.session_id, report.at); !s) return s;
  log::info("call record rebuilt from its status callback",
            {{"call", call.call_sid}, {"session", call.session_id}});
  return true;
}

Status CallLog::queue_leg_cancels(store::Transaction& tx, const std::string& parent_call_sid,
                                  Outcome& outcome) {
  auto legs = tx.call_legs(parent_call_sid);
  if (!legs) return legs.status();
  for (const store::CallRecord& leg : *legs) {
    if (store::is_final_call_status(leg.status) || leg.status == "in-progress") continue;
    Json::Value payload(Json::objectValue);
    payload["call"] = leg.call_sid;
    if (Status s = tx.enqueue(cancel_kind_, to_json_text(payload), clock_.now()); !s) return s;
    outcome.cancels_queued = true;
  }
  return Status::ok();
}

std::string room_name(const std::string& session_id, const std::string& call_sid) {
  return "mc-" + session_id + "-" + call_sid;
}

}  // namespace mc::calls
