#include "modules/hotline/hotline_lookup.h"

#include "core/log.h"

namespace mc::modules::hotline {

std::optional<mc::hotline::HotlineRecord> hotline_at(mc::hotline::HotlineDirectory& directory,
                                                     const std::string& number) {
  auto hotline = directory.find_by_number(number);
  if (!hotline) {
    log::error("hotline lookup failed", {{"error", hotline.status().message()}});
    return std::nullopt;
  }
  return std::move(hotline).value();
}

}  // namespace mc::modules::hotline
