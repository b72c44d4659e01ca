#include "modules/sessions_api/sessions_api_module.h"

#include <algorithm>
#include <charconv>

#include "core/json_values.h"
#include "messages/message_log.h"
#include "modules/sessions_api/create_request.h"
#include "sessions/session_json.h"
#include "sessions/session_service.h"

namespace mc::modules {
namespace {

constexpr size_t kMaxPageSize = 100;

Response invalid(const std::string& message) {
  return Response::error(400, sessions::api_code::kInvalidSession, message);
}

// A page that could not be read: a bad pageToken is the client's 400, anything else the
// store's.
Response page_error(const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument) return invalid(status.message());
  return Response::error(status);
}

// pageSize (1 to kMaxPageSize, default 50), or the 400 that says what is wrong with it.
Result<size_t> page_size_of(const Request& request) {
  size_t page_size = 50;
  const std::string_view size_text = request.param("pageSize");
  if (size_text.empty()) return page_size;
  auto [end, ec] =
      std::from_chars(size_text.data(), size_text.data() + size_text.size(), page_size);
  if (ec != std::errc() || end != size_text.data() + size_text.size() || page_size == 0 ||
      page_size > kMaxPageSize) {
    return Status::invalid_argument("pageSize must be a whole number from 1 to 100",
                                    sessions::api_code::kInvalidSession);
  }
  return page_size;
}

// The page's meta: its size, and the token and URL of the next page (null on the last).
Json::Value page_meta(size_t page_size, const std::string& next_token, const std::string& path,
                      Params next_params) {
  Json::Value meta(Json::objectValue);
  meta["pageSize"] = static_cast<Json::UInt64>(page_size);
  meta["nextPageToken"] = text_or_null(next_token);
  meta["nextPageUrl"] = Json::Value(Json::nullValue);
  if (!next_token.empty()) {
    next_params.emplace_back("pageSize", std::to_string(page_size));
    next_params.emplace_back("pageToken", next_token);
    meta["nextPageUrl"] = path + "?" + encode_form(next_params);
  }
  return meta;
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
    messages_ = context.messages;
    store_ = context.store;
    clock_ = &context.clock;
    return Status::ok();
  }

  void routes(Router& router) override {
    router.add("POST", "/sessions", Access::kApi, [this](Request& r) { return create(r); });
    router.add("GET", "/sessions", Access::kApi, [this](Request& r) { return list(r); });
    router.add("GET", "/sessions/{id}", Access::kApi, [this](Request& r) {
      auto session = sessions_->get(std::string(r.path_param("id")));
      if (!session) return Response::error(session.status());
      Json::Value body = sessions::session_json(*session);
      // Each participant says whether they opted out of texts from their proxy number.
      auto opted = store_->opted_out_participants(session->id);
      if (!opted) return Response::error(opted.status());
      for (Json::Value& p : body["participants"]) {
        p["optedOut"] =
            std::find(opted->begin(), opted->end(), p["address"].asString()) != opted->end();
      }
      return Response::json(200, body);
    });
    router.add("GET", "/sessions/{id}/messages", Access::kApi,
               [this](Request& r) { return messages(r); });
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
    auto size = page_size_of(request);
    if (!size) return invalid(size.status().message());
    const size_t page_size = *size;
    auto page = sessions_->list(status, page_size, std::string(request.param("pageToken")));
    if (!page) return page_error(page.status());
    Json::Value body(Json::objectValue);
    body["sessions"] = Json::Value(Json::arrayValue);
    for (const store::SessionRecord& session : page->sessions) {
      body["sessions"].append(sessions::session_json(session));
    }
    Params filters;
    if (!status.empty()) filters.emplace_back("status", status);
    body["meta"] = page_meta(page_size, page->next_token, "/sessions", filters);
    return Response::json(200, body);
  }

  // GET /sessions/{id}/messages: the session's message log, oldest first, paged as
  // GET /sessions is.
  Response messages(Request& request) {
    if (messages_ == nullptr) return Response::error(Status::unavailable("no message log"));
    auto size = page_size_of(request);
    if (!size) return invalid(size.status().message());
    const std::string id(request.path_param("id"));
    auto page = messages_->list(id, *size, std::string(request.param("pageToken")));
    if (!page) return page_error(page.status());
    Json::Value body(Json::objectValue);
    body["messages"] = Json::Value(Json::arrayValue);
    for (const store::MessageRecord& m : page->messages) {
      body["messages"].append(sessions::message_json(m));
    }
    body["meta"] = page_meta(*size, page->next_token, "/sessions/" + id + "/messages", {});
    return Response::json(200, body);
  }

  sessions::SessionService* sessions_ = nullptr;
  messages::MessageLog* messages_ = nullptr;
  store::Store* store_ = nullptr;
  Clock* clock_ = nullptr;
};

}  // namespace

std::unique_ptr<Module> make_sessions_api_module() { return std::make_unique<SessionsApiModule>(); }

}  // namespace mc::modules
