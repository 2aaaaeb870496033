//===- Findings.h - what uisan-tidy found, and how it is printed ----------===//
//
// The model is separate from the printers: the driver fills Findings from
// clang-tidy's diagnostics, and text, JSON and SARIF printers only read them.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_FINDINGS_H
#define UISAN_CHECKER_FINDINGS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

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

/// One diagnostic: a check's warning, or an error (a TU that does not
/// compile, a bad rule pack).
struct Finding {
  enum class Level { Warning, Error };
  std::string Check; ///< e.g. "uisan-ui-call-in-thread", "clang-diagnostic-error"
  Level Severity = Level::Warning;
  SourceLocationInfo Loc;
  std::string Message;
  std::vector<FindingNote> Notes;
};

/// Reads source files once, for line text and offset-to-line conversion.
class SourceCache {
public:
  /// Converts a byte offset in `File` to a 1-based line and column.
  SourceLocationInfo locate(const std::string &File, unsigned Offset);
  /// The text of line `Line` of `File`, without its newline; "" if unknown.
  std::string lineText(const std::string &File, unsigned Line);

private:
  struct Source {
    std::string Text;
    std::vector<size_t> LineStarts; ///< offset of each line's first byte
  };
  const Source *contents(const std::string &File);
  llvm::StringMap<Source> Files;
  llvm::StringMap<bool> Missing;
};

/// clang's format: `file:line:col: warning: message [check]`, the source
/// line and a caret, then each note the same way.
void printText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               SourceCache &Sources);

/// A JSON document: {"version": 1, "findings": [...]}.
void printJson(llvm::raw_ostream &OS, const std::vector<Finding> &Findings);

/// SARIF 2.1.0 with one run: rules with descriptions, artifact URIs relative
/// to `SourceRoot` (uriBaseId SRCROOT) where possible, regions, notes as
/// related locations, and line-shift-proof partialFingerprints.
void printSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                SourceCache &Sources, llvm::StringRef SourceRoot,
                llvm::StringRef ToolVersion);

} // namespace uisan::tidy

#endif
