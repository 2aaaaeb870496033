// Seed (Jeamlit): compute in a pool, render the futures' results on the
// script thread, shut the pool down on every path.
#include <seed/jt.h>
#include <seed/threading.h>

#include <string>
#include <vector>

void app() {
  auto executor = seed::Executors::newFixedThreadPool(4);
  try {
    std::vector<seed::Future<std::string>> futures;
    for (int i = 0; i < 5; i++) {
      const int taskId = i;
      futures.push_back(executor->submit([taskId] {
        // Computation and IO are fine here.
        return "Task " + std::to_string(taskId) + " completed";
      }));
    }
    for (auto &future : futures) {
      std::string result = future.get();
      Jt::text(result).use(); // on the script thread
    }
  } catch (...) {
    executor->shutdown();
    throw;
  }
  executor->shutdown();
}
