#include "modules/diagnostics/diagnostics_module.h"

#include <charconv>
#include <stdexcept>

namespace mc::modules {
namespace {

constexpr int kMaxSleepMs = 60000;

class DiagnosticsModule final : public Module {
 public:
  std::string_view name() const override { return "diagnostics"; }

  Status init(Context& context) override {
    clock_ = &context.clock;
    return Status::ok();
  }

  void routes(Router& router) override {
    router.add("GET", "/diagnostics/whoami", Access::kApi, [](Request& request) {
      Json::Value body(Json::objectValue);
      body["user"] = request.remote_user;
      return Response::json(200, body);
    });
    router.add("GET", "/diagnostics/sleep", Access::kApi, [this](Request& request) {
      const std::string_view text = request.param("ms");
      int ms = -1;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
      if (ec != std::errc() || end != text.data() + text.size() || ms < 0 || ms > kMaxSleepMs) {
        return Response::error(400, 20400,
                               "ms must be an integer from 0 to " + std::to_string(kMaxSleepMs));
      }
      clock_->sleep_for(std::chrono::milliseconds(ms));
      Json::Value body(Json::objectValue);
      body["slept_ms"] = ms;
      return Response::json(200, body);
    });
    router.add("GET", "/diagnostics/throw", Access::kApi, [](Request&) -> Response {
      throw std::runtime_error("diagnostics: thrown on purpose");
    });
  }

 private:
  Clock* clock_ = nullptr;
};

}  // namespace

std::unique_ptr<Module> make_diagnostics_module() { return std::make_unique<DiagnosticsModule>(); }

}  // namespace mc::modules
