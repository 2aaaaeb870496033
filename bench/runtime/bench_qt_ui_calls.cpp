// A Qt Widgets program for uisan-run's toolkit checks: the GUI thread makes
// millions of legal UI calls (non-virtual ones through the PLT and virtual
// ones through patched vtables) while a worker computes. Run side by side
// with and without uisan-run by run_qt_benchmark.py.
//
//   bench_qt_ui_calls CALLS [cheap|text [PRIMES_BELOW]]
//       prints "calls=N seconds=S worker_seconds=W ..."
//     cheap: getters that do nothing (the stubs' worst case)
//     text:  setText/text/devType, calls that do a widget's usual work
//     PRIMES_BELOW: the worker counts the primes below this bound, a fixed
//       amount of work (0: no worker); the program ends when both are done
//   bench_qt_ui_calls 0                  - start-up only
#include <QApplication>
#include <QLabel>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

int main(int argc, char **argv) {
  long calls = argc > 1 ? std::atol(argv[1]) : 1000000;
  bool text = argc > 2 && std::strcmp(argv[2], "text") == 0;
  unsigned long primesBelow = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 2000000;
  QApplication app(argc, argv);
  QLabel label("uisan");
  label.show();
  if (calls == 0)
    return 0;

  // The worker does what workers should: compute, touching no widget. Its
  // work is fixed, so both runs of a side-by-side pair do the same.
  unsigned long primes = 0;
  double workerSeconds = 0;
  std::thread worker([&] {
    auto begin = std::chrono::steady_clock::now();
    for (unsigned long n = 3; n < primesBelow; n += 2) {
      bool prime = true;
      for (unsigned long d = 3; d * d <= n && prime; d += 2)
        prime = n % d != 0;
      primes += prime ? 1 : 0;
    }
    workerSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  });

  QWidget *widget = &label;
  auto start = std::chrono::steady_clock::now();
  long sum = 0;
  // Cheap calls, so the stubs' share of the time is as large as it gets:
  // the ratio is a worst case for real UI code, whose calls do more work.
  for (long i = 0; text && i < calls; i += 3) {
    label.setText(QString::number(i)); // non-virtual: PLT
    sum += label.text().size();        // non-virtual: PLT
    sum += widget->devType();          // virtual: vtable
  }
  for (long i = 0; !text && i < calls; i += 4) {
    sum += label.indent();             // non-virtual: PLT
    sum += label.margin();             // non-virtual: PLT
    sum += widget->devType();          // virtual: vtable
    sum += label.isVisible() ? 1 : 0;  // inline: not seen
    if ((i & 0xffff) == 0)
      label.setIndent(static_cast<int>(i & 7));
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  worker.join();
  std::printf("calls=%ld seconds=%.6f worker_seconds=%.6f sum=%ld primes=%lu\n", calls, seconds,
              workerSeconds, sum, primes);
  return 0;
}
