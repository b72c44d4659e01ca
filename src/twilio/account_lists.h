// Reading the account's lists from Twilio, page by page: any list (its records under
// `key`), and the numbers of a Messaging Service. Shared by the worker (MC_POOL_SOURCE) and
// maskctl (pool sync, doctor).
#pragma once

#include <json/value.h>

#include <functional>
#include <map>
#include <string>

#include "core/status.h"
#include "twilio/client.h"

namespace mc::twilio {

// Follows a list from `path` (below `product`'s base) through all its pages, calling `each`
// with every record under `key`, and `on_page` with the count read so far after each page.
Status for_each_record(TwilioClient& twilio, const std::string& endpoint,
                       const std::string& product, std::string path, const std::string& key,
                       const std::function<void(const Json::Value&)>& each,
                       const std::function<void(size_t)>& on_page = {});

// A Messaging Service's numbers: E.164 -> PN... SID.
Result<std::map<std::string, std::string>> messaging_service_numbers(
    TwilioClient& twilio, const std::string& service_sid,
    const std::function<void(size_t)>& on_page = {});

}  // namespace mc::twilio
