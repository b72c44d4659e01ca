#include "store/records.h"

namespace mc::store {

bool is_final_call_status(const std::string& status) {
  return status == "completed" || status == "busy" || status == "failed" || status == "no-answer" ||
         status == "canceled";
}

}  // namespace mc::store
