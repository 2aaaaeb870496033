// The fixture harness must fail both ways: on a missing diagnostic and on an
// unexpected one.
#include "FixtureExpectations.h"

#include <gtest/gtest.h>

using namespace uisan;

namespace {
tidy::Finding warning(unsigned Line, unsigned Col, std::string Msg) {
  tidy::Finding F;
  F.Check = "uisan-ui-call-in-thread";
  F.Loc = {"/f.cpp", Line, Col};
  F.Message = std::move(Msg);
  return F;
}
} // namespace

TEST(Expectations, ParsesRelativeAndAbsoluteLines) {
  test::FixtureSpec S = test::parseFixture(
      "// UISAN-REQUIRES: qt6\n"
      "x();\n"
      "// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'x' is a UI call [uisan-ui-call-in-thread]\n"
      "// CHECK-NOTES: :[[@LINE+2]]:1: note: called from 'y'\n"
      "// CHECK-NOTES: other.h:12:5: note: here\n");
  ASSERT_EQ(S.Expected.size(), 3u);
  EXPECT_EQ(S.Requires, std::vector<std::string>{"qt6"});
  EXPECT_EQ(S.Expected[0].Line, 2u);
  EXPECT_EQ(S.Expected[0].Column, 3u);
  EXPECT_EQ(S.Expected[1].Line, 6u);
  EXPECT_EQ(S.Expected[2].File, "other.h");
  EXPECT_EQ(S.Expected[2].Line, 12u);
  EXPECT_TRUE(S.ChecksNotes);
  EXPECT_TRUE(S.Errors.empty());
}

TEST(Expectations, MatchingFindingPasses) {
  auto S = test::parseFixture(
      "x();\n// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: 'x' is a UI call\n");
  auto Mismatches = test::compareFindings(S, "/f.cpp", {warning(1, 1, "'x' is a UI call made on a worker thread")});
  EXPECT_TRUE(Mismatches.empty());
}

TEST(Expectations, MissingDiagnosticFails) {
  auto S = test::parseFixture(
      "x();\n// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: 'x' is a UI call\n");
  auto Mismatches = test::compareFindings(S, "/f.cpp", {});
  ASSERT_EQ(Mismatches.size(), 1u);
  EXPECT_NE(Mismatches[0].find("missing"), std::string::npos);
}

TEST(Expectations, UnexpectedDiagnosticFails) {
  auto S = test::parseFixture("x();\n");
  auto Mismatches = test::compareFindings(S, "/f.cpp", {warning(1, 1, "boom")});
  ASSERT_EQ(Mismatches.size(), 1u);
  EXPECT_NE(Mismatches[0].find("unexpected: /f.cpp:1:1: warning: boom"),
            std::string::npos);
}

TEST(Expectations, WrongColumnOrTextFails) {
  auto S = test::parseFixture(
      "x();\n// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: 'x'\n");
  EXPECT_EQ(test::compareFindings(S, "/f.cpp", {warning(1, 1, "'x'")}).size(), 2u);
  auto S2 = test::parseFixture(
      "x();\n// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: 'y'\n");
  EXPECT_EQ(test::compareFindings(S2, "/f.cpp", {warning(1, 1, "'x'")}).size(), 2u);
}

TEST(Expectations, NotesAreCheckedOnlyWithCheckNotes) {
  tidy::Finding F = warning(1, 1, "'x'");
  F.Notes.push_back({{"/f.cpp", 3, 1}, "called from 'y'"});
  auto Messages = test::parseFixture(
      "x();\n// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: 'x'\n");
  EXPECT_TRUE(test::compareFindings(Messages, "/f.cpp", {F}).empty());
  auto Notes = test::parseFixture(
      "x();\n// CHECK-NOTES: :[[@LINE-1]]:1: warning: 'x'\n");
  auto Mismatches = test::compareFindings(Notes, "/f.cpp", {F});
  ASSERT_EQ(Mismatches.size(), 1u);
  EXPECT_NE(Mismatches[0].find("unexpected: /f.cpp:3:1: note"), std::string::npos);
}

TEST(Expectations, MalformedCheckLineIsAnError) {
  auto S = test::parseFixture("// CHECK-MESSAGES: [[@LINE]]: warning: x\n");
  EXPECT_EQ(S.Errors.size(), 1u);
  EXPECT_EQ(test::compareFindings(S, "/f.cpp", {}).size(), 1u);
}
