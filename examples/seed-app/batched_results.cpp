// Streamlit's Option 1: threads compute, the script thread renders.
#include <seed/st.h>
#include <seed/threading.h>

#include <memory>
#include <string>
#include <vector>

namespace {
class WorkerThread : public seed::Thread {
public:
  explicit WorkerThread(int delay) : delay(delay) {}
  std::string return_value;

protected:
  void run() override { return_value = "slept " + std::to_string(delay); }

private:
  int delay;
};
} // namespace

void batched_page() {
  std::vector<std::unique_ptr<WorkerThread>> threads;
  for (int delay : {5, 4, 3, 2, 1})
    threads.push_back(std::make_unique<WorkerThread>(delay));
  for (auto &t : threads)
    t->start();
  for (auto &t : threads)
    t->join();
  for (size_t i = 0; i < threads.size(); ++i) {
    st::header("Thread " + std::to_string(i));
    st::write(threads[i]->return_value);
  }
  st::button("Rerun");
}
