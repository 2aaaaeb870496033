//===- UisanTidyModule.cpp - the uisan checks as a clang-tidy module ------===//
//
// Registered under "uisan-module"; the same object code is linked into
// uisan-tidy and into the plugin loaded with `clang-tidy --load`.
//
//===----------------------------------------------------------------------===//

#include "UisanChecks.h"
#include "UiCallInThreadCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace uisan::tidy {

/// The clang-tidy module that owns every uisan-* check.
class UisanTidyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<UiCallInThreadCheck>("uisan-ui-call-in-thread");
  }
};

static clang::tidy::ClangTidyModuleRegistry::Add<UisanTidyModule>
    X("uisan-module", "Threading checks for UI applications.");

const std::vector<CheckInfo> &uisanChecks() {
  static const std::vector<CheckInfo> Checks = {
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
