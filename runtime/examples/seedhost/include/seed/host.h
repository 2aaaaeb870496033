// seed/host.h - session and script-run control for the seed model's
// reference host (the part of Streamlit/Jeamlit that is not page API).
// Not part of the shared seed headers: the checker never needs it.
#ifndef UISAN_SEED_HOST_H
#define UISAN_SEED_HOST_H

#include <functional>

namespace seed {
namespace host {

/// One user session. Each run() executes the page on a fresh script thread
/// holding a fresh ScriptRunContext, as Streamlit does on every rerun.
class Session {
public:
  Session();
  /// Runs `page` once and waits for the script thread; an exception escaping
  /// the page is printed (Streamlit shows it in the page) and swallowed.
  void run(const std::function<void()> &page);
  int id() const { return id_; }
  int runs() const { return runs_; }

private:
  int id_;
  int runs_;
};

} // namespace host
} // namespace seed

#endif
