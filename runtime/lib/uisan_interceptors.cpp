// uisan_interceptors.cpp - pthread entry points interposed by libuisan.so.
// Each resolves the real function once with dlsym(RTLD_NEXT), passes
// straight through when re-entered from the runtime, and keeps the thread
// registry in step. Thread exit is seen through a TLS-key destructor set in
// the trampoline, which runs on every exit path (return, pthread_exit,
// cancellation), so pthread_exit itself needs no interceptor.
#include "uisan_runtime.h"

#include <dlfcn.h>
#include <pthread.h>
#include <time.h>

using namespace uisan;

namespace uisan {
void attachToolkitChecks(); // uisan_toolkit_thunk.cpp
}

namespace {

using CreateFn = int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
using JoinFn = int (*)(pthread_t, void **);
using TimedJoinFn = int (*)(pthread_t, void **, const struct timespec *);
using DetachFn = int (*)(pthread_t);
using SetNameFn = int (*)(pthread_t, const char *);

CreateFn real_create;
JoinFn real_join;
JoinFn real_tryjoin;
TimedJoinFn real_timedjoin;
DetachFn real_detach;
SetNameFn real_setname;

template <class F> F resolve(F &slot, const char *name) {
  if (!slot)
    slot = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
  return slot;
}

void *trampoline(void *arg) {
  auto *t = static_cast<ThreadState *>(arg);
  void *(*fn)(void *) = t->start_fn;
  void *user_arg = t->start_arg;
  threadStarted(t);
  return fn(user_arg);
}

template <class Join> int interceptJoin(pthread_t thread, Join join) {
  if (!runtimeReady() || t_in_runtime)
    return join();
  ThreadState *t = registry().beginJoin(thread);
  int rc = join();
  if (t)
    registry().endJoin(t, rc == 0);
  return rc;
}

__attribute__((constructor(101))) void uisanConstructor() {
  resolve(real_create, "pthread_create");
  resolve(real_join, "pthread_join");
  resolve(real_tryjoin, "pthread_tryjoin_np");
  resolve(real_timedjoin, "pthread_timedjoin_np");
  resolve(real_detach, "pthread_detach");
  resolve(real_setname, "pthread_setname_np");
  runtimeInit();
  attachToolkitChecks();
}

} // namespace

extern "C" {

__attribute__((visibility("default"))) int
pthread_create(pthread_t *thread, const pthread_attr_t *attr,
               void *(*start)(void *), void *arg) {
  CreateFn real = resolve(real_create, "pthread_create");
  if (!runtimeReady() || t_in_runtime)
    return real(thread, attr, start, arg);
  RuntimeScope scope;
  int detach_state = PTHREAD_CREATE_JOINABLE;
  if (attr)
    pthread_attr_getdetachstate(attr, &detach_state);
  ThreadState *t = prepareThread(detach_state == PTHREAD_CREATE_DETACHED);
  if (!t)
    return real(thread, attr, start, arg);
  t->start_fn = start;
  t->start_arg = arg;
  ++t_allocation_allowed;
  int rc = real(thread, attr, trampoline, t);
  --t_allocation_allowed;
  registry().creatorDone(t, rc == 0, rc == 0 ? *thread : pthread_t());
  return rc;
}

__attribute__((visibility("default"))) int pthread_join(pthread_t thread, void **ret) {
  JoinFn real = resolve(real_join, "pthread_join");
  return interceptJoin(thread, [&] { return real(thread, ret); });
}

__attribute__((visibility("default"))) int pthread_tryjoin_np(pthread_t thread,
                                                              void **ret) {
  JoinFn real = resolve(real_tryjoin, "pthread_tryjoin_np");
  return interceptJoin(thread, [&] { return real(thread, ret); });
}

__attribute__((visibility("default"))) int
pthread_timedjoin_np(pthread_t thread, void **ret, const struct timespec *abstime) {
  TimedJoinFn real = resolve(real_timedjoin, "pthread_timedjoin_np");
  return interceptJoin(thread, [&] { return real(thread, ret, abstime); });
}

__attribute__((visibility("default"))) int pthread_detach(pthread_t thread) {
  DetachFn real = resolve(real_detach, "pthread_detach");
  if (runtimeReady() && !t_in_runtime) {
    RuntimeScope scope;
    registry().detach(thread);
  }
  return real(thread);
}

__attribute__((visibility("default"))) int pthread_setname_np(pthread_t thread,
                                                              const char *name) {
  SetNameFn real = resolve(real_setname, "pthread_setname_np");
  int rc = real(thread, name);
  if (rc == 0 && runtimeReady() && !t_in_runtime) {
    RuntimeScope scope;
    if (t_self && pthread_equal(thread, pthread_self()))
      registry().setName(t_self, name); // may run before creatorDone()
    else
      registry().setName(thread, name);
  }
  return rc;
}

} // extern "C"
