#include "modules/proxy_api/message_receipts.h"

#include <cstdlib>

#include "core/json_values.h"
#include "core/log.h"
#include "store/sql/rows.h"

namespace mc::modules::proxy_api {
namespace {

constexpr std::chrono::minutes kWaitForTheMessage{1};

using store::sql::to_ms;  // the ledger's time unit: payload deadlines are written in it

}  // namespace

void MessageReceipts::register_outbox() {
  outbox_.handle(kMessageReceipt, [this](const Json::Value& payload) -> Status {
    const Receipt receipt{payload["session"].asString(), payload["message"].asString(),
                          payload["to"].asString(), payload["status"].asString(),
                          payload["error"].asInt()};
    auto applied = apply(receipt);
    if (!applied) return applied.status();
    if (*applied) return Status::ok();
    if (to_ms(clock_.now()) > payload["until"].asInt64()) {
      log::info("message receipt for a message never logged; dropped",
                {{"message", receipt.message_sid}});
      return Status::ok();
    }
    return Status::unavailable("message " + receipt.message_sid + " not logged yet");
  });
}

Result<bool> MessageReceipts::apply(const Receipt& receipt) {
  auto recorded =
      store_.record_delivery(receipt.message_sid, receipt.to, receipt.status, receipt.error_code);
  if (!recorded || !*recorded) return recorded;
  callbacks_.message_status(
      {receipt.session_id, receipt.message_sid, "", receipt.to, receipt.status, ""});
  return true;
}

Response MessageReceipts::handle(const Request& request) {
  const std::string error(request.param("ErrorCode"));
  const Receipt receipt{std::string(request.param("session")),
                        std::string(request.param("MessageSid")), std::string(request.param("To")),
                        std::string(request.param("MessageStatus")), std::atoi(error.c_str())};
  if (receipt.message_sid.empty() || receipt.to.empty() || receipt.status.empty()) {
    return Response::text(200, "not processed");
  }
  auto applied = apply(receipt);
  if (!applied) return Response::error(applied.status());
  if (*applied) return Response::text(200, "processed");
  Json::Value payload(Json::objectValue);
  payload["session"] = receipt.session_id;
  payload["message"] = receipt.message_sid;
  payload["to"] = receipt.to;
  payload["status"] = receipt.status;
  payload["error"] = receipt.error_code;
  payload["until"] = Json::Int64(to_ms(clock_.now() + kWaitForTheMessage));
  if (Status queued =
          outbox_.add(kMessageReceipt, payload, clock_.now() + std::chrono::milliseconds(200));
      !queued) {
    return Response::error(queued);
  }
  return Response::text(200, "queued");
}

}  // namespace mc::modules::proxy_api
