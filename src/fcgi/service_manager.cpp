#include "fcgi/service_manager.h"

#include <systemd/sd-daemon.h>

#include "core/log.h"

namespace mc::fcgi {

ServiceManager::~ServiceManager() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

void ServiceManager::ready(const std::string& status) {
  sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
}

void ServiceManager::start_watchdog(std::function<bool()> healthy) {
  uint64_t interval_us = 0;
  if (sd_watchdog_enabled(0, &interval_us) <= 0 || interval_us == 0) return;
  const auto half = std::chrono::microseconds(interval_us / 2);
  log::info("systemd watchdog on", {{"interval_ms", static_cast<int64_t>(interval_us / 1000)}});
  watchdog_ = std::thread([this, half, healthy = std::move(healthy)] {
    bool reported_unhealthy = false;
    std::unique_lock lock(mutex_);
    while (!stopped_) {
      lock.unlock();
      if (healthy()) {
        sd_notify(0, "WATCHDOG=1");
        reported_unhealthy = false;
      } else if (!reported_unhealthy) {
        log::error("not answering the systemd watchdog: the ledger does not answer", {});
        reported_unhealthy = true;
      }
      lock.lock();
      wake_.wait_for(lock, half, [this] { return stopped_; });
    }
  });
}

void ServiceManager::stopping() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
  sd_notify(0, "STOPPING=1");
}

}  // namespace mc::fcgi
