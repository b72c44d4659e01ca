// The sessions_api module: masked-communications-app's API for the business's backend,
// behind nginx's basic auth (the worker also requires REMOTE_USER).
//
//   POST   /sessions        create a masked session; answers the conversation JSON exactly
//                           as masked-communications-app does (200, camelCase)
//   GET    /sessions        list: ?status=open&pageSize=50&pageToken=...
//   GET    /sessions/{id}   one session with its participants and proxy numbers
//   DELETE /sessions/{id}   close it: numbers released, conversation deleted at Twilio
//
// Example:
//   curl -u user:pass -H 'Content-Type: application/json' https://masked.example.com/sessions
//        -d '{"addresses":["+14155550101","+14155550102"],"friendlyName":"Order 42"}'
//
// Configuration keys: none of its own (the session service's; see the README).
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_sessions_api_module();

}  // namespace mc::modules
