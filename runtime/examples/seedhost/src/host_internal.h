// host_internal.h - state shared by the seed host's source files.
#ifndef SEEDHOST_INTERNAL_H
#define SEEDHOST_INTERNAL_H

#include "seed/scriptrunner.h"
#include "uisan/uisan.h"

namespace st {
namespace scriptrunner {

/// The context of one script run; kept alive for the process (a leaked
/// worker may still hold a pointer to it).
class ScriptRunContext {
public:
  int session;
  int run;
  uisan_context_t handle;
};

} // namespace scriptrunner
} // namespace st

namespace seedhost {

/// The calling thread's context (the host's own view, like Streamlit's
/// thread-to-context map), independent of whether uisan is loaded.
st::scriptrunner::ScriptRunContext *&currentContext();

} // namespace seedhost

#endif
