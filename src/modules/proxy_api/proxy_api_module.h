// The proxy_api module: the Twilio Proxy v1 REST API on Twilio's paths (/v1/...), so code
// written against Proxy runs once its helper library sends requests here. Built so far:
// Services and their PhoneNumbers (service_resources.h), over the ledger's default service
// that holds NUMBER_POOL's numbers. Sessions, Participants, Interactions, MessageInteractions
// and the callbacks are not built yet: those paths answer 404 (README, "Proxy API").
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_proxy_api_module();

}  // namespace mc::modules
