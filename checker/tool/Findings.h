//===- Findings.h - what uisan-tidy found, and how it is printed ----------===//
//
// The model (Finding.h) is separate from the printers: the driver and the
// checks fill Findings, and the text, JSON and SARIF printers only read them.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_FINDINGS_H
#define UISAN_CHECKER_FINDINGS_H

#include "Finding.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace uisan::tidy {

/// Reads source files once, for line text and offset-to-line conversion.
class SourceCache {
public:
  /// Converts a byte offset in `File` to a 1-based line and column.
  SourceLocationInfo locate(const std::string &File, unsigned Offset);
  /// The text of line `Line` of `File`, without its newline; "" if unknown.
  std::string lineText(const std::string &File, unsigned Line);
  /// The whole text of `File`; "" if it cannot be read.
  std::string text(const std::string &File);
  /// The byte offset of a 1-based line and column; 0 if unknown.
  unsigned offset(const SourceLocationInfo &Loc);

private:
  struct Source {
    std::string Text;
    std::vector<size_t> LineStarts; ///< offset of each line's first byte
  };
  const Source *contents(const std::string &File);
  llvm::StringMap<Source> Files;
  llvm::StringMap<bool> Missing;
};

/// Applies the fix-its of `Findings` to their files (clang-tidy's --fix):
/// every file's edits at once, with clang::tooling::Replacements; an edit
/// that overlaps one already taken is left out and counted in `Conflicts`.
/// Returns the number of edits applied; problems (unwritable files) go to
/// `Errors`.
unsigned applyFixes(const std::vector<Finding> &Findings, unsigned &Conflicts,
                    std::vector<std::string> &Errors);

/// A finding's identity across runs that survives edits above it and moving
/// the tree: the check, the file relative to `SourceRoot`, the message and
/// the trimmed text of its line (not its number). SARIF's
/// partialFingerprints and --baseline use it.
std::string fingerprint(const Finding &F, SourceCache &Sources,
                        llvm::StringRef SourceRoot);

/// Printed by clang's TextDiagnostic, as clang-tidy prints:
/// `file:line:col: warning: message [check]`, the source line with its
/// line-number gutter and a caret, then each note the same way; with
/// `Color`, clang's colours. A place without a readable source line is
/// printed as its message line alone.
void printText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               SourceCache &Sources, bool Color = false);

/// A JSON document: {"version": 1, "findings": [...]}, each finding with
/// its fingerprint.
void printJson(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               SourceCache &Sources, llvm::StringRef SourceRoot);

/// clang-tidy's --export-fixes YAML (clang::tooling::TranslationUnitDiagnostics):
/// every finding with its notes, as Qt Creator, CLion and
/// clang-apply-replacements read it.
void printExportFixes(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                      SourceCache &Sources, llvm::StringRef MainSourceFile,
                      llvm::StringRef BuildDirectory);

/// SARIF 2.1.0 with one run: rules with descriptions, artifact URIs relative
/// to `SourceRoot` (uriBaseId SRCROOT) where possible, regions, notes as
/// related locations and as a code flow (from the thread's start to the
/// finding), and line-shift-proof partialFingerprints.
void printSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                SourceCache &Sources, llvm::StringRef SourceRoot,
                llvm::StringRef ToolVersion);

} // namespace uisan::tidy

#endif
