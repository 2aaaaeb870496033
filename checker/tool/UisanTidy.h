//===- UisanTidy.h - the uisan-tidy driver as a library -------------------===//
//
// uisan-tidy's main() only forwards to uisanTidyMain(); tests drive
// runUisanTidy() with a Config directly.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_UISANTIDY_H
#define UISAN_CHECKER_UISANTIDY_H

#include "Findings.h"

#include "llvm/Support/JSON.h"

#include <map>
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
  std::vector<std::string> Exclude;       ///< --exclude globs
  bool Progress = false;                  ///< "[3/40] file" lines on stderr
  std::string CacheDir;                   ///< --cache-dir; "": the default
  bool NoCache = false;                   ///< --no-cache
  std::string WriteFacts;                 ///< --write-facts: extract only
  std::string DepFile;                    ///< --depfile, with WriteFacts
  bool FromFacts = false;                 ///< --from-facts: Files are facts
  bool DumpFacts = false;                 ///< --dump-facts: no checks, JSON
};

/// What a run produced.
struct RunResult {
  std::vector<Finding> Findings; ///< deduplicated, sorted by place
  std::vector<std::string> Errors; ///< config/database problems, printed as is
  unsigned TranslationUnits = 0;
  unsigned CachedUnits = 0; ///< of those, taken from the cache
  /// Files compile_commands.json lists that do not exist (not generated
  /// yet): left out, with one warning.
  std::vector<std::string> NotGenerated;
  /// The main file of every checked TU (findings elsewhere are in headers).
  std::vector<std::string> MainFiles;
  /// For each other file a TU read: the first main file (in run order)
  /// whose TU read it, as clang-tidy would configure its diagnostics.
  std::map<std::string, std::string> IncludedFrom;
  bool FactsWritten = false; ///< --write-facts wrote its file
  std::vector<llvm::json::Value> FactsJson; ///< --dump-facts: one per TU
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
