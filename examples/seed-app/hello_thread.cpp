// Jeamlit's first "DON'T": a UI command inside a new thread.
#include <seed/jt.h>
#include <seed/threading.h>

void hello_page() {
  seed::Thread([] { Jt::text("Hello").use(); }).start();
}
