#include "modules/hotline/hotline_module.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "calls/leg_dialer.h"
#include "hotline/call_ledger.h"
#include "hotline/hotline_directory.h"
#include "hotline/thread_ledger.h"
#include "messages/text_sender.h"
#include "modules/hotline/hotline_api.h"
#include "modules/hotline/hotline_calls.h"
#include "modules/hotline/hotline_texts.h"
#include "store/store.h"
#include "twilio/webhook_validator.h"

namespace mc::modules {
namespace {

using namespace hotline;

class HotlineModule final : public Module {
 public:
  std::string_view name() const override { return "hotline"; }

  Status check(const Context& context) override {
    if (!context.twilio || !context.webhooks) return needs_twilio();
    return load_hotline_config(context.env).status();
  }

  Status init(Context& context) override {
    if (!context.twilio || !context.webhooks || !context.outbox || !context.store ||
        !context.geography) {
      return needs_twilio();
    }
    store::sql::Runner* runner = context.store->sql_runner();
    if (!runner) return Status::invalid_argument("the hotline needs an SQL ledger");
    auto config = load_hotline_config(context.env);
    if (!config) return config.status();
    directory_ = std::make_unique<mc::hotline::HotlineDirectory>(*runner);
    call_ledger_ = std::make_unique<mc::hotline::CallLedger>(*runner);
    thread_ledger_ = std::make_unique<mc::hotline::ThreadLedger>(*runner);
    calls::LegDialer::register_cancel(*context.outbox, *context.twilio);
    messages::register_send_sms(*context.outbox, *context.twilio);
    calls_ =
        std::make_unique<HotlineCalls>(*directory_, *call_ledger_, *context.twilio, *context.outbox,
                                       context.clock, *config, context.webhooks->public_base_url());
    texts_ =
        std::make_unique<HotlineTexts>(*directory_, *thread_ledger_, *context.outbox, context.clock,
                                       *config, context.webhooks->public_base_url());
    api_ = std::make_unique<HotlineApi>(*directory_, *call_ledger_, *thread_ledger_,
                                        *context.geography, context.clock);
    sweep_interval_ = config->sweep_interval;
    sweeper_ = std::thread([this] { sweep_until_stopped(); });
    return Status::ok();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    stop_.notify_all();
    if (sweeper_.joinable()) sweeper_.join();
    if (calls_) calls_->stop();
  }

  void routes(Router& router) override {
    api_->routes(router);
    router.add("POST", "/hotline/leg", Access::kWebhook,
               [this](Request& r) { return calls_->leg_answered(r); });
    router.add("POST", "/hotline/leg-gather", Access::kWebhook,
               [this](Request& r) { return calls_->leg_gathered(r); });
    router.add("POST", "/hotline/leg-status", Access::kWebhook,
               [this](Request& r) { return calls_->leg_status(r); });
    router.add("POST", "/hotline/voicemail", Access::kWebhook,
               [this](Request& r) { return calls_->voicemail(r); });
    router.add("POST", "/hotline/text-status", Access::kWebhook,
               [this](Request& r) { return texts_->delivery(r); });
  }

  void hooks(Hooks& hooks) override {
    hooks.unmatched_call.add([this](const Request& r) { return calls_->inbound(r); });
    hooks.unmatched_text.add([this](const Request& r) { return texts_->inbound(r); });
    hooks.call_status.add([this](const CallStatusEvent& e) { calls_->caller_status(e); });
  }

 private:
  // Calls whose deadline passed (every leg's status lost, a member who answered and never
  // pressed 1) get the no-answer path; whichever worker looks first gives it, once.
  void sweep_until_stopped() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      stop_.wait_for(lock, sweep_interval_, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      calls_->sweep();
      lock.lock();
    }
  }

  std::unique_ptr<mc::hotline::HotlineDirectory> directory_;
  std::unique_ptr<mc::hotline::CallLedger> call_ledger_;
  std::unique_ptr<mc::hotline::ThreadLedger> thread_ledger_;
  std::unique_ptr<HotlineCalls> calls_;
  std::unique_ptr<HotlineTexts> texts_;
  std::unique_ptr<HotlineApi> api_;
  std::chrono::milliseconds sweep_interval_{1000};
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread sweeper_;
};

}  // namespace

std::unique_ptr<Module> make_hotline_module() { return std::make_unique<HotlineModule>(); }

}  // namespace mc::modules
