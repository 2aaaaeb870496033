// uisan_runtime.h - the runtime's state and its operations, shared by the
// interceptors and the C API: thread bookkeeping, UI-call checks, run end
// and exit checks, and report emission.
#ifndef UISAN_RUNTIME_H
#define UISAN_RUNTIME_H

#include "uisan_audit_abi.h"
#include "uisan_context.h"
#include "uisan_flags.h"
#include "uisan_thread_registry.h"

#include <cstdint>

namespace uisan {

/// (__thread, not thread_local: no TLS-init wrapper on the fast path.)
/// Set while the calling thread is inside the runtime: interceptors and API
/// calls re-entered from there (or from a signal handler that interrupted
/// it) pass straight through.
extern __thread int t_in_runtime __attribute__((tls_model("initial-exec")));
extern __thread ThreadState *t_self __attribute__((tls_model("initial-exec")));

/// Set while the runtime calls code that allocates on its own terms, which
/// the no-allocation rule (and tests/runtime/malloc_guard.c) leaves out:
/// the real pthread_create the app asked for (the new thread's stack and
/// TLS), and the one-time set-up of a thread's libunwind state (glibc
/// allocates a dlopen'ed library's TLS at its first use in each thread).
extern __thread int t_allocation_allowed __attribute__((tls_model("initial-exec")));

/// RAII guard for t_in_runtime.
class RuntimeScope {
public:
  RuntimeScope() { ++t_in_runtime; }
  ~RuntimeScope() { --t_in_runtime; }
  RuntimeScope(const RuntimeScope &) = delete;
  RuntimeScope &operator=(const RuntimeScope &) = delete;
};

/// True once initialisation finished.
bool runtimeReady();
/// Idempotent; called from libuisan's constructor (and lazily).
void runtimeInit();
const Flags &flags();
ThreadRegistry &registry();
/// The run table; inline because the UI-call fast path reads it.
extern RunTable g_runs;
inline RunTable &runs() { return g_runs; }
ExecutorTable &executors();

/// The calling thread's state, registering it as external if unknown.
ThreadState *currentThread();

/// Prepares the bookkeeping of a thread about to be created by the calling
/// thread; nullptr if it will run untracked.
ThreadState *prepareThread(bool detached);
/// Runs on the new thread before the user's function.
void threadStarted(ThreadState *t);

/// The checks behind the C API.
void checkUiCall(const char *what);
void endRun(uint64_t ctx);

/// True for a valid value of the ui_thread option.
bool validUiThreadOption(const char *value);

/// The audit module's state handed over at start-up (nullptr: uisan-run
/// did not load it); `on_main_thread` when called on the main thread.
void toolkitsAttached(AuditShared *shared, bool on_main_thread);
const AuditShared *auditState();
/// Patches the toolkits' vtables if that has not happened yet: called when
/// a second thread could make virtual UI calls (see uisan_audit_abi.h).
void needVtables();
/// The same, when the thread about to be created at `created` is the app's.
void needVtablesForThread(const StackTrace &created);
/// A stub's slow path: the calling thread is not the toolkit's UI thread,
/// or none is known yet. `call_site` is the caller's return address,
/// `first_arg` the call's first argument (`this` of a method).
void toolkitCall(const AuditStub *stub, uintptr_t call_site, uintptr_t first_arg);

/// Exit-time checks; returns the number of reports made by the process.
int finalCheck();

/// verbosity-gated diagnostics to the log.
void logLine(int level, const char *a, const char *b = "", const char *c = "",
             const char *d = "");
/// The same with a thread or run number: "<a>T<n><b>".
void logThread(int level, const char *a, uint64_t n, const char *b = "");

} // namespace uisan

#endif
