//===- Filters.h - which findings a run shows -----------------------------===//
//
// After the checks have run, the driver narrows their findings the way
// clang-tidy does (per-file configuration, header filter, line filter,
// warnings as errors) and the way CI jobs need (only a pull request's
// changed lines, minus a baseline of accepted findings). Each filter is a
// plain function over the report model, so it is tested on its own.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_FILTERS_H
#define UISAN_CHECKER_FILTERS_H

#include "Findings.h"

#include "clang-tidy/ClangTidyOptions.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace uisan::tidy {

/// Lines of one file; an empty range list with All set means every line.
struct LineSet {
  bool All = false;
  std::vector<std::pair<unsigned, unsigned>> Ranges; ///< inclusive
  bool contains(unsigned Line) const;
};

/// Changed lines per file (absolute, normalised paths).
using ChangedLines = std::map<std::string, LineSet>;

/// Reads a unified diff (`git diff -U0`, `diff -u`): the lines each
/// hunk adds or changes in the new version of each file. Paths are taken
/// from the `+++` lines, with git's `b/` prefix dropped, relative to
/// `BaseDir`. On malformed input returns nullopt with "line N: why" in
/// `Error`.
std::optional<ChangedLines> parseUnifiedDiff(llvm::StringRef Diff,
                                             llvm::StringRef BaseDir,
                                             std::string &Error);

/// True when the finding's location, or one of its notes, is on a changed
/// line.
bool touchesChangedLines(const Finding &F, const ChangedLines &Changed);

/// clang-tidy's --line-filter: the first entry whose name ends the file's
/// path decides; a file no entry names is filtered out; no entries keep all.
bool passesLineFilter(const std::vector<clang::tidy::FileFilter> &Filter,
                      llvm::StringRef File, unsigned Line);

/// The fingerprints of a previous run's output: SARIF (its results'
/// partialFingerprints) or uisan-tidy's JSON (each finding's fingerprint).
/// On a problem returns nullopt with the reason (naming the file).
std::optional<std::set<std::string>> readBaseline(llvm::StringRef Path,
                                                  std::string &Error);

/// What decides, per finding, whether it is shown and how.
struct ReportFilter {
  /// Per-file configuration (.clang-tidy, --config, overrides); null: none.
  clang::tidy::ClangTidyOptionsProvider *Options = nullptr;
  /// Main files of the run's translation units: findings elsewhere are in
  /// headers and pass the header filters.
  std::set<std::string> MainFiles;
  /// A header's first including main file (RunResult::IncludedFrom).
  std::map<std::string, std::string> IncludedFrom;
  std::vector<clang::tidy::FileFilter> LineFilter;
  std::optional<ChangedLines> Diff;
  std::optional<std::set<std::string>> Baseline;
  std::string SourceRoot; ///< for fingerprints
};

/// What the filters did, for the summary line.
struct FilterCounts {
  unsigned HiddenByBaseline = 0;
  unsigned OutsideDiff = 0;
};

/// Applies the filters in clang-tidy's order (checks enabled for the file;
/// header filters and line filter, either of which a finding passes when it
/// or one of its notes does), then the diff and the baseline, and turns
/// warnings of checks in WarningsAsErrors into errors. Compile errors are
/// never filtered out. A finding is configured by its own file when that
/// is a main file, else by the first main file among its notes, else by
/// the first main file that includes its file (clang-tidy configures a
/// diagnostic by its translation unit's main file), else by its own file.
std::vector<Finding> applyReportFilter(std::vector<Finding> Findings,
                                       const ReportFilter &Filter,
                                       SourceCache &Sources,
                                       FilterCounts &Counts);

} // namespace uisan::tidy

#endif
