// The FastCGI ceiling for benchmarks: a libfcgi responder that does nothing but answer a
// constant TwiML document, on the same threading model as the worker (N threads blocking in
// FCGX_Accept_r). Whatever a real route costs is measured against this.
//
//   bare-fcgi-responder SOCKET_PATH [THREADS (default 16)]
#include <fcgiapp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SOCKET_PATH [THREADS]\n", argv[0]);
    return 2;
  }
  const int threads = argc > 2 ? std::atoi(argv[2]) : 16;
  // libfcgi installs a SIGTERM handler that only sets a flag (when none is set); ours ends
  // the process, which is all a benchmark helper needs.
  signal(SIGTERM, [](int) { _exit(0); });
  FCGX_Init();
  const int fd = FCGX_OpenSocket(argv[1], 1024);
  if (fd < 0) return 1;
  chmod(argv[1], 0660);
  static constexpr char kResponse[] =
      "Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 11\r\n\r\n<Response/>";
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([fd] {
      FCGX_Request request;
      FCGX_InitRequest(&request, fd, 0);
      while (FCGX_Accept_r(&request) >= 0) {
        FCGX_PutStr(kResponse, sizeof kResponse - 1, request.out);
        FCGX_Finish_r(&request);
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  return 0;
}
