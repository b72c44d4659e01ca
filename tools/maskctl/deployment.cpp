#include "deployment.h"

namespace mc::maskctl {

Result<std::unique_ptr<Deployment>> Deployment::load(const Environment& env) {
  auto config = worker::load_service_config(env);
  if (!config) return config.status();
  return std::unique_ptr<Deployment>(new Deployment(std::move(config).value()));
}

Status Deployment::open() {
  if (opened_) return Status::ok();
  auto services = worker::build_services(config_, clock_, metrics_, hooks_,
                                         /*apply_number_pool=*/false);
  if (!services) return services.status();
  services_ = std::move(services).value();
  opened_ = true;
  return Status::ok();
}

twilio::TwilioClient* Deployment::twilio_without_ledger() {
  if (opened_ && services_.twilio) return services_.twilio.get();
  if (!config_.twilio) return nullptr;
  if (!standalone_twilio_) {
    standalone_twilio_ = std::make_unique<twilio::TwilioClient>(*config_.twilio, http_, clock_);
  }
  return standalone_twilio_.get();
}

}  // namespace mc::maskctl
