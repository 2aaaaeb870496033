//===- Finding.h - what uisan-tidy found: the report model ----------------===//
//
// Plain data: the checks (through the program model) and the driver fill it,
// the printers (tool/Findings.h) and the clang-tidy plugin read it.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_FINDING_H
#define UISAN_CHECKER_FINDING_H

#include <string>
#include <vector>

namespace uisan::tidy {

/// A place in a source file; Line and Column are 1-based, 0 when unknown.
struct SourceLocationInfo {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// A secondary place explaining a finding.
struct FindingNote {
  SourceLocationInfo Loc;
  std::string Message;
};

/// A fix-it: replace `Length` bytes at `Loc` (byte `Offset` of its file)
/// with `Text`.
struct FixIt {
  SourceLocationInfo Loc;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
};

/// One diagnostic: a check's warning, or an error (a TU that does not
/// compile, a bad rule pack).
struct Finding {
  enum class Level { Warning, Error };
  std::string Check; ///< e.g. "uisan-ui-call-in-thread", "clang-diagnostic-error"
  Level Severity = Level::Warning;
  SourceLocationInfo Loc;
  std::string Message;
  std::vector<FindingNote> Notes;
  /// A warning made an error by WarningsAsErrors: printed as an error, with
  /// ',-warnings-as-errors' after the check's name, but not a tool error.
  bool WarningAsError = false;
  /// Mechanical, safe edits that fix it (--fix, --export-fixes).
  std::vector<FixIt> Fixes;
};

} // namespace uisan::tidy

#endif
