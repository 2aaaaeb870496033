// The runtime's own work per thread, measured in isolation (stable on a
// loaded machine, unlike a full pthread_create+join): the creation-stack
// unwind and the registry bookkeeping of one thread's life.
#include "uisan_runtime.h"
#include "uisan_stacktrace.h"
#include "uisan_thread_registry.h"

#include <benchmark/benchmark.h>

#include <memory>

namespace {

// Recurse to a realistic depth before unwinding.
__attribute__((noinline)) void unwindAt(int depth, int frames, uisan::StackTrace &st) {
  if (depth > 0) {
    unwindAt(depth - 1, frames, st);
    benchmark::ClobberMemory();
    return;
  }
  uisan::captureStack(st, frames);
}

// Runs `f` a few frames down, like a pthread_create call in real code.
template <class F> __attribute__((noinline)) void deeper(int depth, const F &f) {
  if (depth > 0) {
    deeper(depth - 1, f);
    benchmark::ClobberMemory();
    return;
  }
  f();
}

void BM_CaptureCreationStack(benchmark::State &state) {
  static bool once = (uisan::initUnwinder(), true);
  (void)once;
  state.SetLabel(uisan::unwinderName());
  uisan::StackTrace st;
  for (auto _ : state) {
    unwindAt(20, static_cast<int>(state.range(0)), st);
    benchmark::DoNotOptimize(st.size);
  }
  state.counters["frames"] = st.size;
}
BENCHMARK(BM_CaptureCreationStack)->Arg(0)->Arg(8)->Arg(16)->Arg(32);

void BM_RegistryThreadLifecycle(benchmark::State &state) {
  auto reg = std::make_unique<uisan::ThreadRegistry>();
  reg->init();
  pthread_t h = pthread_self();
  for (auto _ : state) {
    uisan::ThreadState *t = reg->allocate();
    reg->lock(); // prepareThread fills the slot under the lock
    t->detached = false;
    reg->unlock();
    reg->creatorDone(t, true, h);
    reg->started(t, h);
    reg->finished(t);
    uisan::ThreadState *j = reg->beginJoin(h);
    reg->endJoin(j, true);
  }
}
BENCHMARK(BM_RegistryThreadLifecycle);

// Everything the interceptors do for one pthread_create + join, creator and
// new-thread side, minus the pthread TLS-key store and destructor: unwind
// the creation stack (creation_stack_depth frames), fill the slot, record
// the handle, start, finish, join.
void BM_InterceptorBookkeeping(benchmark::State &state) {
  uisan::runtimeInit(); // real options (UISAN_OPTIONS), libunwind if present
  state.SetLabel(uisan::unwinderName());
  pthread_t self = pthread_self();
  for (auto _ : state) {
    deeper(8, [&] {
      uisan::ThreadState *t = uisan::prepareThread(false);
      uisan::registry().creatorDone(t, true, self);
      uisan::registry().started(t, self);
      uisan::registry().finished(t);
      uisan::ThreadState *j = uisan::registry().beginJoin(self);
      uisan::registry().endJoin(j, true);
    });
  }
}
BENCHMARK(BM_InterceptorBookkeeping);

} // namespace

BENCHMARK_MAIN();
