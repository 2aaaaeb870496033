#include <seed/scriptrunner.h>
#include <seed/st.h>
#include <seed/threading.h>

#include <memory>
#include <utility>

class Page {
public:
  void render() {
    auto ctx = st::scriptrunner::get_script_run_ctx();
    auto worker = std::make_unique<seed::Thread>([] { st::write("tick"); });
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: thread 'worker' holds the run's context and is stored, so it can outlive the run
    st::scriptrunner::add_script_run_ctx(*worker, ctx);
    worker->start();
    background = std::move(worker);
  }

private:
  std::unique_ptr<seed::Thread> background;
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: member 'background' holds a 'seed::Thread' that '~Page' does not stop; its threads outlive the object; call 'join' on it in '~Page' [uisan-executor-not-shutdown]
};

seed::Thread *global_worker;

void page() {
  static seed::Thread forever([] { st::write("forever"); });
  st::scriptrunner::add_script_run_ctx(forever, st::scriptrunner::get_script_run_ctx());
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: the run's context is attached to 'forever', a thread kept in a static or global variable, so it outlives the run
  forever.start();
}
