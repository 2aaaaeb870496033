// Seed (Jeamlit) pool of futures with the shutdown in a guard object, the
// RAII form of Java's finally.
#include <seed/jt.h>
#include <seed/threading.h>

#include <string>
#include <vector>

struct ShutdownGuard {
  seed::ExecutorService &executor;
  ~ShutdownGuard() { executor.shutdown(); }
};

void app() {
  auto executor = seed::Executors::newFixedThreadPool(4);
  ShutdownGuard guard{*executor};
  std::vector<seed::Future<std::string>> futures;
  for (int i = 0; i < 5; i++)
    futures.push_back(executor->submit([i] { return "Task " + std::to_string(i); }));
  for (auto &f : futures)
    Jt::text(f.get()).use();
}
