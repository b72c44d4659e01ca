#include "modules/admin/admin_module.h"

#include "store/live_session_index.h"
#include "store/store.h"

namespace mc::modules {
namespace {

class AdminModule final : public Module {
 public:
  std::string_view name() const override { return "admin"; }

  Status init(Context& context) override {
    context_ = &context;
    return Status::ok();
  }

  void routes(Router& router) override {
    router.add("GET", "/healthz", Access::kOperator, [this](Request&) { return healthz(); });
    router.add("GET", "/metrics", Access::kOperator, [this](Request&) {
      Response response = Response::text(200, context_->metrics.render_prometheus());
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      return response;
    });
  }

 private:
  Response healthz() const {
    Json::Value body(Json::objectValue);
    const bool store_reachable = context_->store != nullptr && context_->store->ping().is_ok();
    body["status"] = store_reachable ? "ok" : "degraded";
    body["version"] = context_->version;
    body["uptime_seconds"] =
        static_cast<Json::Int64>(std::chrono::duration_cast<std::chrono::seconds>(
                                     context_->clock.steady_now() - context_->started_at)
                                     .count());
    body["store"]["reachable"] = store_reachable;
    const store::LiveSessionIndex* index = context_->live_sessions;
    if (index != nullptr && index->required()) {
      // Calls are answered from memory once loaded; until then from the ledger.
      body["live_sessions"]["loaded"] = index->loaded();
      body["live_sessions"]["count"] = static_cast<Json::UInt64>(index->size());
    }
    return Response::json(store_reachable ? 200 : 503, body);
  }

  const Context* context_ = nullptr;
};

}  // namespace

std::unique_ptr<Module> make_admin_module() { return std::make_unique<AdminModule>(); }

}  // namespace mc::modules
