//===- UisanTidyModule.cpp - the uisan checks as a clang-tidy module ------===//
//
// Registered under "uisan-module"; the same object code is linked into
// uisan-tidy and into the plugin loaded with `clang-tidy --load`.
//
//===----------------------------------------------------------------------===//

#include "UisanChecks.h"
#include "ContextEscapeCheck.h"
#include "ExecutorNotShutdownCheck.h"
#include "UiCallInThreadCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace uisan::tidy {

/// The clang-tidy module that owns every uisan-* check.
class UisanTidyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<ContextEscapeCheck>("uisan-context-escape");
    Factories.registerCheck<ExecutorNotShutdownCheck>(
        "uisan-executor-not-shutdown");
    Factories.registerCheck<TimerWithoutEventLoopCheck>(
        "uisan-timer-without-event-loop");
    Factories.registerCheck<UiCallInThreadCheck>("uisan-ui-call-in-thread");
  }
};

static clang::tidy::ClangTidyModuleRegistry::Add<UisanTidyModule>
    X("uisan-module", "Threading checks for UI applications.");

const std::vector<CheckInfo> &uisanChecks() {
  static const std::vector<CheckInfo> Checks = {
      {"uisan-context-escape",
       "Run context attached to a thread that can outlive the run",
       "A thread gets the script run's context (add_script_run_ctx or a "
       "pack's equivalent) but is detached, stored, moved out or not joined "
       "on some path before the function that owns the run returns. A "
       "leaked context lets the thread write into a later run or another "
       "user's session. Join it on every path."},
      {"uisan-executor-not-shutdown",
       "Thread, pool or scheduler not joined or shut down",
       "A std::thread, QThread, thread pool, scheduler or a pack's executor "
       "can leave its owner while it still runs: a local left on some path "
       "(return, throw, break) without join or shutdown, a heap one nobody "
       "stops, one created in a per-run or per-event function, or a member "
       "its class never stops. Join or shut it down on every path."},
      {"uisan-timer-without-event-loop",
       "Timer started on a thread without an event loop",
       "A QTimer is started, QTimer::singleShot called or QObject::startTimer "
       "used on a thread that runs no Qt event loop (a std::thread, a "
       "pthread, a pool's runnable, a library's callback thread, a "
       "QThread::run override that never calls exec()), directly or through "
       "helper functions. The timer never fires. Start it in a QThread that "
       "runs exec(), in an object moved to one, or on the GUI thread."},
      {"uisan-ui-call-in-thread",
       "UI call made on a worker thread",
       "A call that needs the UI thread (a widget method, a GTK call, an st:: "
       "command, per the rule packs) can run on a thread started by "
       "std::thread, QtConcurrent::run, g_thread_new or another spawner, "
       "directly or through helper functions. Marshal it back to the UI "
       "thread instead."},
  };
  return Checks;
}

// Referenced by uisan-tidy so that a static link keeps this registration.
volatile int UisanTidyModuleAnchorSource = 0;

} // namespace uisan::tidy
