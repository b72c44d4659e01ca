// Status and Result<T>: how errors cross every boundary in masked-comms (modules, services,
// stores, the Twilio client). Exceptions stay inside a unit; what leaves it is a value.
#pragma once

#include <cassert>
#include <iosfwd>
#include <string>
#include <utility>
#include <variant>

namespace mc {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // the caller sent something wrong (HTTP 400)
  kUnauthenticated,     // no or bad credentials (401)
  kPermissionDenied,    // credentials fine, action refused; forged webhooks (403)
  kNotFound,            // (404)
  kConflict,            // the request conflicts with current state (409)
  kPayloadTooLarge,     // (413)
  kResourceExhausted,   // rate limits, quotas (429)
  kFailedPrecondition,  // the system is not in a state to do this (409)
  kAborted,             // lost a race with a concurrent writer; retrying may succeed (409)
  kUnavailable,         // a dependency (Twilio, the store) failed; may succeed later (503)
  kDeadlineExceeded,    // a dependency took too long (504)
  kInternal,            // a bug or an impossible state (500)
};

// A success, or an error with a code, a message meant for the client or operator, an
// optional stable numeric API code (shown to clients in Twilio's error shape) and the HTTP
// status it maps to. Cheap to copy when ok.
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, int api_code = 0)
      : code_(code), message_(std::move(message)), api_code_(api_code) {}

  static Status ok() { return {}; }
  static Status invalid_argument(std::string m, int api_code = 0) {
    return {StatusCode::kInvalidArgument, std::move(m), api_code};
  }
  static Status unauthenticated(std::string m, int api_code = 0) {
    return {StatusCode::kUnauthenticated, std::move(m), api_code};
  }
  static Status permission_denied(std::string m, int api_code = 0) {
    return {StatusCode::kPermissionDenied, std::move(m), api_code};
  }
  static Status not_found(std::string m, int api_code = 0) {
    return {StatusCode::kNotFound, std::move(m), api_code};
  }
  static Status conflict(std::string m, int api_code = 0) {
    return {StatusCode::kConflict, std::move(m), api_code};
  }
  static Status resource_exhausted(std::string m, int api_code = 0) {
    return {StatusCode::kResourceExhausted, std::move(m), api_code};
  }
  static Status failed_precondition(std::string m, int api_code = 0) {
    return {StatusCode::kFailedPrecondition, std::move(m), api_code};
  }
  static Status aborted(std::string m, int api_code = 0) {
    return {StatusCode::kAborted, std::move(m), api_code};
  }
  static Status unavailable(std::string m, int api_code = 0) {
    return {StatusCode::kUnavailable, std::move(m), api_code};
  }
  static Status deadline_exceeded(std::string m, int api_code = 0) {
    return {StatusCode::kDeadlineExceeded, std::move(m), api_code};
  }
  static Status internal(std::string m, int api_code = 0) {
    return {StatusCode::kInternal, std::move(m), api_code};
  }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The stable numeric code clients see; 0 when none was assigned.
  int api_code() const { return api_code_; }
  // The HTTP status a client should get for this error (200 when ok).
  int http_status() const;
  // "INVALID_ARGUMENT: message" for logs.
  std::string to_string() const;

  // Returns a copy whose message is "prefix: message".
  Status annotate(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  int api_code_ = 0;
};

std::string_view status_code_name(StatusCode code);
std::ostream& operator<<(std::ostream& out, StatusCode code);

// A value of T or an error Status. Accessing value() of an error is a bug and asserts.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(state_).is_ok() && "a Result error must not be ok");
  }

  bool is_ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return is_ok(); }

  T& value() & {
    assert(is_ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(is_ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(is_ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; an ok Status when this holds a value.
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(state_);
  }

 private:
  std::variant<T, Status> state_;
};

}  // namespace mc
