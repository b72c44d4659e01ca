// The hotline module's configuration (environment; README "Configuration" lists them):
//
//   MC_HOTLINE_WAIT_URL         the caller's <Conference waitUrl> while members are rung: an
//                               audio file (a ringing tone) or TwiML; empty (the default) is
//                               silence after the greeting
//   MC_HOTLINE_DIAL_CONCURRENCY members' legs created at Twilio at once per call (8)
//   MC_HOTLINE_ANSWER_GRACE     seconds past a hotline's ring timeout a call may still be
//                               taken (a member pressing 1 late); then the no-answer path (15)
//   MC_HOTLINE_THREAD_IDLE      seconds a text thread stays open without a message; the
//                               texter's next text opens a new one (86400)
//   MC_HOTLINE_SWEEP_MS         how often calls past their deadline are looked for (1000)
#pragma once

#include <chrono>
#include <string>

#include "core/config.h"
#include "core/status.h"

namespace mc::modules::hotline {

struct HotlineConfig {
  std::string wait_url;
  int dial_concurrency = 8;
  std::chrono::seconds answer_grace{15};
  std::chrono::seconds thread_idle{86400};
  std::chrono::milliseconds sweep_interval{1000};
};

Result<HotlineConfig> load_hotline_config(const Environment& env);

}  // namespace mc::modules::hotline
