// X-Twilio-Signature: Base64(HMAC-SHA1(auth token, URL + parameters)), as Twilio signs every
// webhook. The sandbox signs with it; the worker validates with it.
#pragma once

#include <string>
#include <string_view>

#include "core/params.h"

namespace mc::twilio {

// The string Twilio signs for a form POST: the URL, then for each parameter name in byte
// order its distinct values in byte order, each appended as name + value (the rule of the
// current helper libraries).
std::string signing_string(std::string_view url, const Params& params);

// The signature of a form POST (`params`: the decoded body) or of a GET (`params` empty,
// the query being part of `url`).
std::string compute_signature(std::string_view auth_token, std::string_view url,
                              const Params& params);

// Lower-case hex SHA-256, for the bodySHA256 of JSON webhooks.
std::string sha256_hex(std::string_view data);

// The URL with any port removed, and the URL with the scheme's default port added when it
// has none: the two forms the official validators accept.
std::string url_without_port(std::string_view url);
std::string url_with_port(std::string_view url);

// Checks a webhook signature as the official validators do: accepted when it matches the
// URL without its port or with its default port. For a JSON body the URL must carry
// bodySHA256=<hex SHA-256 of the body>; the signature then covers the URL alone and the
// hash must match the body. Comparisons are constant-time. `url` is the public URL Twilio
// requested (configured scheme and host + the raw request URI), never what a proxy saw.
bool validate_signature(std::string_view auth_token, std::string_view signature,
                        std::string_view url, const Params& form_params, std::string_view body,
                        bool json_body);

}  // namespace mc::twilio
