// A thread owned through a unique_ptr and given the run's context is not a
// uisan-ui-call-in-thread finding (its lifetime is uisan-context-escape's).
#include <seed/scriptrunner.h>
#include <seed/st.h>
#include <seed/threading.h>

#include <memory>

void page() {
  std::unique_ptr<seed::Thread> w(new seed::Thread([] { st::write("has context"); }));
  st::scriptrunner::add_script_run_ctx(*w, st::scriptrunner::get_script_run_ctx());
  w->start();
  w->join();
}
