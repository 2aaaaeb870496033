//===- FixtureExpectations.h - expectations written inside fixtures -------===//
//
// A clang-tidy-compatible subset:
//   // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: text [uisan-ui-call-in-thread]
//   // CHECK-NOTES: :[[@LINE-3]]:7: note: called from 'step'
//   // CHECK-NOTES: helper.h:12:3: note: ...      (another file, by base name)
// and directives:
//   // UISAN-REQUIRES: qt6|qt5|gtk3|wx      real toolkit headers
//   // UISAN-FLAGS: <compiler flags>         added to the defaults
//   // UISAN-RULES: <pack.json>              extra pack, relative to fixture
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
  bool ChecksNotes = false;
  std::vector<std::string> Errors; ///< malformed directives
};

FixtureSpec parseFixture(const std::string &Text);

/// Compares findings (of the fixture at `Path`) with the spec; returns one
/// line per mismatch, empty when all is as expected.
std::vector<std::string>
compareFindings(const FixtureSpec &Spec, const std::string &Path,
                const std::vector<tidy::Finding> &Findings);

} // namespace uisan::test
