// Seed (Jeamlit): a scheduler created in page code and never shut down: it
// runs forever, and every run of the page creates one more.
#include <seed/threading.h>

#include <cstdio>

void app() {
  auto scheduler = seed::Executors::newScheduledThreadPool(1);
  // CHECK-NOTES: :[[@LINE-1]]:8: warning: 'scheduler' (a 'seed::ScheduledExecutorService') can leave its scope still running: its threads outlive it; call 'shutdown' on every path (in a catch-all handler that rethrows, or a guard object) [uisan-executor-not-shutdown]
  // CHECK-NOTES: :[[@LINE+4]]:1: note: leaves its scope here without 'shutdown'
  // CHECK-NOTES: :[[@LINE-4]]:6: note: 'app' runs once per script run: every script run starts another one
  scheduler->scheduleAtFixedRate([] { std::puts("tick"); }, 10, 10,
                                 seed::TimeUnit::SECONDS);
}
