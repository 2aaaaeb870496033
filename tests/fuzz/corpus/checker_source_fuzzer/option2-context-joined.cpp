// Seed (Streamlit), Option 2: the script run's context is attached to each
// custom thread, which may then write to its container; every thread is
// joined before the page function returns.
#include <seed/scriptrunner.h>
#include <seed/st.h>
#include <seed/threading.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using st::scriptrunner::add_script_run_ctx;
using st::scriptrunner::get_script_run_ctx;

class WorkerThread : public seed::Thread {
public:
  WorkerThread(int delay, st::DeltaGenerator target)
      : delay(delay), target(target) {}

protected:
  void run() override {
    std::this_thread::sleep_for(std::chrono::seconds(delay));
    target.write("slept " + std::to_string(delay)); // has the context
  }

private:
  int delay;
  st::DeltaGenerator target;
};

void page() {
  std::vector<int> delays = {5, 4, 3, 2, 1};
  std::vector<st::DeltaGenerator> result_containers;
  for (size_t i = 0; i < delays.size(); ++i) {
    st::header("Thread " + std::to_string(i));
    result_containers.push_back(st::container());
  }
  std::vector<std::unique_ptr<WorkerThread>> threads;
  for (size_t i = 0; i < delays.size(); ++i)
    threads.push_back(
        std::make_unique<WorkerThread>(delays[i], result_containers[i]));
  for (auto &thread : threads) {
    add_script_run_ctx(*thread, get_script_run_ctx());
    thread->start();
  }
  for (auto &thread : threads)
    thread->join();
  st::button("Rerun");
}
