// The costs the runtime adds to an app: thread creation and join (the
// interceptors, registry and creation-stack capture) and a declared UI call
// made on the right thread (the check's fast path). Run once plainly and
// once under uisan-run; run_benchmarks.py does both.
#include <uisan/uisan.h>

#include <benchmark/benchmark.h>

#include <pthread.h>
#include <thread>

namespace {

void *nothing(void *arg) { return arg; }

void BM_PthreadCreateJoin(benchmark::State &state) {
  for (auto _ : state) {
    pthread_t t;
    pthread_create(&t, nullptr, nothing, nullptr);
    pthread_join(t, nullptr);
  }
}
BENCHMARK(BM_PthreadCreateJoin)->UseRealTime();

void BM_StdThreadCreateJoin(benchmark::State &state) {
  for (auto _ : state) {
    std::thread t([] {});
    t.join();
  }
}
BENCHMARK(BM_StdThreadCreateJoin)->UseRealTime();

// A UI call on the thread holding a live context: what every UI call of a
// correct app pays.
void BM_UiCallOnScriptThread(benchmark::State &state) {
  uisan_context_t ctx = uisan_run_begin(1);
  for (auto _ : state) {
    uisan_ui_call("bench::paint");
    benchmark::ClobberMemory();
  }
  uisan_run_end(ctx);
}
BENCHMARK(BM_UiCallOnScriptThread);

} // namespace

BENCHMARK_MAIN();
