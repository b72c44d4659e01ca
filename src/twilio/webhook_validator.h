// Checks that a request really comes from Twilio: X-Twilio-Signature over the public URL
// Twilio called (the configured public origin + the raw request URI, never what nginx saw)
// and the form parameters, or over the URL alone with bodySHA256 for JSON bodies.
#pragma once

#include <string>

#include "core/request.h"

namespace mc::twilio {

class WebhookValidator {
 public:
  // `enabled` false accepts everything (MC_VALIDATE_WEBHOOKS=false, for tests only).
  WebhookValidator(std::string auth_token, std::string public_base_url, bool enabled)
      : auth_token_(std::move(auth_token)),
        public_base_url_(std::move(public_base_url)),
        enabled_(enabled) {}

  bool is_from_twilio(const Request& request) const;
  // The URL the signature covers for this request.
  std::string public_url(const Request& request) const;
  // The public origin Twilio calls ("https://masked.example.com"), for callback URLs.
  const std::string& public_base_url() const { return public_base_url_; }

 private:
  std::string auth_token_;
  std::string public_base_url_;
  bool enabled_;
};

}  // namespace mc::twilio
