// Jeamlit's correct pool: compute in tasks, render futures' results here,
// shut the pool down on every path.
#include <seed/jt.h>
#include <seed/threading.h>

#include <string>
#include <vector>

void futures_page() {
  auto executor = seed::Executors::newFixedThreadPool(4);
  try {
    std::vector<seed::Future<std::string>> futures;
    for (int i = 0; i < 5; i++)
      futures.push_back(executor->submit(
          [i] { return "Task " + std::to_string(i) + " completed"; }));
    for (auto &f : futures)
      Jt::text(f.get()).use();
  } catch (...) {
    executor->shutdown();
    throw;
  }
  executor->shutdown();
}
