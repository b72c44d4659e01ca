// Internal to the proxy_api module: the delivery receipts of MessageInteractions, Twilio's
// message status callbacks at /proxy/message-status?session=KC... They join the message in
// the session's log and go on to the service's CallbackUrl. Twilio may send one before the
// request that sent the text has logged it (the answer and the callback race); such a
// receipt waits in the outbox (kind proxy-message-receipt) and is applied once the message
// is logged, tried again for a minute, on whichever host claims it.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/request.h"
#include "core/response.h"
#include "modules/proxy_api/proxy_callbacks.h"
#include "sessions/outbox.h"
#include "store/store.h"

namespace mc::modules::proxy_api {

inline constexpr const char* kMessageReceipt = "proxy-message-receipt";

class MessageReceipts {
 public:
  MessageReceipts(store::Store& store, sessions::Outbox& outbox, Clock& clock,
                  ProxyCallbacks& callbacks)
      : store_(store), outbox_(outbox), clock_(clock), callbacks_(callbacks) {}

  // Registers kMessageReceipt; start-up only.
  void register_outbox();
  Response handle(const Request& request);

 private:
  struct Receipt {
    std::string session_id;
    std::string message_sid;
    std::string to;
    std::string status;
    int error_code = 0;
  };
  // True when the receipt joined its message (then the callback is queued).
  Result<bool> apply(const Receipt& receipt);

  store::Store& store_;
  sessions::Outbox& outbox_;
  Clock& clock_;
  ProxyCallbacks& callbacks_;
};

}  // namespace mc::modules::proxy_api
