//===- UiCallInThreadCheck.h - uisan-ui-call-in-thread ---------*- C++ -*-===//
#ifndef UISAN_CHECKER_UICALLINTHREADCHECK_H
#define UISAN_CHECKER_UICALLINTHREADCHECK_H

#include "UisanCheck.h"

namespace uisan::tidy {

/// How the UI-call query runs (the check's options).
struct UiCallOptions {
  /// Calls followed from a thread's entry; 0: only the entry's own body.
  unsigned MaxDepth = 256;
  /// UI calls of one function reported as warnings; the rest are counted
  /// in a note on the last of them. 0: every call is a warning.
  unsigned MaxCallsPerFunction = 3;
  /// Functions with UI calls reported per thread entry (nearest first);
  /// the last says how many more it reaches. 0: all of them.
  unsigned MaxFunctionsPerEntry = 3;
};

/// The UI calls that can run on threads the program starts: reachable from
/// a spawner's callable or a worker override through direct calls, virtual
/// calls (every override) and calls of callable values (whatever the slot
/// can hold), one warning per call (a few per function), the path in notes.
void findUiCallsInThreads(const ProgramModel &Program, const UiCallOptions &O,
                          SuppressedFn Suppressed, std::vector<Finding> &Out);

/// The timer starts (a pack's affinity.needs_event_loop) that can run on
/// a thread without an event loop: the same walk as the UI calls', from
/// spawned threads, worker overrides that never run exec() and declared
/// worker entries (not from slots of moved objects, whose QThread runs one).
void findTimersWithoutEventLoop(const ProgramModel &Program,
                                const UiCallOptions &O, SuppressedFn Suppressed,
                                std::vector<Finding> &Out);

/// A check that walks the program from its thread entries (the options
/// are the walk's); `Query` says what it reports on the way.
class ThreadWalkCheck : public UisanCheck {
public:
  using QueryFn = void (*)(const ProgramModel &, const UiCallOptions &,
                           SuppressedFn, std::vector<Finding> &);
  ThreadWalkCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context,
                  QueryFn Run);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void findings(const ProgramModel &Program, SuppressedFn Suppressed,
                std::vector<Finding> &Out) const override;

private:
  const UiCallOptions Walk;
  const QueryFn Run;
};

/// Finds UI calls (per the rule packs) that can run on a worker thread.
///
/// Docs: docs/checks/uisan-ui-call-in-thread.md
class UiCallInThreadCheck : public ThreadWalkCheck {
public:
  UiCallInThreadCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : ThreadWalkCheck(Name, Context, findUiCallsInThreads) {}
};

/// Finds timers started on threads that run no event loop.
///
/// Docs: docs/checks/uisan-timer-without-event-loop.md
class TimerWithoutEventLoopCheck : public ThreadWalkCheck {
public:
  TimerWithoutEventLoopCheck(llvm::StringRef Name,
                             clang::tidy::ClangTidyContext *Context)
      : ThreadWalkCheck(Name, Context, findTimersWithoutEventLoop) {}
};

} // namespace uisan::tidy

#endif
