// Streamlit's Option 2: the run's context is attached, and every thread is
// joined before the page returns.
#include <seed/scriptrunner.h>
#include <seed/st.h>
#include <seed/threading.h>

#include <memory>
#include <string>
#include <vector>

namespace {
class WriterThread : public seed::Thread {
public:
  WriterThread(int delay, st::DeltaGenerator target)
      : delay(delay), target(target) {}

protected:
  void run() override { target.write("slept " + std::to_string(delay)); }

private:
  int delay;
  st::DeltaGenerator target;
};
} // namespace

void shared_context_page() {
  std::vector<std::unique_ptr<WriterThread>> threads;
  for (int delay : {3, 2, 1})
    threads.push_back(std::make_unique<WriterThread>(delay, st::container()));
  for (auto &t : threads) {
    st::scriptrunner::add_script_run_ctx(*t, st::scriptrunner::get_script_run_ctx());
    t->start();
  }
  for (auto &t : threads)
    t->join();
}
