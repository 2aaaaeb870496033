#include <seed/scriptrunner.h>
#include <seed/st.h>
#include <seed/threading.h>

void page() {
  seed::Thread worker([] { st::write("later"); });
  // CHECK-NOTES: :[[@LINE-1]]:16: warning: thread 'worker' holds the run's context and is made a daemon with 'set_daemon', so it can outlive the run: a leaked context lets it write into a later run or another session; 'join' it before 'page' returns [uisan-context-escape]
  st::scriptrunner::add_script_run_ctx(worker, st::scriptrunner::get_script_run_ctx());
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the context is attached here
  // CHECK-NOTES: :[[@LINE-2]]:48: note: the context of this run is obtained here
  worker.set_daemon(true);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: here
  worker.start();
}
