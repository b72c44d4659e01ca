// What the worker tells systemd (sd_notify): that it is ready (the unit is Type=notify),
// that it is alive (the watchdog, when the unit sets WatchdogSec=), and that it is stopping.
// Outside systemd (no NOTIFY_SOCKET) every call does nothing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace mc::fcgi {

class ServiceManager {
 public:
  ServiceManager() = default;
  ~ServiceManager();  // stops the watchdog thread
  ServiceManager(const ServiceManager&) = delete;
  ServiceManager& operator=(const ServiceManager&) = delete;

  // READY=1 with a status line for `systemctl status`.
  void ready(const std::string& status);
  // When systemd asked for a watchdog (WATCHDOG_USEC, and WATCHDOG_PID if set is ours),
  // sends WATCHDOG=1 every half interval from a thread of its own, as long as `healthy()`
  // answers true: a worker whose ledger stopped answering is no longer reported alive, so
  // systemd restarts it when the interval runs out.
  void start_watchdog(std::function<bool()> healthy);
  // Stops the watchdog and says STOPPING=1: called once the server has drained (the
  // watchdog keeps answering while requests in flight finish, so a draining worker is
  // never taken for a hung one).
  void stopping();

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;  // guarded by mutex_
  std::thread watchdog_;
};

}  // namespace mc::fcgi
