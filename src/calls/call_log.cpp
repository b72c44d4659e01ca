#include "calls/call_log.h"

#include <json/json.h>

#include "core/log.h"
#include "core/response.h"

namespace mc::calls {
namespace {

// A busy ledger is retried this often (with doubling sleeps from kFirstBackoff) before the
// batch is written entry by entry.
constexpr int kBusyAttempts = 5;
constexpr std::chrono::milliseconds kFirstBackoff{10};

}  // namespace

CallLog::CallLog(store::Store& store, Clock& clock, CallLogOptions options, std::string cancel_kind,
                 std::function<void()> outbox_woken)
    : store_(store),
      clock_(clock),
      options_(options),
      cancel_kind_(std::move(cancel_kind)),
      outbox_woken_(std::move(outbox_woken)) {
  writer_ = std::thread([this] { run(); });
}

bool CallLog::record_inbound(store::CallRecord call, std::function<void(bool)> recorded) {
  return push(NewCall{std::move(call), true, std::move(recorded)});
}

bool CallLog::record_leg(store::CallRecord leg) { return push(NewCall{std::move(leg), false, {}}); }

bool CallLog::report_status(CallStatusReport report) { return push(std::move(report)); }

bool CallLog::report_recording(CallRecording recording) { return push(std::move(recording)); }

bool CallLog::cancel_ringing_legs(std::string parent_call_sid) {
  return push(CancelLegs{std::move(parent_call_sid)});
}

bool CallLog::push(Entry entry) {
  std::unique_lock lock(mutex_);
  const bool room = room_.wait_for(lock, options_.full_wait, [this] {
    return stopping_ || queue_.size() < options_.max_queued;
  });
  if (!room || stopping_) return false;
  queue_.push_back(std::move(entry));
  ++pushed_;
  // A writer gathering a batch is woken only when it is full: waking it for every entry
  // would cost a context switch per call.
  if (writer_idle_ || queue_.size() >= options_.max_batch) queued_.notify_one();
  return true;
}

void CallLog::flush() {
  std::unique_lock lock(mutex_);
  const int64_t target = pushed_;
  written_.wait(lock, [&] { return done_ >= target || finished_; });
}

void CallLog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  room_.notify_all();
  if (writer_.joinable()) writer_.join();
}

int64_t CallLog::batches_written() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

int64_t CallLog::entries_dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void CallLog::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    writer_idle_ = true;
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    writer_idle_ = false;
    if (queue_.empty()) {  // stopping, and everything written
      finished_ = true;
      written_.notify_all();
      return;
    }
    if (options_.window.count() > 0 && !stopping_) {
      queued_.wait_for(lock, options_.window,
                       [this] { return stopping_ || queue_.size() >= options_.max_batch; });
    }
    std::vector<Entry> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    room_.notify_all();
    lock.unlock();
    write(batch);
    lock.lock();
    done_ += static_cast<int64_t>(batch.size());
    written_.notify_all();
  }
}

void CallLog::write(std::vector<Entry>& batch) {
  Outcome outcome;
  auto write_all = [&](store::Transaction& tx) -> Status {
    outcome = Outcome{};  // a rerun starts over
    for (const Entry& entry : batch) {
      if (Status s = apply(tx, entry, outcome); !s) return s;
    }
    return Status::ok();
  };
  Status status = store_.transact(write_all);
  for (int attempt = 1;
       !status && status.code() == StatusCode::kUnavailable && attempt < kBusyAttempts; ++attempt) {
    clock_.sleep_for(kFirstBackoff * (1 << (attempt - 1)));
    status = store_.transact(write_all);
  }
  if (status) {
    std::lock_guard lock(mutex_);
    ++batches_;
  } else {
    // One entry the ledger refuses (its session deleted, say) must not sink the others:
    // each is written alone, and what still fails is logged and dropped.
    log::warn("call log batch failed; writing its entries one by one",
              {{"entries", batch.size()}, {"error", status.message()}});
    outcome = Outcome{};
    size_t dropped = 0;
    for (const Entry& entry : batch) {
      Outcome one;
      Status alone = store_.transact([&](store::Transaction& tx) {
        one = Outcome{};
        return apply(tx, entry, one);
      });
      if (!alone) {
        ++dropped;
        log::error("call log entry dropped", {{"error", alone.message()}});
        continue;
      }
      outcome.recorded.insert(outcome.recorded.end(), one.recorded.begin(), one.recorded.end());
      outcome.cancels_queued = outcome.cancels_queued || one.cancels_queued;
    }
    std::lock_guard lock(mutex_);
    ++batches_;
    dropped_ += static_cast<int64_t>(dropped);
  }
  for (const auto& [call, is_new] : outcome.recorded) {
    if (call->recorded) call->recorded(is_new);
  }
  if (outcome.cancels_queued && outbox_woken_) outbox_woken_();
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
