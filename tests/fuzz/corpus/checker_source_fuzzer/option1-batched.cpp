// Seed (Streamlit), Option 1: no st commands in custom threads; start them,
// join them, then write their results from the script thread.
#include <seed/st.h>
#include <seed/threading.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

class WorkerThread : public seed::Thread {
public:
  explicit WorkerThread(int delay) : delay(delay) {}
  std::string return_value;

protected:
  void run() override {
    auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(delay));
    auto end = std::chrono::steady_clock::now();
    return_value = "start: " + std::to_string(start.time_since_epoch().count()) +
                   ", end: " + std::to_string(end.time_since_epoch().count());
  }

private:
  int delay;
};

void page() {
  std::vector<std::unique_ptr<WorkerThread>> threads;
  for (int delay : {5, 4, 3, 2, 1})
    threads.push_back(std::make_unique<WorkerThread>(delay));
  for (auto &thread : threads)
    thread->start();
  for (auto &thread : threads)
    thread->join();
  for (size_t i = 0; i < threads.size(); ++i) {
    st::header("Thread " + std::to_string(i));
    st::write(threads[i]->return_value);
  }
  st::button("Rerun");
}
