//===- UisanTidy.h - the uisan-tidy driver as a library -------------------===//
//
// uisan-tidy's main() only forwards to uisanTidyMain(); tests drive
// runUisanTidy() with a Config directly.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_UISANTIDY_H
#define UISAN_CHECKER_UISANTIDY_H

#include "Findings.h"

#include <string>
#include <vector>

namespace uisan::tidy {

/// Exit codes of uisan-tidy (documented in --help and docs/integration.md).
enum ExitCode : int {
  ExitClean = 0,    ///< no findings
  ExitFindings = 1, ///< at least one finding
  ExitError = 2,    ///< usage, configuration or compile errors
};

/// Everything one run needs; the command line fills it.
struct Config {
  std::string Checks = "uisan-*";
  std::vector<std::string> RulePacks;     ///< extra packs (--rules)
  std::vector<std::string> Files;         ///< TUs; empty: all in the database
  std::string BuildDir;                   ///< -p
  bool HasFixedArgs = false;              ///< '--' given
  std::vector<std::string> FixedArgs;     ///< compiler flags after '--'
  std::vector<std::string> ExtraArgs;     ///< --extra-arg
  /// Check options (--config), e.g. "uisan-ui-call-in-thread.MaxDepth".
  std::vector<std::pair<std::string, std::string>> CheckOptions;
  unsigned Jobs = 0;                      ///< 0: one per core
};

/// What a run produced.
struct RunResult {
  std::vector<Finding> Findings; ///< deduplicated, sorted by place
  std::vector<std::string> Errors; ///< config/database problems, printed as is
  unsigned TranslationUnits = 0;
  /// ExitClean, ExitFindings or ExitError.
  int exitCode() const;
};

/// Runs the enabled checks on every TU of `C`. Never throws; every problem
/// is in the result.
RunResult runUisanTidy(const Config &C);

/// The command-line tool: parses argv, runs, prints, returns the exit code.
int uisanTidyMain(int Argc, const char **Argv);

/// "uisan-tidy 0.1.0 (LLVM 19.1.7)".
std::string versionString();

} // namespace uisan::tidy

#endif
