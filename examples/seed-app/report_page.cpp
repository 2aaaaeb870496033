// A subtler bug: the UI call hides two helpers below the worker.
#include <seed/st.h>
#include <seed/threading.h>

#include <string>

namespace {
void show_progress(int percent) { st::text(std::to_string(percent) + "%"); }
void load_rows(int rows) {
  for (int done = 0; done <= rows; done += rows / 4)
    show_progress(done * 100 / rows);
}
} // namespace

void report_page() {
  auto pool = seed::Executors::newFixedThreadPool(1);
  auto done = pool->submit([] {
    load_rows(1000);
    return true;
  });
  done.get();
  pool->shutdown();
}
