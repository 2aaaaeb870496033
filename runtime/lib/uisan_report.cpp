#include "uisan_report.h"

#include <cstring>

namespace uisan {

const char *reportKindName(ReportKind kind) {
  switch (kind) {
  case ReportKind::UiCallOffThread:
    return "ui-call-off-thread";
  case ReportKind::ContextLeak:
    return "context-leak";
  case ReportKind::StaleContext:
    return "stale-context";
  case ReportKind::ThreadLeak:
    return "thread-leak";
  case ReportKind::ExecutorLeak:
    return "executor-leak";
  }
  return "unknown";
}

bool parseReportKind(const char *name, size_t len, ReportKind &out) {
  for (int i = 0; i < kNumReportKinds; ++i) {
    auto kind = static_cast<ReportKind>(i);
    const char *n = reportKindName(kind);
    if (std::strlen(n) == len && !std::strncmp(n, name, len)) {
      out = kind;
      return true;
    }
  }
  return false;
}

void Report::clear() { std::memset(static_cast<void *>(this), 0, sizeof(*this)); }

const Frame *Report::summaryFrame() const {
  for (int i = 0; i < stack.size; ++i)
    if (stack.frames[i].origin_user)
      return &stack.frames[i];
  return stack.size ? &stack.frames[0] : nullptr;
}

} // namespace uisan
