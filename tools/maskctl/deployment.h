// The deployment maskctl works on: the worker's configuration (services.h), and, opened on
// demand, its ledger and its Twilio account. NUMBER_POOL is never applied here: that is the
// worker's start-up.
#pragma once

#include <memory>

#include "core/clock.h"
#include "core/hooks.h"
#include "core/metrics.h"
#include "services.h"

namespace mc::maskctl {

class Deployment {
 public:
  // Reads the configuration (errors name the variable).
  static Result<std::unique_ptr<Deployment>> load(const Environment& env);

  const worker::ServiceConfig& config() const { return config_; }
  // Opens the ledger (migrations applied) and the services on it; once.
  Status open();
  // After open(): the ledger; Twilio (null when not configured).
  store::Store& store() { return *services_.store; }
  twilio::TwilioClient* twilio() { return services_.twilio.get(); }
  sessions::SessionService* sessions() { return services_.sessions.get(); }
  const pool::Geography& geography() const { return *config_.geography; }
  net::CurlHttpClient& http() { return http_; }
  Clock& clock() { return clock_; }

  // The Twilio client alone, without the ledger (doctor checks Twilio even when the ledger
  // is unreachable); null when Twilio is not configured.
  twilio::TwilioClient* twilio_without_ledger();

 private:
  explicit Deployment(worker::ServiceConfig config) : config_(std::move(config)) {}

  worker::ServiceConfig config_;
  SystemClock clock_;
  Metrics metrics_;
  Hooks hooks_;
  net::CurlHttpClient http_;
  std::unique_ptr<twilio::TwilioClient> standalone_twilio_;
  worker::Services services_;
  bool opened_ = false;
};

}  // namespace mc::maskctl
