#include "tls_probe.h"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>

namespace mc::maskctl {
namespace {

// A connected TCP socket, or -1.
int connect_to(const std::string& host, int port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
  timeval limit{static_cast<time_t>(timeout.count() / 1000),
                static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  for (addrinfo* a = addresses.get(); a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    ::close(fd);
  }
  return -1;
}

}  // namespace

Result<TlsCertificate> probe_certificate(const std::string& host, int port,
                                         std::chrono::milliseconds timeout) {
  std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> context(SSL_CTX_new(TLS_client_method()),
                                                       SSL_CTX_free);
  if (!context) return Status::internal("OpenSSL: no context");
  SSL_CTX_set_default_verify_paths(context.get());
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);  // judged below, not refused
  const int fd = connect_to(host, port, timeout);
  if (fd < 0) return Status::unavailable("cannot connect to " + host + ":" + std::to_string(port));
  std::unique_ptr<SSL, void (*)(SSL*)> ssl(SSL_new(context.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  SSL_set1_host(ssl.get(), host.c_str());
  const int handshake = SSL_connect(ssl.get());
  if (handshake != 1) {
    ::close(fd);
    return Status::unavailable("TLS handshake with " + host + " failed");
  }
  TlsCertificate certificate;
  std::unique_ptr<X509, void (*)(X509*)> peer(SSL_get1_peer_certificate(ssl.get()), X509_free);
  if (peer) {
    std::tm expiry{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(peer.get()), &expiry) == 1) {
      certificate.not_after = std::chrono::system_clock::from_time_t(::timegm(&expiry));
    }
    char name[256] = {};
    X509_NAME_oneline(X509_get_subject_name(peer.get()), name, sizeof name);
    certificate.subject = name;
  }
  const long verified = SSL_get_verify_result(ssl.get());
  certificate.trusted = peer && verified == X509_V_OK;
  if (!peer) {
    certificate.problem = "no certificate presented";
  } else if (verified != X509_V_OK) {
    certificate.problem = X509_verify_cert_error_string(verified);
  }
  SSL_shutdown(ssl.get());
  ::close(fd);
  return certificate;
}

}  // namespace mc::maskctl
