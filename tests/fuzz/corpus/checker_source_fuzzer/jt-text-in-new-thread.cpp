// Seed (Jeamlit): "Jt. commands in Threads are not supported".
//   new Thread(() -> {Jt.text("Hello").use();}).start();
#include <seed/jt.h>
#include <seed/threading.h>

void app() {
  // Building the component needs no context; placing it with use() does.
  seed::Thread([] { Jt::text("Hello").use(); }).start();
  // CHECK-NOTES: :[[@LINE-1]]:39: warning: 'Jt::TextComponent::use' is a UI call made on a worker thread; return the result to the script thread (join the thread or wait on its future) and render it there [uisan-ui-call-in-thread]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: the lambda runs on the thread started here
}
