/* uisan.h - the uisan runtime's C API for frameworks and tests.
 *
 * A framework marks script runs (begin/end), hands their context to the
 * threads it starts, and declares its UI calls and executors. Every entry
 * point is a weak reference: when libuisan.so is not loaded (the app runs
 * without uisan-run) each call is a test of a null pointer, so a framework
 * can ship these calls in release builds.
 *
 * Context handles are run ids: 64-bit, never reused within a process, 0 means
 * "no context". A handle stays meaningful after its run ended, which is what
 * lets the runtime call a later use of it exactly a stale context.
 */
#ifndef UISAN_UISAN_H
#define UISAN_UISAN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t uisan_context_t;  /* 0: no context */

/* The wrappers are always inlined, even at -O0, so the stack the runtime
 * captures starts at the caller's own frame whatever the optimisation level
 * (report sites and SUMMARY lines depend on it). */
#define UISAN_INLINE static inline __attribute__((always_inline))

/* Keeps a wrapper's call out of tail position, so the caller's frame is on
 * the stack the runtime captures (a tail call would hide the caller). */
#define UISAN_NO_TAIL_CALL() __asm__ __volatile__("" ::: "memory")
typedef uint64_t uisan_executor_t; /* 0: not tracked */

/* Flags for uisan_set_next_thread(). */
#define UISAN_THREAD_DAEMON 1u /* never reported as leaked at run end */

/* The implementations, exported by libuisan.so. Call the uisan_* wrappers. */
uisan_context_t __uisan_run_begin(uint64_t session_id) __attribute__((weak));
void __uisan_run_end(uisan_context_t ctx) __attribute__((weak));
uisan_context_t __uisan_current_context(void) __attribute__((weak));
void __uisan_attach_context(uisan_context_t ctx) __attribute__((weak));
void __uisan_detach_context(void) __attribute__((weak));
void __uisan_set_next_thread(uisan_context_t ctx, unsigned flags) __attribute__((weak));
void __uisan_set_thread_daemon(int daemon) __attribute__((weak));
void __uisan_ui_call(const char *what) __attribute__((weak));
uisan_executor_t __uisan_executor_create(const char *kind) __attribute__((weak));
void __uisan_executor_shutdown(uisan_executor_t executor) __attribute__((weak));
void __uisan_declare_framework(const void *address_in_module) __attribute__((weak));

/* 1 when libuisan.so is loaded in this process. */
UISAN_INLINE int uisan_is_active(void) { return __uisan_ui_call != 0; }

/* Begins a script run of `session_id` on the calling thread: a new context is
 * created and attached to the calling thread, and every thread started
 * while it is attached counts as started during this run. */
UISAN_INLINE uisan_context_t uisan_run_begin(uint64_t session_id) {
  return __uisan_run_begin ? __uisan_run_begin(session_id) : 0;
}

/* Ends the run: from now on any use of `ctx` is a stale-context report. Waits
 * up to `linger_ms` for threads holding `ctx` (context-leak) and non-daemon
 * threads started during the run (thread-leak) to finish, then reports the
 * ones still running. Detaches `ctx` from the calling thread. */
UISAN_INLINE void uisan_run_end(uisan_context_t ctx) {
  if (__uisan_run_end) {
    __uisan_run_end(ctx);
    UISAN_NO_TAIL_CALL();
  }
}

/* The context attached to the calling thread (live or ended), or 0. */
UISAN_INLINE uisan_context_t uisan_current_context(void) {
  return __uisan_current_context ? __uisan_current_context() : 0;
}

/* Attaches `ctx` to the calling thread (add_script_run_ctx done from inside
 * the thread). Attaching a context whose run ended is a stale-context use. */
UISAN_INLINE void uisan_attach_context(uisan_context_t ctx) {
  if (__uisan_attach_context)
    __uisan_attach_context(ctx);
}

UISAN_INLINE void uisan_detach_context(void) {
  if (__uisan_detach_context)
    __uisan_detach_context();
}

/* The next thread the calling thread starts (its next pthread_create, also
 * through std::thread and friends) starts with `ctx` attached (0: none) and
 * `flags`. A new thread otherwise inherits nothing. */
UISAN_INLINE void uisan_set_next_thread(uisan_context_t ctx, unsigned flags) {
  if (__uisan_set_next_thread)
    __uisan_set_next_thread(ctx, flags);
}

/* Marks the calling thread as a daemon (or not): daemons are never reported
 * as leaked at run end. */
UISAN_INLINE void uisan_set_thread_daemon(int daemon) {
  if (__uisan_set_thread_daemon)
    __uisan_set_thread_daemon(daemon);
}

/* Declares that the caller is a UI call named `what` ("st::write"): it needs
 * a live context attached to the calling thread. Call it from the UI
 * function itself; `what` must be a string literal or otherwise outlive the
 * process. */
UISAN_INLINE void uisan_ui_call(const char *what) {
  if (__uisan_ui_call) {
    __uisan_ui_call(what);
    UISAN_NO_TAIL_CALL();
  }
}

/* Declares an executor (a pool, a scheduler) that must be shut down before
 * exit; `kind` names it in reports and must outlive the process. */
UISAN_INLINE uisan_executor_t uisan_executor_create(const char *kind) {
  uisan_executor_t id = __uisan_executor_create ? __uisan_executor_create(kind) : 0;
  UISAN_NO_TAIL_CALL();
  return id;
}

UISAN_INLINE void uisan_executor_shutdown(uisan_executor_t executor) {
  if (__uisan_executor_shutdown)
    __uisan_executor_shutdown(executor);
}

/* Declares the shared object containing `address_in_module` as framework
 * code: report SUMMARY lines point at the first frame outside the runtime,
 * system libraries and framework modules, i.e. at the user's code. */
UISAN_INLINE void uisan_declare_framework(const void *address_in_module) {
  if (__uisan_declare_framework)
    __uisan_declare_framework(address_in_module);
}

#ifdef __cplusplus
} /* extern "C" */

namespace uisan {

/// One script run, begun on construction and ended on destruction.
class ScopedRun {
public:
  explicit ScopedRun(uint64_t session_id) : ctx_(uisan_run_begin(session_id)) {}
  ~ScopedRun() { uisan_run_end(ctx_); }
  ScopedRun(const ScopedRun &) = delete;
  ScopedRun &operator=(const ScopedRun &) = delete;
  uisan_context_t context() const { return ctx_; }

private:
  uisan_context_t ctx_;
};

/// Attaches a context to the calling thread for the scope's duration.
class ScopedContext {
public:
  explicit ScopedContext(uisan_context_t ctx) { uisan_attach_context(ctx); }
  ~ScopedContext() { uisan_detach_context(); }
  ScopedContext(const ScopedContext &) = delete;
  ScopedContext &operator=(const ScopedContext &) = delete;
};

/// An executor declared on construction and shut down on destruction, for
/// pools whose destructor joins their threads.
class ScopedExecutor {
public:
  explicit ScopedExecutor(const char *kind) : id_(uisan_executor_create(kind)) {}
  ~ScopedExecutor() { uisan_executor_shutdown(id_); }
  ScopedExecutor(const ScopedExecutor &) = delete;
  ScopedExecutor &operator=(const ScopedExecutor &) = delete;

private:
  uisan_executor_t id_;
};

} // namespace uisan
#endif

#endif /* UISAN_UISAN_H */
