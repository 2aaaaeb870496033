//===- FixtureExpectations.h - expectations written inside fixtures -------===//
//
// A clang-tidy-compatible subset:
//   // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: text [uisan-ui-call-in-thread]
//   // CHECK-NOTES: :[[@LINE-3]]:7: note: called from 'step'
//   // CHECK-NOTES: helper.h:12:3: note: ...      (another file, by base name)
// and directives:
//   // UISAN-REQUIRES: qt6|qt5|gtk3|gtkmm3|wx|boost   real toolkit headers
//   // UISAN-FLAGS: <compiler flags>         added to the defaults
//   // UISAN-RULES: <pack.json>              extra pack, relative to fixture
//   // UISAN-CONFIG: <key>=<value>           a check option, as --config
//   // CHECK-FIXES: <text>                   after the fix-its are applied,
//                                            a line of this file has <text>
// A fixture is one file, or a directory (a program of several files): each
// .c/.cpp file is a translation unit, every file (headers too) may carry
// expectations, and a relative one refers to the file it is written in.
// CHECK-MESSAGES covers warnings and errors; CHECK-NOTES also notes. Every
// diagnostic must be expected, and every expectation met; notes are only
// required to be expected when the fixture has CHECK-NOTES lines.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Findings.h"

#include <string>
#include <vector>

namespace uisan::test {

/// One expected diagnostic.
struct Expectation {
  unsigned DirectiveLine = 0; ///< where it is written, for failure messages
  std::string File;           ///< "" = the fixture itself; else a base name
  unsigned Line = 0;
  unsigned Column = 0;
  std::string Level; ///< warning, error or note
  std::string Text;  ///< substring of "message [check]"
  bool FromNotes = false;
};

/// Everything a fixture says about itself.
struct FixtureSpec {
  std::vector<Expectation> Expected;
  std::vector<std::string> Requires;
  std::vector<std::string> Flags;
  std::vector<std::string> Rules;
  std::vector<std::pair<std::string, std::string>> Config;
  /// CHECK-FIXES: (file base name or "" for the fixture, text).
  std::vector<std::pair<std::string, std::string>> Fixes;
  bool ChecksNotes = false;
  std::vector<std::string> Errors; ///< malformed directives
};

/// Parses one file. `File`: the base name relative expectations get ("":
/// the fixture is this one file).
FixtureSpec parseFixture(const std::string &Text, const std::string &File = "");

/// Adds `Other`'s expectations and directives to `Into`.
void mergeFixture(FixtureSpec &Into, FixtureSpec Other);

/// Compares findings (of the fixture at `Path`) with the spec; returns one
/// line per mismatch, empty when all is as expected.
std::vector<std::string>
compareFindings(const FixtureSpec &Spec, const std::string &Path,
                const std::vector<tidy::Finding> &Findings);

} // namespace uisan::test
