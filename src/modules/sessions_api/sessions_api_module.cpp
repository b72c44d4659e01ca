#include "modules/sessions_api/sessions_api_module.h"

#include <charconv>

#include "core/json_values.h"
#include "modules/sessions_api/create_request.h"
#include "sessions/session_json.h"
#include "sessions/session_service.h"

namespace mc::modules {
namespace {

constexpr size_t kMaxPageSize = 100;

Response invalid(const std::string& message) {
  return Response::error(400, sessions::api_code::kInvalidSession, message);
}

class SessionsApiModule final : public Module {
 public:
  std::string_view name() const override { return "sessions"; }

  Status check(const Context& context) override {
    return context.twilio ? Status::ok() : needs_twilio();
  }

  Status init(Context& context) override {
    if (!context.sessions) return needs_twilio();
    sessions_ = context.sessions;
    clock_ = &context.clock;
    return Status::ok();
  }

  void routes(Router& router) override {
    router.add("POST", "/sessions", Access::kApi, [this](Request& r) { return create(r); });
    router.add("GET", "/sessions", Access::kApi, [this](Request& r) { return list(r); });
    router.add("GET", "/sessions/{id}", Access::kApi, [this](Request& r) {
      auto session = sessions_->get(std::string(r.path_param("id")));
      if (!session) return Response::error(session.status());
      return Response::json(200, sessions::session_json(*session));
    });
    router.add("DELETE", "/sessions/{id}", Access::kApi, [this](Request& r) {
      auto session = sessions_->close(std::string(r.path_param("id")), "api");
      if (!session) return Response::error(session.status());
      return Response::json(200, sessions::session_json(*session));
    });
  }

 private:
  Response create(Request& request) {
    if (!request.content_type_is("application/json")) {
      return invalid("the request body must be JSON (Content-Type: application/json)");
    }
    if (!request.json) return invalid("the request body is not valid JSON: " + request.json_error);
    auto parsed = modules::sessions_api::parse_create_request(*request.json, clock_->now());
    if (!parsed) return Response::error(parsed.status());
    auto session = sessions_->create(*parsed);
    if (!session) return Response::error(session.status());
    Json::Value conversation;
    std::string error;
    parse_json_text(session->conversation, &conversation, &error);
    return Response::json(200, sessions::app_conversation_json(conversation));
  }

  Response list(Request& request) {
    static const std::vector<std::string> kStatuses = {"creating", "open", "in-progress", "closed",
                                                       "failed"};
    const std::string status(request.param("status"));
    if (!status.empty() &&
        std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
      return invalid("status must be one of creating, open, in-progress, closed, failed");
    }
    size_t page_size = 50;
    const std::string_view size_text = request.param("pageSize");
    if (!size_text.empty()) {
      auto [end, ec] =
          std::from_chars(size_text.data(), size_text.data() + size_text.size(), page_size);
      if (ec != std::errc() || end != size_text.data() + size_text.size() || page_size == 0 ||
          page_size > kMaxPageSize) {
        return invalid("pageSize must be a whole number from 1 to 100");
      }
    }
    auto page = sessions_->list(status, page_size, std::string(request.param("pageToken")));
    if (!page) {
      if (page.status().code() == StatusCode::kInvalidArgument)
        return invalid(page.status().message());
      return Response::error(page.status());
    }
    Json::Value body(Json::objectValue);
    body["sessions"] = Json::Value(Json::arrayValue);
    for (const store::SessionRecord& session : page->sessions) {
      body["sessions"].append(sessions::session_json(session));
    }
    body["meta"]["pageSize"] = static_cast<Json::UInt64>(page_size);
    body["meta"]["nextPageToken"] = text_or_null(page->next_token);
    body["meta"]["nextPageUrl"] = Json::Value(Json::nullValue);
    if (!page->next_token.empty()) {
      Params next = {{"pageSize", std::to_string(page_size)}, {"pageToken", page->next_token}};
      if (!status.empty()) next.insert(next.begin(), {"status", status});
      body["meta"]["nextPageUrl"] = "/sessions?" + encode_form(next);
    }
    return Response::json(200, body);
  }

  sessions::SessionService* sessions_ = nullptr;
  Clock* clock_ = nullptr;
};

}  // namespace

std::unique_ptr<Module> make_sessions_api_module() { return std::make_unique<SessionsApiModule>(); }

}  // namespace mc::modules
