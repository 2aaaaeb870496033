#include "ui.h"
#include <thread>

void page() {
  std::thread t([] { show_progress(50); });
  t.join();
}
