// The sandbox: one Twilio account's state, the engines that apply Twilio's rules to it, the
// phone network around it, and the background work (webhook delivery, timers). The REST
// and control routes (rest_api.h, control_routes.cpp) are thin layers over this.
#pragma once

#include <json/value.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "conversations_engine.h"
#include "faults.h"
#include "model.h"
#include "net/http_client.h"
#include "rest_format.h"
#include "sandbox_clock.h"
#include "sid.h"
#include "task_runner.h"
#include "voice_engine.h"
#include "webhooks.h"

namespace mc::sandbox {

struct SandboxOptions {
  std::string account_sid = "AC00000000000000000000000000000000";
  std::string auth_token = "sandbox-auth-token";
  std::string host = "127.0.0.1";
  int port = 4010;
  std::vector<std::string> numbers;  // E.164, the account's pool
  std::string voice_url;             // set on every number at start
  std::string sms_url;
  std::string status_callback;
  WebhookConfig conversations_webhooks;  // account-level, set at start
  std::vector<std::pair<std::string, FaultRule>> faults;
  std::string state_file;
  uint64_t seed = 0;
  std::chrono::milliseconds webhook_timeout{5000};
  // When the pre-event webhook cannot be reached: "allow" the message or "block" it.
  std::string pre_webhook_failure = "allow";
  int worker_threads = 8;
  int http_threads = 64;
};

class Sandbox {
 public:
  Sandbox(SandboxOptions options, net::HttpClient& http);
  ~Sandbox();

  const SandboxOptions& options() const { return options_; }
  const Urls& urls() const { return urls_; }
  std::mutex& mutex() { return mutex_; }
  State& state() { return state_; }  // only with mutex() held
  ConversationsEngine& conversations() { return conversations_; }
  VoiceEngine& voice() { return voice_; }
  TaskRunner& tasks() { return tasks_; }
  FaultInjector& faults() { return faults_; }
  SandboxClock& clock() { return clock_; }

  // Sends a webhook now and records it in the log.
  WebhookResponse deliver(const WebhookRequest& request);
  // Sends webhooks in the background, in order.
  void deliver_later(Webhooks webhooks);

  // The phone network: `from` texts pool number `to`. Routed into the conversation holding
  // the pair (pre-event webhook first: a non-2xx answer blocks it), else to the number's
  // SmsUrl. Returns what happened.
  Result<Json::Value> send_sms(const std::string& from, const std::string& to,
                               const std::string& body);
  // Programmable Messaging (Messages.json): `from`, a pool number, texts `to`. 21610 when
  // `to` opted out of `from`; the message's SID. With a `status_callback`, Twilio's
  // message status callbacks follow in the background: `sent`, then `delivered`.
  Result<std::string> send_message(const std::string& from, const std::string& to,
                                   const std::string& body,
                                   const std::string& status_callback = "");
  // Fires conversation timers that are due (also done every 50 ms in the background).
  void fire_timers();
  // Moves the clock forward, fires what fell due and waits for the effects to settle.
  bool advance_clock(std::chrono::milliseconds by, std::chrono::milliseconds wait);
  // Back to the state at start-up (numbers and their URLs as configured, no conversations,
  // calls, transcripts, faults or time offset).
  void reset();

  Json::Value transcript(const std::string& phone);
  Json::Value transcripts();

  // Persistence (--state-file): conversations, numbers, webhook configuration, transcripts.
  Status save(const std::string& path);
  Status load(const std::string& path);

 private:
  void initialise_state();
  Json::Value transcript_locked(const std::string& phone, const PhoneLog& log);

  const SandboxOptions options_;
  net::HttpClient& http_;
  Urls urls_;
  std::mutex mutex_;
  State state_;  // guarded by mutex_
  SidGenerator sids_;
  SandboxClock clock_;
  TaskRunner tasks_;
  FaultInjector faults_;
  WebhookSender sender_;
  ConversationsEngine conversations_;
  VoiceEngine voice_;
  std::atomic<bool> stopping_{false};
  std::thread timer_thread_;
};

// Pool numbers for a sandbox started without --numbers: `count` NANP numbers in fictional
// 555-01xx ranges across several area codes, so geography matters.
std::vector<std::string> default_numbers(int count);

}  // namespace mc::sandbox
