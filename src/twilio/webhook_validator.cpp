#include "twilio/webhook_validator.h"

#include "twilio/signature.h"

namespace mc::twilio {

std::string WebhookValidator::public_url(const Request& request) const {
  return public_base_url_ + request.request_uri;
}

bool WebhookValidator::is_from_twilio(const Request& request) const {
  if (!enabled_) return true;
  const std::string* signature = request.header("x-twilio-signature");
  if (!signature) return false;
  const bool json = request.content_type_is("application/json");
  return validate_signature(auth_token_, *signature, public_url(request), request.form,
                            request.body, json);
}

}  // namespace mc::twilio
