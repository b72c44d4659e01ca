// The certificate a public HTTPS origin presents, checked as Twilio's client would check it:
// a TLS handshake (with SNI) verified against the system's trusted CAs and the host name.
#pragma once

#include <chrono>
#include <string>

#include "core/status.h"
#include "core/time_format.h"

namespace mc::maskctl {

struct TlsCertificate {
  bool trusted = false;  // the chain verifies and the name matches
  std::string problem;   // why not, when not trusted
  TimePoint not_after;   // when it expires
  std::string subject;   // for the report
};

// Connects to `host`:`port`; UNAVAILABLE when no TLS session could be made at all.
Result<TlsCertificate> probe_certificate(const std::string& host, int port,
                                         std::chrono::milliseconds timeout);

}  // namespace mc::maskctl
