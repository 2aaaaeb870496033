// uisan_report.h - the report model: what was found, with symbolized
// stacks, independent of how it is printed (text or JSON).
#ifndef UISAN_REPORT_H
#define UISAN_REPORT_H

#include <cstddef>
#include <cstdint>

namespace uisan {

/// The kinds of finding; the names are a user-facing contract.
enum class ReportKind {
  UiCallOffThread,
  ContextLeak,
  StaleContext,
  ThreadLeak,
  ExecutorLeak,
};
constexpr int kNumReportKinds = 5;

const char *reportKindName(ReportKind kind);
bool parseReportKind(const char *name, size_t len, ReportKind &out);

/// One symbolized frame. `origin_user` is true for the user's own code
/// (not the runtime, a system library or a declared framework).
struct Frame {
  uintptr_t pc;
  char function[256];
  char file[256];
  int line;
  char module[256];
  uintptr_t module_offset;
  bool origin_user;
};

constexpr int kMaxReportFrames = 48;

/// A symbolized stack, innermost first.
struct Stack {
  Frame frames[kMaxReportFrames];
  int size;
};

/// A thread as reports describe it.
struct ThreadDesc {
  uint64_t uid;        // T<uid>
  uint64_t parent_uid; // valid when has_parent
  bool has_parent;
  bool is_main;
  bool external; // not started through pthread_create under uisan
  bool running;  // false: finished
  char name[32];
  Stack created; // empty for main/external threads
};

/// A further UI call grouped into a report: the same function on the same
/// stack of the same thread, or the destructor of the object whose
/// construction is the report.
struct MoreCall {
  char what[160];
  char function[160];
  char file[256];
  int line;
  bool destructor_of_reported;
};
constexpr int kMaxMoreCalls = 8;

/// When a thread-leak was found.
enum class LeakWhen { RunEnd, Exit };

/// One report. `stack` is the offending stack: the UI call for
/// ui-call-off-thread and stale-context, the creation stack for the leaks.
struct Report {
  ReportKind kind;
  int pid;
  char what[256]; // UI call name, or executor kind
  ThreadDesc thread;
  Stack stack;
  uint64_t run_id; // the run concerned, 0 if none
  uint64_t session_id;
  bool run_known; // session_id and run_end are valid
  Stack run_end;  // where the run ended (stale-context, context-leak)
  LeakWhen leak_when;
  int linger_ms;
  uint64_t executor_id;
  int count; // reports grouped into this one (>= 1)
  // ui-call-off-thread into a toolkit (empty toolkit: the seed model's
  // context check).
  char toolkit[32];        // the pack's name
  char ui_thread_name[32]; // "GUI thread"
  char remedy[256];        // the pack's remedy
  uint64_t ui_thread_uid;  // valid when ui_thread_known
  bool ui_thread_known;
  int more_calls;          // further UI calls grouped into this one
  int more_listed;         // of them in `more`
  MoreCall more[kMaxMoreCalls];
  char program[256];       // the executable's path
  bool name_program;       // say it in the text too (follow_children: many programs log)

  void clear();
  /// The frame SUMMARY points at: the first user frame of `stack`, else its
  /// first frame; nullptr for an empty stack.
  const Frame *summaryFrame() const;
};

} // namespace uisan

#endif
