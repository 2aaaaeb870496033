// The costs the runtime adds to an app: thread creation and join (the
// interceptors, registry and creation-stack capture) and a declared UI call
// made on the right thread (the check's fast path). Run once plainly and
// once under uisan-run; run_benchmarks.py does both.
#include <uisan/uisan.h>

#include <benchmark/benchmark.h>

#include <pthread.h>
#include <thread>

#include <time.h>

namespace {

void *nothing(void *arg) { return arg; }

double processCpuNs() {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/// CPU time of the whole process (creator and new thread) per iteration:
/// the work done, less disturbed by other load on the machine than wall time.
struct ProcessCpu {
  benchmark::State &state;
  double start = processCpuNs();
  ~ProcessCpu() {
    state.counters["proc_cpu_ns"] = benchmark::Counter(
        processCpuNs() - start, benchmark::Counter::kAvgIterations);
  }
};

void BM_PthreadCreateJoin(benchmark::State &state) {
  ProcessCpu cpu{state};
  for (auto _ : state) {
    pthread_t t;
    pthread_create(&t, nullptr, nothing, nullptr);
    pthread_join(t, nullptr);
  }
}
BENCHMARK(BM_PthreadCreateJoin)->UseRealTime();

void BM_StdThreadCreateJoin(benchmark::State &state) {
  ProcessCpu cpu{state};
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
