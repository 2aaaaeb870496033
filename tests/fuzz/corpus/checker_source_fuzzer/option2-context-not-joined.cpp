// Seed (Streamlit), Option 2 without the join: the thread has the context,
// so its UI calls are not uisan-ui-call-in-thread findings, but the context
// outlives the run.
#include <seed/scriptrunner.h>
#include <seed/st.h>
#include <seed/threading.h>

#include <string>

void page() {
  st::DeltaGenerator slot = st::container();
  auto *worker = new seed::Thread([slot]() mutable { slot.write("late"); });
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: thread 'worker' holds the run's context but is not joined on every path before 'page' returns: a leaked context lets it write into a later run or another session; 'join' it on every path [uisan-context-escape]
  // CHECK-NOTES: :[[@LINE+6]]:1: note: leaves the function here without 'join'
  // CHECK-NOTES: :[[@LINE+2]]:3: note: the context is attached here
  // CHECK-NOTES: :[[@LINE+2]]:40: note: the context of this run is obtained here
  st::scriptrunner::add_script_run_ctx(*worker,
                                       st::scriptrunner::get_script_run_ctx());
  worker->start();
}
