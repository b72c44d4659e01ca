// The Twilio REST client: libcurl (through net::HttpClient) with connection reuse, Basic
// auth, form encoding, Twilio error bodies mapped to Status values carrying the Twilio code,
// a token bucket per endpoint, and retries on 429, 5xx and connection failures with
// exponential backoff and full jitter, bounded in attempts and total time.
#pragma once

#include <json/value.h>

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/metrics.h"
#include "core/params.h"
#include "net/http_client.h"
#include "twilio/conversations_api.h"
#include "twilio/retry.h"
#include "twilio/twilio_config.h"

namespace mc::twilio {

struct TwilioRequest {
  std::string endpoint;  // "conversations.create": rate limiting, metrics, logs
  std::string product;   // "conversations", "api", "messaging"
  std::string method = "GET";
  std::string path;  // below the product's base: "/v1/Conversations"
  Params form;       // POST body, or GET query
  std::vector<std::pair<std::string, std::string>> headers;
  // Whether a request that may have reached Twilio (connection failure, 5xx) may be sent
  // again. 429 answers are always retried: Twilio did not process them.
  bool idempotent = true;
};

class TwilioClient final : public ConversationsApi {
 public:
  // `random` returns values in [0, 1) for the jitter; `metrics` may be null.
  TwilioClient(TwilioConfig config, net::HttpClient& http, Clock& clock,
               std::function<double()> random = {}, Metrics* metrics = nullptr);

  const TwilioConfig& config() const { return config_; }
  // "https://{product}.twilio.com" + path, with the product filled in.
  std::string url(const std::string& product, const std::string& path) const;

  // Sends with rate limiting and retries. 2xx: the parsed JSON body (null for 204). Errors:
  // the Twilio error mapped to a Status (api_code = Twilio's code), UNAVAILABLE or
  // DEADLINE_EXCEEDED when Twilio could not be reached.
  Result<Json::Value> send(const TwilioRequest& request);

  Result<Json::Value> create_conversation(const Params& conversation,
                                          const std::vector<Binding>& bindings,
                                          bool webhooks_enabled) override;
  Result<Json::Value> fetch_conversation(const std::string& sid_or_unique_name) override;
  Result<Json::Value> add_participant(const std::string& conversation_sid,
                                      const Binding& binding) override;
  Result<std::vector<Json::Value>> list_participants(const std::string& conversation_sid) override;
  Status remove_participant(const std::string& conversation_sid,
                            const std::string& participant_sid) override;
  Status delete_conversation(const std::string& sid_or_unique_name) override;
  Status close_conversation(const std::string& sid_or_unique_name) override;
  // Adds a message to a conversation as `author` (a participant's address): Twilio
  // delivers it to the other participants, and the post-event webhooks fire for it as for
  // a text (X-Twilio-Webhook-Enabled). Not retried once it may have reached Twilio.
  Result<Json::Value> add_message(const std::string& conversation_sid, const std::string& author,
                                  const std::string& body);
  // Deletes one message of a conversation (OK when it is gone already).
  Status delete_message(const std::string& conversation_sid, const std::string& message_sid);

  // Voice (API 2010). create_call is not retried on failures that may have reached Twilio
  // (a second call would ring the phone twice); the call JSON.
  Result<Json::Value> create_call(const Params& params);
  // Programmable Messaging: one text (From, To, Body; Messages.json).
  Result<Json::Value> send_message(const Params& params);
  // Status=canceled|completed, or new TwiML; a call that no longer exists counts as done.
  Status update_call(const std::string& call_sid, const Params& params);

 private:
  // send() for a delete or an update where a resource already gone (404) means the work is
  // done (a retry after a success, or another worker got there first).
  Status send_until_gone(const TwilioRequest& request);
  Result<Json::Value> send_once(const TwilioRequest& request, int* http_status,
                                std::string* retry_after);

  TwilioConfig config_;
  net::HttpClient& http_;
  Clock& clock_;
  std::function<double()> random_;
  Metrics* metrics_;
  RateLimiter limiter_;
};

// Maps an HTTP status and Twilio error body to a Status.
Status status_from_twilio_error(int http_status, const std::string& body);

}  // namespace mc::twilio
