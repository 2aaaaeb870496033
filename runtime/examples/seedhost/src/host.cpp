#include "host_internal.h"
#include "seed/host.h"

#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>
#include <exception>
#include <pthread.h>
#include <thread>

namespace seedhost {

st::scriptrunner::ScriptRunContext *&currentContext() {
  static thread_local st::scriptrunner::ScriptRunContext *ctx = nullptr;
  return ctx;
}

namespace {
std::atomic<int> g_next_session{1};

/// Every context ever created stays reachable: a leaked worker may still
/// hold one (that is the bug uisan reports), and LeakSanitizer must not.
std::mutex g_contexts_mu;
std::deque<st::scriptrunner::ScriptRunContext> *g_contexts =
    new std::deque<st::scriptrunner::ScriptRunContext>;

st::scriptrunner::ScriptRunContext *newContext(int session, int run) {
  std::lock_guard<std::mutex> lock(g_contexts_mu);
  g_contexts->push_back({session, run, 0});
  return &g_contexts->back();
}

// Report SUMMARY lines should point at page code, not at this host.
const int g_declared = (uisan_declare_framework(reinterpret_cast<const void *>(&currentContext)), 0);
} // namespace

} // namespace seedhost

namespace st {
namespace scriptrunner {

ScriptRunContext *get_script_run_ctx() { return seedhost::currentContext(); }

} // namespace scriptrunner
} // namespace st

namespace seed {
namespace host {

Session::Session() : id_(seedhost::g_next_session++), runs_(0) {}

void Session::run(const std::function<void()> &page) {
  int run = ++runs_;
  int session = id_;
  std::thread script([&page, run, session] {
    pthread_setname_np(pthread_self(), "ScriptRunner");
    st::scriptrunner::ScriptRunContext *ctx = seedhost::newContext(session, run);
    ctx->handle = uisan_run_begin(static_cast<uint64_t>(session));
    seedhost::currentContext() = ctx;
    try {
      page();
    } catch (const std::exception &e) {
      std::fprintf(stderr, "[session %d run %d] uncaught exception in page: %s\n",
                   session, run, e.what());
    }
    seedhost::currentContext() = nullptr;
    uisan_run_end(ctx->handle);
  });
  script.join();
}

} // namespace host
} // namespace seed
