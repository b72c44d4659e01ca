#include "core/response.h"

#include <json/reader.h>
#include <json/writer.h>

#include <memory>
#include <sstream>

#include "core/utf8.h"

namespace mc {

// Where the error codes are explained: the README shipped with every installation.
constexpr const char* kErrorCodesReference = "README.md#error-codes";

Response Response::json(int status, const Json::Value& body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = to_json_text(body);
  return response;
}

Response Response::text(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

Response Response::twiml(std::string document) {
  Response response;
  response.status = 200;
  response.content_type = "text/xml";
  response.body = std::move(document);
  return response;
}

Response Response::error(int http_status, int code, std::string_view message) {
  Json::Value body(Json::objectValue);
  const int api_code = code != 0 ? code : http_status;
  body["code"] = api_code;
  // Messages may quote what the client sent; the body stays valid JSON whatever it was.
  body["message"] = to_valid_utf8(message);
  body["more_info"] = kErrorCodesReference;
  body["status"] = http_status;
  return json(http_status, body);
}

Response Response::error(const Status& status) {
  return error(status.http_status(), status.api_code(), status.message());
}

Response& Response::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

std::string to_json_text(const Json::Value& value) {
  // StreamWriterBuilder is not cheap to configure; one writer per thread is reused.
  thread_local std::unique_ptr<Json::StreamWriter> writer = [] {
    Json::StreamWriterBuilder builder;
    builder["indentation"] = "";
    builder["emitUTF8"] = true;
    return std::unique_ptr<Json::StreamWriter>(builder.newStreamWriter());
  }();
  std::ostringstream out;
  writer->write(value, &out);
  return out.str();
}

namespace {

// Whether every string (member names included) inside `value` is valid UTF-8. Checked after
// parsing because \u escapes can spell a lone surrogate that raw-text checks cannot see.
bool strings_are_utf8(const Json::Value& value) {
  if (value.isString()) {
    const char* begin = nullptr;
    const char* end = nullptr;
    value.getString(&begin, &end);
    return is_valid_utf8(std::string_view(begin, static_cast<size_t>(end - begin)));
  }
  if (value.isArray()) {
    for (const Json::Value& item : value) {
      if (!strings_are_utf8(item)) return false;
    }
  } else if (value.isObject()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!is_valid_utf8(it.name()) || !strings_are_utf8(*it)) return false;
    }
  }
  return true;
}

}  // namespace

bool parse_json_text(std::string_view text, Json::Value* out, std::string* error) {
  thread_local std::unique_ptr<Json::CharReader> reader = [] {
    Json::CharReaderBuilder builder;
    Json::CharReaderBuilder::strictMode(&builder.settings_);
    builder["failIfExtra"] = true;
    builder["rejectDupKeys"] = false;
    builder["stackLimit"] = kMaxJsonDepth;
    return std::unique_ptr<Json::CharReader>(builder.newCharReader());
  }();
  const auto fail = [&](std::string message) {
    if (error) *error = std::move(message);
    return false;
  };
  std::string errors;
  bool ok = false;
  try {
    ok = reader->parse(text.data(), text.data() + text.size(), out, &errors);
  } catch (const std::exception&) {
    // jsoncpp throws (rather than reporting) when nesting exceeds stackLimit.
    *out = Json::Value();
    return fail("JSON nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
  }
  if (!ok) {
    while (!errors.empty() && (errors.back() == '\n' || errors.back() == ' ')) errors.pop_back();
    return fail(errors.empty() ? "malformed JSON" : to_valid_utf8(errors));
  }
  if (!strings_are_utf8(*out)) {
    *out = Json::Value();
    return fail("JSON text is not valid UTF-8");
  }
  return true;
}

}  // namespace mc
