#include "modules/proxy_api/proxy_api_module.h"

#include "core/config.h"
#include "modules/proxy_api/service_resources.h"
#include "proxy/service_directory.h"
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
        !context.sessions) {
      return needs_twilio();
    }
    store::sql::Runner* runner = context.store->sql_runner();
    if (!runner) return Status::invalid_argument("the Proxy API needs an SQL ledger");
    EnvReader reader(context.env);
    const int capacity = static_cast<int>(reader.integer("MC_NUMBER_CAPACITY", 100, 1, 1000000));
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
    return Status::ok();
  }

  void routes(Router& router) override {
    proxy_api::add_service_routes(router, *scope_);
    proxy_api::add_phone_number_routes(router, *scope_);
    proxy_api::add_session_routes(router, *scope_);
    proxy_api::add_participant_routes(router, *scope_);
    proxy_api::add_interaction_routes(router, *scope_);
  }

 private:
  std::unique_ptr<proxy::ServiceDirectory> directory_;
  std::unique_ptr<proxy::SessionDirectory> session_directory_;
  std::unique_ptr<proxy_api::ApiScope> scope_;
};

}  // namespace

std::unique_ptr<Module> make_proxy_api_module() { return std::make_unique<ProxyApiModule>(); }

}  // namespace mc::modules
