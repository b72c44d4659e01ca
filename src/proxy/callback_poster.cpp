#include "proxy/callback_poster.h"

#include <algorithm>
#include <cctype>

#include "twilio/signature.h"

namespace mc::proxy {

Result<CallbackAnswer> CallbackPoster::post(const std::string& url, const Params& params,
                                            std::chrono::milliseconds timeout) const {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = encode_form(params);
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"X-Twilio-Signature", twilio::compute_signature(auth_token_, url, params)},
                     {"User-Agent", "TwilioProxy/1.1"}};
  request.timeout = timeout;
  request.connect_timeout = std::min(timeout, std::chrono::milliseconds(2000));
  auto response = http_.send(request);
  if (!response) return response.status();
  CallbackAnswer answer{response->status, "", std::move(response->body)};
  if (const std::string* type = response->header("content-type")) {
    answer.content_type = type->substr(0, type->find(';'));
    std::transform(answer.content_type.begin(), answer.content_type.end(),
                   answer.content_type.begin(), [](unsigned char c) { return std::tolower(c); });
    while (!answer.content_type.empty() && answer.content_type.back() == ' ') {
      answer.content_type.pop_back();
    }
  }
  return answer;
}

}  // namespace mc::proxy
