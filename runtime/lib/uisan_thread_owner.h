// uisan_thread_owner.h - whose thread is it: the app's, or a library's?
//
// GLib, GIO, dconf, Mesa and the toolkits start threads for themselves
// (`gmain`, `gdbus`, `dconf worker`, `pool-<prgname>`, `llvmpipe-N`) and
// never join them by design; only threads the program's own code started
// can leak. The creation stack decides: a thread is the app's when the
// first frame outside the runtime is in the app's own modules, when the
// app called straight into the library function that created it
// (`std::thread`, `QThread::start`), or when the library function the app
// called is a spawner a rule pack lists (`g_thread_new`). Packs may still
// name library-owned threads, by thread name or by a function of the
// creation stack, for the cases that rule gets wrong.
#ifndef UISAN_THREAD_OWNER_H
#define UISAN_THREAD_OWNER_H

#include "uisan_stacktrace.h"

#include <cstddef>

namespace uisan {

/// What uisan-run takes from the rule packs for this decision
/// (UISAN_THREAD_SPEC). Text format, one item a line:
///   spawner PATTERN                 a call that starts a thread for its caller
///   library-thread-name PATTERN     a thread name ('*' and '?' wildcards)
///   library-thread-creator PATTERN  a function on the creation stack
/// Fixed capacity, no allocation: parsed in libuisan's constructor.
class ThreadSpec {
public:
  static constexpr int kMaxEntries = 256;
  enum class Kind : unsigned char { Spawner, LibraryName, LibraryCreator };

  /// Parses `text` (nullptr: empty). False with "line N: why" in `error`
  /// on a bad line; the lines before it stay in effect.
  bool parse(const char *text, char *error, size_t error_cap);
  int size() const { return count_; }
  /// True when a `kind` entry matches `name`.
  bool matches(Kind kind, const char *name) const;

private:
  struct Entry {
    Kind kind;
    char pattern[127];
  };
  Entry entries_[kMaxEntries];
  int count_; // zero-initialised: no constructor runs after libuisan's own
};

/// How one frame of a creation stack is classified; supplied by the caller
/// (the process's modules in libuisan, a table in tests).
struct FrameOracle {
  /// True when the frame at `pc` is in the app's own code.
  bool (*is_app)(const void *self, uintptr_t pc);
  /// The qualified name of the exported function containing `pc`
  /// ("g_thread_new", "QThreadPool::start") into `out`; false if unknown.
  bool (*function)(const void *self, uintptr_t pc, char *out, size_t cap);
  const void *self;
};

/// The verdict, and why (for verbosity=1 and the tests).
enum class ThreadOwner {
  App,            ///< created right in the app's code, or by a library call it made
  AppSpawner,     ///< the app called a pack-listed spawner
  Library,        ///< no app frame, or the app called something that is no spawner
  LibraryByName,  ///< a pack names the thread
  LibraryByCreator, ///< a pack names a function of its creation stack
  Unknown,        ///< no creation stack (creation_stack_depth=0): the app's
};

/// Decides who owns a thread created at `created` and now named `name`
/// (may be empty).
ThreadOwner threadOwner(const StackTrace &created, const char *name, const ThreadSpec &spec,
                        const FrameOracle &frames);

/// True for the verdicts that make the thread the app's.
inline bool ownedByApp(ThreadOwner owner) {
  return owner == ThreadOwner::App || owner == ThreadOwner::AppSpawner ||
         owner == ThreadOwner::Unknown;
}

const char *threadOwnerName(ThreadOwner owner);

/// The FrameOracle of this process: classifyAddress() and dladdr().
FrameOracle processFrameOracle();

} // namespace uisan

#endif
