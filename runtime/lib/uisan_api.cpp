// uisan_api.cpp - the C API of runtime/include/uisan/uisan.h, exported by
// libuisan.so under the __uisan_ names the header's weak references bind to.
#include "uisan/uisan.h"
#include "uisan_runtime.h"

using namespace uisan;

#define UISAN_EXPORT extern "C" __attribute__((visibility("default")))

UISAN_EXPORT uisan_context_t __uisan_run_begin(uint64_t session_id) {
  if (!runtimeReady() || t_in_runtime)
    return 0;
  RuntimeScope scope;
  ThreadState *t = currentThread();
  uint64_t id = runs().begin(session_id);
  if (!id) {
    logLine(0, "too many live runs; a run is not tracked");
    return 0;
  }
  if (t)
    t->ctx.store(id, std::memory_order_relaxed);
  logThread(1, "run begun on ", t ? t->uid : 0);
  return id;
}

UISAN_EXPORT void __uisan_run_end(uisan_context_t ctx) { endRun(ctx); }

UISAN_EXPORT uisan_context_t __uisan_current_context(void) {
  ThreadState *t = t_self;
  return t ? t->ctx.load(std::memory_order_relaxed) : 0;
}

UISAN_EXPORT void __uisan_attach_context(uisan_context_t ctx) {
  if (!runtimeReady() || t_in_runtime)
    return;
  if (ThreadState *t = currentThread())
    t->ctx.store(ctx, std::memory_order_relaxed);
}

UISAN_EXPORT void __uisan_detach_context(void) {
  if (ThreadState *t = t_self)
    t->ctx.store(0, std::memory_order_relaxed);
}

UISAN_EXPORT void __uisan_set_next_thread(uisan_context_t ctx, unsigned flags) {
  if (!runtimeReady() || t_in_runtime)
    return;
  if (ThreadState *t = currentThread()) {
    t->next_ctx = ctx;
    t->next_flags = flags;
  }
}

UISAN_EXPORT void __uisan_set_thread_daemon(int daemon) {
  if (!runtimeReady() || t_in_runtime)
    return;
  if (ThreadState *t = currentThread())
    t->daemon.store(daemon != 0, std::memory_order_relaxed);
}

UISAN_EXPORT void __uisan_ui_call(const char *what) {
  // Fast path: a live context on the calling thread (two loads, no lock).
  ThreadState *t = t_self;
  if (t) {
    uint64_t ctx = t->ctx.load(std::memory_order_relaxed);
    if (ctx && runs().isActive(ctx))
      return;
  }
  checkUiCall(what);
}

UISAN_EXPORT uisan_executor_t __uisan_executor_create(const char *kind) {
  if (!runtimeReady() || t_in_runtime)
    return 0;
  RuntimeScope scope;
  ThreadState *t = currentThread();
  StackTrace st;
  captureStack(st);
  return executors().create(kind, t ? t->uid : 0, st);
}

UISAN_EXPORT void __uisan_executor_shutdown(uisan_executor_t executor) {
  if (!runtimeReady() || t_in_runtime)
    return;
  executors().shutdown(executor);
}

UISAN_EXPORT void __uisan_declare_framework(const void *address_in_module) {
  declareFrameworkModule(address_in_module);
}

// For tests/runtime/malloc_guard.c: whether an allocation now would be the
// runtime's own, on an intercept or report path (the rule is that there is
// none). Start-up allocates (dlopen of libunwind, atexit) and is excluded.
UISAN_EXPORT int __uisan_testing_in_runtime(void) {
  return t_in_runtime > 0 && !t_allocation_allowed && runtimeReady();
}

// The hand-over point of uisan-run's audit module (uisan_audit_abi.h): the
// module binds libuisan's own call to this symbol to its definition. This
// one runs when no audit module is loaded.
UISAN_EXPORT uisan::AuditShared *__uisan_audit_attach(void *, uint64_t) { return nullptr; }
