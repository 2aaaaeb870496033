// The runtime's half of the pattern tests: the shared case table
// (tests/shared/PatternCases.h) through the audit module's globMatches and
// through the suppressions, and proof that the checker (rules::Glob) and the
// audit module read the shipped packs' patterns alike, as uisan-run hands
// them over.
#include "uisan_audit_names.h"
#include "uisan_suppressions.h"

#include "PatternCases.h"
#include "uisan/rules/RulePack.h"
#include "uisan/rules/Wildcard.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

using uisan::testcases::kPatternCases;

namespace {

bool hasQuestionMark(const char *S) { return std::string(S).find('?') != std::string::npos; }

std::string withAll(std::string Pattern, char Wildcard, const std::string &By) {
  std::string Out;
  for (char C : Pattern)
    Out += C == Wildcard ? By : std::string(1, C);
  return Out;
}

/// Names a pattern matches, and names just beside them.
void namesNear(const std::string &Pattern, std::set<std::string> &Names) {
  for (const char *Fill : {"", "X", "a::b"}) {
    std::string Name = withAll(withAll(Pattern, '*', Fill), '?', "Q");
    Names.insert(Name);
    Names.insert(Name + "x");
    Names.insert("ns::" + Name);
    if (!Name.empty())
      Names.insert(Name.substr(0, Name.size() - 1));
  }
}

std::string toolkitSpec() {
  std::string Spec;
  FILE *P = popen(UISAN_RUN_PATH " --print-toolkit-spec", "r");
  if (!P)
    return Spec;
  char Buf[4096];
  size_t N;
  while ((N = fread(Buf, 1, sizeof(Buf), P)) > 0)
    Spec.append(Buf, N);
  EXPECT_EQ(pclose(P), 0);
  return Spec;
}

} // namespace

TEST(PatternCases, AuditModuleReadsThemAsRulePacksDo) {
  for (const auto &C : kPatternCases)
    EXPECT_EQ(uisan::audit::globMatches(C.Pattern, C.Text), C.Matches)
        << "'" << C.Pattern << "' on '" << C.Text << "'";
}

// Suppressions are unanchored and read '?' as itself; anchored at both
// ends, a pattern without '?' means what it means in a rule pack.
TEST(PatternCases, SuppressionsReadThemUnanchored) {
  size_t Checked = 0;
  for (const auto &C : kPatternCases) {
    if (hasQuestionMark(C.Pattern) || !C.Text[0])
      continue; // suppressions never match an empty name
    if (!C.Pattern[0])
      continue; // "^$" is a pattern for the empty name only
    std::string Anchored = std::string("^") + C.Pattern + "$";
    EXPECT_EQ(uisan::suppressionPatternMatches(Anchored.c_str(), C.Text), C.Matches)
        << "'" << Anchored << "' on '" << C.Text << "'";
    std::string Floating = std::string("*") + C.Pattern + "*";
    EXPECT_EQ(uisan::suppressionPatternMatches(C.Pattern, C.Text),
              uisan::wildcard::match(Floating.c_str(), C.Text, uisan::wildcard::kGlob))
        << "'" << C.Pattern << "' on '" << C.Text << "'";
    ++Checked;
  }
  EXPECT_GT(Checked, 50u);
  EXPECT_TRUE(uisan::suppressionPatternMatches("^a?c$", "a?c"));
  EXPECT_FALSE(uisan::suppressionPatternMatches("^a?c$", "abc"));
  EXPECT_TRUE(uisan::suppressionPatternMatches("k?", "ok?"));
  EXPECT_FALSE(uisan::suppressionPatternMatches("k?", "okay"));
}

// What uisan-run writes for the audit module (--print-toolkit-spec) holds
// the packs' patterns unchanged, and for every name near any of them the
// audit module's globMatches and the checker's Glob agree.
TEST(PatternAgreement, CheckerAndRuntimeReadTheShippedPacksAlike) {
  std::vector<uisan::rules::Problem> Problems;
  auto Packs = uisan::rules::loadShippedPacks(Problems);
  ASSERT_TRUE(Problems.empty());
  // The patterns each pack gives the runtime, by spec kind.
  std::map<std::string, std::map<std::string, std::set<std::string>>> ByPack;
  std::set<std::string> Names;
  for (const auto &P : Packs) {
    auto &Kinds = ByPack[P->Name];
    auto Add = [&](const char *Kind, const uisan::rules::GlobList &L) {
      for (const uisan::rules::Glob &G : L.Items)
        Kinds[Kind].insert(G.text());
    };
    Add("function", P->UiFunctions);
    Add("except", P->UiExcept);
    for (const auto &C : P->UiClasses) {
      Kinds[C.Subclasses ? "class" : "class-only"].insert(C.Name.text());
      Add("except", C.Except);
    }
    for (const auto &R : P->UiPrefixes)
      Add("except", R.Except);
    if (P->UiThread)
      Add("sets-ui-thread", P->UiThread->Functions);
    for (const auto &[Kind, Texts] : Kinds)
      for (const std::string &T : Texts)
        namesNear(T, Names);
  }

  static uisan::audit::Spec Spec; // large; not on the stack
  std::string Text = toolkitSpec();
  char Error[160];
  ASSERT_TRUE(Spec.parse(Text.c_str(), Error, sizeof(Error))) << Error;
  ASSERT_GE(Spec.toolkit_count, 2);
  const std::map<uisan::audit::EntryKind, const char *> KindName = {
      {uisan::audit::EntryKind::Function, "function"},
      {uisan::audit::EntryKind::Except, "except"},
      {uisan::audit::EntryKind::Class, "class"},
      {uisan::audit::EntryKind::ClassOnly, "class-only"},
      {uisan::audit::EntryKind::SetsUiThread, "sets-ui-thread"},
  };
  size_t Patterns = 0, Agreed = 0, Matched = 0;
  for (int I = 0; I < Spec.entry_count; ++I) {
    const uisan::audit::SpecEntry &E = Spec.entries[I];
    auto Kind = KindName.find(E.kind);
    if (Kind == KindName.end())
      continue; // library globs are file names; prefixes are not patterns
    const std::string Toolkit = Spec.toolkits[E.toolkit].name;
    EXPECT_TRUE(ByPack[Toolkit][Kind->second].count(E.text))
        << Kind->second << " " << E.text << " is not in pack " << Toolkit;
    std::string Why;
    std::optional<uisan::rules::Glob> G = uisan::rules::Glob::compile(E.text, Why);
    ASSERT_TRUE(G) << E.text << ": " << Why;
    ++Patterns;
    for (const std::string &Name : Names) {
      bool Runtime = uisan::audit::globMatches(E.text, Name.c_str());
      EXPECT_EQ(Runtime, G->matches(Name)) << "'" << E.text << "' on '" << Name << "'";
      ++Agreed;
      Matched += Runtime;
    }
  }
  EXPECT_GT(Patterns, 40u);
  // Both answers are exercised, not only "no match" (54 patterns, 372
  // names and 134 matches when this was written).
  EXPECT_GT(Matched, 100u);
  EXPECT_GT(Agreed - Matched, 10000u);
}

// The audit module matches in the loader's callbacks and the suppressions
// on the thread that reports: a pattern that costs a backtracking matcher
// about 4e9 steps (seconds) takes milliseconds. The limit is generous for
// sanitizer builds on a loaded machine.
TEST(PatternCases, PathologicalPatternsAreFastInTheRuntime) {
  const std::string Name(2000000, 'a');
  auto Start = std::chrono::steady_clock::now();
  for (const std::string &P : {"*" + std::string(2000, 'a') + "b",
                               "*" + std::string(2000, 'a') + "b*"}) {
    EXPECT_FALSE(uisan::audit::globMatches(P.c_str(), Name.c_str()));
    EXPECT_TRUE(uisan::audit::globMatches(P.c_str(), (Name + "b").c_str()));
  }
  std::string Unanchored = std::string(250, 'a') + "*" + std::string(4, 'a') + "b";
  EXPECT_FALSE(uisan::suppressionPatternMatches(Unanchored.c_str(), Name.c_str()));
  EXPECT_TRUE(uisan::suppressionPatternMatches(Unanchored.c_str(), (Name + "b").c_str()));
  auto Took = std::chrono::steady_clock::now() - Start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Took).count(), 1000);
}
