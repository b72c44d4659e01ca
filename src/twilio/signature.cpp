#include "twilio/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace mc::twilio {
namespace {

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64(const unsigned char* data, size_t length) {
  std::string out(4 * ((length + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(length));
  out.resize(static_cast<size_t>(written));
  return out;
}

// Where the authority ("host[:port]") of an absolute URL starts and ends.
bool find_authority(std::string_view url, size_t* begin, size_t* end) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  *begin = scheme_end + 3;
  *end = url.find_first_of("/?#", *begin);
  if (*end == std::string_view::npos) *end = url.size();
  return true;
}

// The value of `name` in the URL's raw query, or "" (no decoding: hex digests need none).
std::string_view raw_query_value(std::string_view url, std::string_view name) {
  const size_t question = url.find('?');
  if (question == std::string_view::npos) return {};
  std::string_view query = url.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// HMAC-SHA1 of `message` under `key` into `digest` (EVP_MAX_MD_SIZE bytes). The one-shot
// HMAC() looks its algorithms up and derives the key's pads on every call, most of what a
// webhook's signature costs; this keeps one keyed context per thread and only re-keys when
// the key changes (one auth token per deployment). False when OpenSSL refuses (the caller
// then uses the one-shot).
bool hmac_sha1_with_kept_key(std::string_view key, std::string_view message, unsigned char* digest,
                             size_t* digest_length) {
  struct KeptKey {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* context = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    std::string key;
    bool keyed = false;
    ~KeptKey() {
      EVP_MAC_CTX_free(context);
      EVP_MAC_free(mac);
      OPENSSL_cleanse(key.data(), key.size());
    }
  };
  thread_local KeptKey kept;
  if (!kept.context) return false;
  bool ok = false;
  if (kept.keyed && kept.key == key) {
    ok = EVP_MAC_init(kept.context, nullptr, 0, nullptr) == 1;  // the same key, its pads kept
  } else {
    char digest_name[] = "SHA1";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    ok = EVP_MAC_init(kept.context, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                      params) == 1;
    OPENSSL_cleanse(kept.key.data(), kept.key.size());
    kept.key.assign(key);
  }
  kept.keyed = ok;
  ok = ok &&
       EVP_MAC_update(kept.context, reinterpret_cast<const unsigned char*>(message.data()),
                      message.size()) == 1 &&
       EVP_MAC_final(kept.context, digest, digest_length, EVP_MAX_MD_SIZE) == 1;
  if (!ok) kept.keyed = false;
  return ok;
}

}  // namespace

std::string signing_string(std::string_view url, const Params& params) {
  // Names in order, each name's values in order, a repeated (name, value) pair once: sorted
  // views into `params`, no per-request trees.
  std::vector<std::pair<std::string_view, std::string_view>> sorted;
  sorted.reserve(params.size());
  size_t length = url.size();
  for (const auto& [name, value] : params) {
    sorted.emplace_back(name, value);
    length += name.size() + value.size();
  }
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out;
  out.reserve(length);
  out += url;
  for (const auto& [name, value] : sorted) {
    out += name;
    out += value;
  }
  return out;
}

std::string compute_signature(std::string_view auth_token, std::string_view url,
                              const Params& params) {
  const std::string message = signing_string(url, params);
  unsigned char digest[EVP_MAX_MD_SIZE];
  size_t digest_length = 0;
  if (!hmac_sha1_with_kept_key(auth_token, message, digest, &digest_length)) {
    unsigned int length = 0;
    HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    digest_length = length;
  }
  return base64(digest, digest_length);
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof digest);
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

std::string url_without_port(std::string_view url) {
  size_t begin = 0, end = 0;
  if (!find_authority(url, &begin, &end)) return std::string(url);
  std::string_view authority = url.substr(begin, end - begin);
  const size_t at = authority.rfind('@');
  const size_t colon = authority.rfind(':');
  const size_t bracket = authority.rfind(']');  // IPv6 literals contain ':'
  if (colon == std::string_view::npos || (at != std::string_view::npos && colon < at) ||
      (bracket != std::string_view::npos && colon < bracket)) {
    return std::string(url);
  }
  std::string out(url.substr(0, begin + colon));
  out += url.substr(end);
  return out;
}

std::string url_with_port(std::string_view url) {
  size_t begin = 0, end = 0;
  if (!find_authority(url, &begin, &end)) return std::string(url);
  if (url_without_port(url) != url) return std::string(url);  // already has one
  std::string_view scheme = url.substr(0, begin - 3);
  const char* port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : nullptr;
  if (!port) return std::string(url);
  std::string out(url.substr(0, end));
  out += port;
  out += url.substr(end);
  return out;
}

bool validate_signature(std::string_view auth_token, std::string_view signature,
                        std::string_view url, const Params& form_params, std::string_view body,
                        bool json_body) {
  if (auth_token.empty() || signature.empty()) return false;
  static const Params kNoParams;
  const Params* signed_params = &form_params;
  bool body_ok = true;
  if (json_body) {
    const std::string_view expected = raw_query_value(url, "bodySHA256");
    body_ok = !expected.empty() && equal_constant_time(sha256_hex(body), expected);
    signed_params = &kNoParams;
  }
  if (!body_ok) return false;
  // One HMAC for a genuine webhook: the second URL form is tried only when the first does not
  // match (both forms are public, so the timing tells an attacker nothing).
  return equal_constant_time(compute_signature(auth_token, url_without_port(url), *signed_params),
                             signature) ||
         equal_constant_time(compute_signature(auth_token, url_with_port(url), *signed_params),
                             signature);
}

}  // namespace mc::twilio
