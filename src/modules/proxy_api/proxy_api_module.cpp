#include "modules/proxy_api/proxy_api_module.h"

#include "core/config.h"
#include "modules/proxy_api/message_receipts.h"
#include "modules/proxy_api/out_of_session.h"
#include "modules/proxy_api/proxy_callbacks.h"
#include "modules/proxy_api/service_resources.h"
#include "net/http_client.h"
#include "proxy/callback_poster.h"
#include "proxy/service_directory.h"
#include "sessions/outbox.h"
#include "sessions/session_service.h"
#include "store/store.h"
#include "twilio/webhook_validator.h"

namespace mc::modules {
namespace {

class ProxyApiModule final : public Module {
 public:
  std::string_view name() const override { return "proxy"; }

  Status check(const Context& context) override {
    return context.twilio && context.webhooks ? Status::ok() : needs_twilio();
  }

  Status init(Context& context) override {
    if (!context.twilio || !context.webhooks || !context.store || !context.geography ||
        !context.sessions || !context.outbox || !context.live_sessions) {
      return needs_twilio();
    }
    store::sql::Runner* runner = context.store->sql_runner();
    if (!runner) return Status::invalid_argument("the Proxy API needs an SQL ledger");
    EnvReader reader(context.env);
    const int capacity = static_cast<int>(reader.integer("MC_NUMBER_CAPACITY", 100, 1, 1000000));
    const std::chrono::milliseconds intercept_timeout(
        reader.integer("MC_PROXY_INTERCEPT_TIMEOUT_MS", 3000, 100, 4000));
    const std::chrono::milliseconds out_of_session_timeout(
        reader.integer("MC_PROXY_OUT_OF_SESSION_TIMEOUT_MS", 5000, 100, 10000));
    const std::chrono::milliseconds callback_timeout(
        reader.integer("MC_PROXY_CALLBACK_TIMEOUT_MS", 5000, 100, 60000));
    if (Status s = reader.status(); !s) return s;
    directory_ = std::make_unique<proxy::ServiceDirectory>(*runner);
    session_directory_ = std::make_unique<proxy::SessionDirectory>(*runner);
    auto default_sid = directory_->ensure_default(sessions::new_sid("KS"), context.clock.now());
    if (!default_sid) return default_sid.status().annotate("the default Proxy service");
    if (auto derived = directory_->record_derived_sids(); !derived) {
      return derived.status().annotate("the pool numbers' SIDs");
    }
    scope_ = std::make_unique<proxy_api::ApiScope>(proxy_api::ApiScope{
        *directory_, *session_directory_, *context.sessions, *context.store, *context.twilio,
        *context.geography, context.clock, context.webhooks->public_base_url(),
        context.twilio->config().account_sid, capacity});
    poster_ = std::make_unique<proxy::CallbackPoster>(http_, context.twilio->config().auth_token);
    callbacks_ = std::make_unique<proxy_api::ProxyCallbacks>(*scope_, *poster_, *context.outbox,
                                                             *context.live_sessions,
                                                             intercept_timeout, callback_timeout);
    callbacks_->register_outbox();
    receipts_ = std::make_unique<proxy_api::MessageReceipts>(*context.store, *context.outbox,
                                                             context.clock, *callbacks_);
    receipts_->register_outbox();
    out_of_session_ = std::make_unique<proxy_api::OutOfSession>(
        *scope_, *poster_, *context.outbox, *context.live_sessions, out_of_session_timeout);
    out_of_session_->register_outbox();
    return Status::ok();
  }

  void hooks(Hooks& hooks) override {
    callbacks_->add_hooks(hooks);
    hooks.unmatched_text.add([this](const Request& r) { return out_of_session_->text(r); });
    hooks.unmatched_call.add([this](const Request& r) { return out_of_session_->call(r); });
  }

  void routes(Router& router) override {
    proxy_api::add_service_routes(router, *scope_);
    proxy_api::add_phone_number_routes(router, *scope_);
    proxy_api::add_session_routes(router, *scope_);
    proxy_api::add_participant_routes(router, *scope_);
    proxy_api::add_interaction_routes(router, *scope_);
    router.add("POST", "/proxy/message-status", Access::kWebhook,
               [this](Request& request) { return receipts_->handle(request); });
  }

 private:
  std::unique_ptr<proxy::ServiceDirectory> directory_;
  std::unique_ptr<proxy::SessionDirectory> session_directory_;
  std::unique_ptr<proxy_api::ApiScope> scope_;
  net::CurlHttpClient http_;  // the callbacks to the customer's server
  std::unique_ptr<proxy::CallbackPoster> poster_;
  std::unique_ptr<proxy_api::ProxyCallbacks> callbacks_;
  std::unique_ptr<proxy_api::MessageReceipts> receipts_;
  std::unique_ptr<proxy_api::OutOfSession> out_of_session_;
};

}  // namespace

std::unique_ptr<Module> make_proxy_api_module() { return std::make_unique<ProxyApiModule>(); }

}  // namespace mc::modules
