#include "store/sqlite/change_signal.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace mc::store::sqlite {
namespace {

constexpr size_t kMappingBytes = 4096;
static_assert(std::atomic_ref<uint64_t>::is_always_lock_free,
              "a counter shared between processes must be lock-free");

}  // namespace

Result<std::unique_ptr<ChangeSignal>> ChangeSignal::open(const std::string& database_path) {
  const std::string path = database_path + "-bindings";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::unavailable("opening " + path + ": " + std::strerror(errno));
  // Growing a file only ever adds zeros, so processes racing here all see a valid counter.
  if (::ftruncate(fd, kMappingBytes) != 0) {
    const int error = errno;
    ::close(fd);
    return Status::unavailable("sizing " + path + ": " + std::strerror(error));
  }
  void* mapping = ::mmap(nullptr, kMappingBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int error = errno;
  ::close(fd);  // the mapping keeps the file
  if (mapping == MAP_FAILED) {
    return Status::unavailable("mapping " + path + ": " + std::strerror(error));
  }
  return std::unique_ptr<ChangeSignal>(new ChangeSignal(static_cast<uint64_t*>(mapping)));
}

ChangeSignal::~ChangeSignal() { ::munmap(counter_, kMappingBytes); }

uint64_t ChangeSignal::value() const {
  return std::atomic_ref<uint64_t>(*counter_).load(std::memory_order_acquire);
}

void ChangeSignal::bump() {
  std::atomic_ref<uint64_t>(*counter_).fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace mc::store::sqlite
