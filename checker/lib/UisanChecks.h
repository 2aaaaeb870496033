//===- UisanChecks.h - the catalogue of uisan-* checks --------------------===//
#ifndef UISAN_CHECKER_UISANCHECKS_H
#define UISAN_CHECKER_UISANCHECKS_H

#include <vector>

namespace uisan::tidy {

/// What a check is, for --list-checks, SARIF rules and docs links.
struct CheckInfo {
  const char *Id;
  const char *Summary;
  const char *Description;
};

/// Every check of the uisan module, in ID order.
const std::vector<CheckInfo> &uisanChecks();

/// Defined in the module; referencing it keeps the module's static
/// registration in a statically linked tool.
extern volatile int UisanTidyModuleAnchorSource;

} // namespace uisan::tidy

#endif
