#include "twilio/client.h"

#include <random>

#include "core/log.h"
#include "core/response.h"

namespace mc::twilio {
namespace {

bool retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::string path_segment(const std::string& text) { return url_encode(text); }

}  // namespace

Status status_from_twilio_error(int http_status, const std::string& body) {
  Json::Value parsed;
  std::string error;
  int code = 0;
  std::string message = "HTTP " + std::to_string(http_status);
  if (parse_json_text(body, &parsed, &error) && parsed.isObject()) {
    if (parsed["code"].isInt()) code = parsed["code"].asInt();
    if (parsed["message"].isString()) message = parsed["message"].asString();
  }
  message = "Twilio: " + message;
  if (http_status == 400 || http_status == 422) return Status::invalid_argument(message, code);
  if (http_status == 401 || http_status == 403) return Status::unauthenticated(message, code);
  if (http_status == 404) return Status::not_found(message, code);
  if (http_status == 409) return Status::conflict(message, code);
  if (http_status == 429) return Status::resource_exhausted(message, code);
  if (http_status >= 500) return Status::unavailable(message, code);
  return Status::failed_precondition(message, code);
}

TwilioClient::TwilioClient(TwilioConfig config, net::HttpClient& http, Clock& clock,
                           std::function<double()> random, Metrics* metrics)
    : config_(std::move(config)),
      http_(http),
      clock_(clock),
      random_(std::move(random)),
      metrics_(metrics),
      limiter_(config_.rate_limit_per_second) {
  if (!random_) {
    random_ = [engine = std::make_shared<std::mt19937_64>(std::random_device{}()),
               mutex = std::make_shared<std::mutex>()] {
      std::lock_guard lock(*mutex);
      return std::uniform_real_distribution<double>(0, 1)(*engine);
    };
  }
}

std::string TwilioClient::url(const std::string& product, const std::string& path) const {
  std::string base = config_.base_url;
  const size_t placeholder = base.find("{product}");
  if (placeholder != std::string::npos) base.replace(placeholder, 9, product);
  return base + path;
}

Result<Json::Value> TwilioClient::send_once(const TwilioRequest& request, int* http_status,
                                            std::string* retry_after) {
  net::HttpRequest http;
  http.method = request.method;
  http.url = url(request.product, request.path);
  http.timeout = config_.timeout;
  http.username = config_.api_key_sid.empty() ? config_.account_sid : config_.api_key_sid;
  http.password = config_.api_key_sid.empty() ? config_.auth_token : config_.api_key_secret;
  http.headers = request.headers;
  http.headers.emplace_back("Accept", "application/json");
  if (request.method == "GET" || request.method == "DELETE") {
    if (!request.form.empty()) http.url += "?" + encode_form(request.form);
  } else {
    http.body = encode_form(request.form);
    http.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  auto response = http_.send(http);
  *http_status = 0;
  if (!response) return response.status();
  *http_status = response->status;
  if (const std::string* header = response->header("retry-after")) *retry_after = *header;
  if (response->status >= 200 && response->status < 300) {
    Json::Value body;
    std::string error;
    if (response->body.empty()) return Json::Value();
    if (!parse_json_text(response->body, &body, &error)) {
      return Status::unavailable("Twilio answered " + request.endpoint + " with invalid JSON");
    }
    return body;
  }
  return status_from_twilio_error(response->status, response->body);
}

Result<Json::Value> TwilioClient::send(const TwilioRequest& request) {
  const auto started = clock_.steady_now();
  const auto deadline = started + config_.retry.budget;
  for (int attempt = 0;; ++attempt) {
    const auto wait = limiter_.reserve(request.endpoint, clock_.steady_now());
    if (wait.count() > 0) clock_.sleep_for(wait);
    int http_status = 0;
    std::string retry_after;
    Result<Json::Value> result = send_once(request, &http_status, &retry_after);
    if (metrics_) {
      metrics_->add_counter(
          "mc_twilio_requests_total",
          "endpoint=\"" + request.endpoint + "\",status=\"" + std::to_string(http_status) + "\"");
    }
    if (result.is_ok()) return result;
    const bool transport_failure = http_status == 0;
    const bool may_retry =
        http_status == 429 ||
        (request.idempotent && (transport_failure || retryable_status(http_status)));
    if (!may_retry || attempt + 1 >= config_.retry.max_attempts) return result;
    std::chrono::milliseconds delay = backoff_delay(config_.retry, attempt, random_());
    if (!retry_after.empty()) {
      char* end = nullptr;
      const long seconds = std::strtol(retry_after.c_str(), &end, 10);
      if (end != retry_after.c_str() && seconds >= 0) delay = std::chrono::seconds(seconds);
    }
    if (clock_.steady_now() + delay > deadline) return result;
    log::warn("retrying Twilio request", {{"endpoint", request.endpoint},
                                          {"attempt", attempt + 1},
                                          {"status", http_status},
                                          {"error", result.status().message()},
                                          {"delay_ms", static_cast<int64_t>(delay.count())}});
    clock_.sleep_for(delay);
  }
}

Result<Json::Value> TwilioClient::create_conversation(const Params& conversation,
                                                      const std::vector<Binding>& bindings,
                                                      bool webhooks_enabled) {
  TwilioRequest request{"conversation_with_participants.create",
                        "conversations",
                        "POST",
                        "/v1/ConversationWithParticipants",
                        conversation,
                        {},
                        true};
  for (const Binding& binding : bindings) {
    Json::Value participant(Json::objectValue);
    participant["messaging_binding"]["address"] = binding.address;
    participant["messaging_binding"]["proxy_address"] = binding.proxy_address;
    if (!binding.attributes.empty()) participant["attributes"] = binding.attributes;
    request.form.emplace_back("Participant", to_json_text(participant));
  }
  if (webhooks_enabled) request.headers.emplace_back("X-Twilio-Webhook-Enabled", "true");
  return send(request);
}

Result<Json::Value> TwilioClient::fetch_conversation(const std::string& sid_or_unique_name) {
  return send({"conversations.fetch",
               "conversations",
               "GET",
               "/v1/Conversations/" + path_segment(sid_or_unique_name),
               {},
               {},
               true});
}

Result<Json::Value> TwilioClient::add_participant(const std::string& conversation_sid,
                                                  const Binding& binding) {
  Params form = {{"MessagingBinding.Address", binding.address},
                 {"MessagingBinding.ProxyAddress", binding.proxy_address}};
  if (!binding.attributes.empty()) form.emplace_back("Attributes", binding.attributes);
  return send({"participants.create",
               "conversations",
               "POST",
               "/v1/Conversations/" + path_segment(conversation_sid) + "/Participants",
               std::move(form),
               {},
               true});
}

Result<std::vector<Json::Value>> TwilioClient::list_participants(
    const std::string& conversation_sid) {
  std::vector<Json::Value> participants;
  TwilioRequest request{"participants.list",
                        "conversations",
                        "GET",
                        "/v1/Conversations/" + path_segment(conversation_sid) + "/Participants",
                        {{"PageSize", "100"}},
                        {},
                        true};
  while (true) {
    auto page = send(request);
    if (!page) return page.status();
    for (const Json::Value& participant : (*page)["participants"])
      participants.push_back(participant);
    const Json::Value& next = (*page)["meta"]["next_page_url"];
    if (!next.isString() || next.asString().empty()) break;
    // next_page_url is absolute; follow it verbatim below this product's base.
    const std::string base = url("conversations", "");
    const std::string target = next.asString();
    if (target.rfind(base, 0) != 0) break;
    const std::string rest = target.substr(base.size());
    const size_t question = rest.find('?');
    request.path = rest.substr(0, question);
    request.form =
        question == std::string::npos ? Params() : decode_form(rest.substr(question + 1));
  }
  return participants;
}

Status TwilioClient::send_until_gone(const TwilioRequest& request) {
  auto result = send(request);
  if (!result && result.status().code() == StatusCode::kNotFound) return Status::ok();
  return result.status();
}

Status TwilioClient::remove_participant(const std::string& conversation_sid,
                                        const std::string& participant_sid) {
  return send_until_gone({"participants.delete",
                          "conversations",
                          "DELETE",
                          "/v1/Conversations/" + path_segment(conversation_sid) + "/Participants/" +
                              path_segment(participant_sid),
                          {},
                          {},
                          true});
}

Status TwilioClient::delete_conversation(const std::string& sid_or_unique_name) {
  return send_until_gone({"conversations.delete",
                          "conversations",
                          "DELETE",
                          "/v1/Conversations/" + path_segment(sid_or_unique_name),
                          {},
                          {},
                          true});
}

Status TwilioClient::delete_message(const std::string& conversation_sid,
                                    const std::string& message_sid) {
  return send_until_gone({"messages.delete",
                          "conversations",
                          "DELETE",
                          "/v1/Conversations/" + path_segment(conversation_sid) + "/Messages/" +
                              path_segment(message_sid),
                          {},
                          {},
                          true});
}

Result<Json::Value> TwilioClient::add_message(const std::string& conversation_sid,
                                              const std::string& author, const std::string& body) {
  return send({"messages.create",
               "conversations",
               "POST",
               "/v1/Conversations/" + path_segment(conversation_sid) + "/Messages",
               {{"Author", author}, {"Body", body}},
               {{"X-Twilio-Webhook-Enabled", "true"}},
               false});
}

Status TwilioClient::close_conversation(const std::string& sid_or_unique_name) {
  auto result = send({"conversations.update",
                      "conversations",
                      "POST",
                      "/v1/Conversations/" + path_segment(sid_or_unique_name),
                      {{"State", "closed"}},
                      {},
                      true});
  if (!result && (result.status().code() == StatusCode::kNotFound ||
                  result.status().api_code() == error::kConversationClosed)) {
    return Status::ok();  // gone or closed already: nothing left to do
  }
  return result.status();
}

Result<Json::Value> TwilioClient::create_call(const Params& params) {
  return send({"calls.create",
               "api",
               "POST",
               "/2010-04-01/Accounts/" + config_.account_sid + "/Calls.json",
               params,
               {},
               false});
}

Result<Json::Value> TwilioClient::send_message(const Params& params) {
  return send({"messages.create",
               "api",
               "POST",
               "/2010-04-01/Accounts/" + config_.account_sid + "/Messages.json",
               params,
               {},
               false});
}

Status TwilioClient::update_call(const std::string& call_sid, const Params& params) {
  return send_until_gone(
      {"calls.update",
       "api",
       "POST",
       "/2010-04-01/Accounts/" + config_.account_sid + "/Calls/" + path_segment(call_sid) + ".json",
       params,
       {},
       true});
}

}  // namespace mc::twilio
