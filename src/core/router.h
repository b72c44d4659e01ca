// Method + path-pattern routing. Patterns are literal segments and `{Name}` parameters,
// e.g. "/v1/Services/{ServiceSid}/Sessions/{Sid}". A path that matches no pattern is a 404; a
// path that matches a pattern but not its method is a 405 whose Allow header lists the
// methods that pattern has.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/request.h"
#include "core/response.h"

namespace mc {

// Who may call a route; enforced by the Application before the handler runs.
enum class Access {
  kOperator,  // /healthz, /metrics: nginx restricts them to local clients
  kApi,       // the business's backend: requires REMOTE_USER set by nginx's basic auth
  kWebhook,   // Twilio: requires a valid X-Twilio-Signature (Application::set_webhook_check)
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  Handler handler;
};

class Router {
 public:
  struct Match {
    const Route* route = nullptr;  // null: no route for this method and path
    Params params;                 // path parameters of the matched route
    std::string allow;             // when route is null: "GET, POST" if the path exists (405)
  };

  // Adds a route. A malformed pattern (not starting with '/', an unclosed '{', an empty
  // parameter name) or a duplicate method+pattern is a programming error reported by
  // throwing std::invalid_argument at start-up.
  void add(std::string method, std::string pattern, Access access, Handler handler);

  // Thread-safe once start-up has finished adding routes.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter name
    bool is_param = false;
  };
  struct CompiledPattern {
    std::vector<Segment> segments;
  };

  static CompiledPattern compile(const std::string& pattern);
  static bool matches(const CompiledPattern& pattern, const std::vector<std::string_view>& parts,
                      Params* params);

  std::vector<Route> routes_;
  std::vector<CompiledPattern> patterns_;  // parallel to routes_
};

// Splits "/a/b/" into {"a", "b"}; a trailing slash is ignored, empty segments are kept.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace mc
