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
#include <cstring>
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
  size_t Patterns = 0, Agreed = 0, Matched = 0, Signatures = 0, SignatureMatched = 0;
  for (int I = 0; I < Spec.entry_count; ++I) {
    const uisan::audit::SpecEntry &E = Spec.entries[I];
    auto Kind = KindName.find(E.kind);
    if (Kind == KindName.end())
      continue; // library globs are file names; prefixes are not patterns
    const std::string Toolkit = Spec.toolkits[E.toolkit].name;
    EXPECT_TRUE(ByPack[Toolkit][Kind->second].count(E.text))
        << Kind->second << " " << E.text << " is not in pack " << Toolkit;
    std::string Why;
    // Except patterns may carry a parameter list (canonical already: no
    // white space), matched against signatures rather than names.
    std::optional<uisan::rules::Glob> G =
        uisan::rules::Glob::compile(E.text, Why, E.kind == uisan::audit::EntryKind::Except);
    ASSERT_TRUE(G) << E.text << ": " << Why;
    EXPECT_EQ(G->text(), E.text);
    EXPECT_EQ(G->hasSignature(), E.signature) << E.text;
    ++Patterns;
    if (E.signature) {
      ++Signatures;
      std::set<std::string> Near;
      namesNear(E.text, Near);
      for (const auto &C : uisan::testcases::kSignatureCases)
        Near.insert(C.Signature);
      for (const std::string &Sig : Near) {
        bool Runtime = uisan::audit::globMatches(E.text, Sig.c_str());
        EXPECT_EQ(Runtime, G->matches(Sig)) << "'" << E.text << "' on '" << Sig << "'";
        SignatureMatched += Runtime;
      }
      continue;
    }
    for (const std::string &Name : Names) {
      bool Runtime = uisan::audit::globMatches(E.text, Name.c_str());
      EXPECT_EQ(Runtime, G->matches(Name)) << "'" << E.text << "' on '" << Name << "'";
      ++Agreed;
      Matched += Runtime;
    }
  }
  EXPECT_GT(Patterns, 40u);
  // The FLTK pack's signature excepts ('Fl_Valuator::value() const', ...).
  EXPECT_GE(Signatures, 5u);
  EXPECT_GE(SignatureMatched, Signatures);
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

// The runtime's half of the shared signature cases: the text derived from
// each mangled symbol is the checker's (tests/rules/WildcardTest.cpp), and
// the canonical pattern texts uisan-run hands over match alike.
TEST(PatternCases, SignaturesFromMangledSymbolsAreTheCheckers) {
  for (const auto &C : uisan::testcases::kSignatureCases) {
    uisan::audit::QualifiedName Name;
    ASSERT_TRUE(uisan::audit::qualifiedName(C.Symbol, Name)) << C.Symbol;
    EXPECT_STREQ(Name.text, C.Name);
    char Sig[512];
    ASSERT_TRUE(uisan::audit::symbolSignature(C.Symbol, Name, Sig, sizeof(Sig))) << C.Symbol;
    EXPECT_STREQ(Sig, C.Signature) << C.Symbol;
  }
  for (const auto &C : uisan::testcases::kSignaturePatternCases) {
    std::string Why;
    std::optional<uisan::rules::Glob> G = uisan::rules::Glob::compile(C.Pattern, Why, true);
    ASSERT_TRUE(G) << C.Pattern << ": " << Why;
    EXPECT_TRUE(uisan::audit::isSignaturePattern(G->text().c_str())) << G->text();
    EXPECT_EQ(uisan::audit::globMatches(G->text().c_str(), C.Signature), C.Matches)
        << "'" << G->text() << "' on '" << C.Signature << "'";
  }
}

// The spec of the shipped packs fits the audit module's fixed tables with
// room to spare: entries, toolkits, every value and every remedy whole.
TEST(PatternAgreement, ShippedPacksFitTheAuditModulesTables) {
  static uisan::audit::Spec Spec;
  std::string Text = toolkitSpec();
  char Error[160];
  ASSERT_TRUE(Spec.parse(Text.c_str(), Error, sizeof(Error))) << Error;
  EXPECT_LE(Spec.entry_count * 2, uisan::audit::Spec::kMaxEntries);
  EXPECT_LE(Spec.toolkit_count * 2, uisan::kAuditMaxToolkits);
  EXPECT_LT(Text.size() * 4, size_t{1} << 16); // la_version's buffer for UISAN_AUDIT_SPEC
  std::vector<uisan::rules::Problem> Problems;
  for (const auto &P : uisan::rules::loadShippedPacks(Problems)) {
    EXPECT_LT(P->Remedy.size(), sizeof(Spec.toolkits[0].remedy)) << P->Name;
    EXPECT_LT(P->Name.size(), sizeof(Spec.toolkits[0].name)) << P->Name;
    EXPECT_LT(P->UiThreadName.size(), sizeof(Spec.toolkits[0].ui_thread_name)) << P->Name;
  }
  for (int I = 0; I < Spec.entry_count; ++I)
    EXPECT_LT(std::strlen(Spec.entries[I].text) + 8, sizeof(Spec.entries[I].text))
        << Spec.entries[I].text;
  // Every toolkit of a pack with libraries and a main or first-caller UI
  // thread is in the spec, the lock regions with it.
  std::set<std::string> Toolkits;
  for (int I = 0; I < Spec.toolkit_count; ++I)
    Toolkits.insert(Spec.toolkits[I].name);
  for (const char *Name : {"qt", "gtk", "gtkmm", "wx", "sdl2", "fltk", "imgui"})
    EXPECT_TRUE(Toolkits.count(Name)) << Name;
  int Regions = 0;
  for (int I = 0; I < Spec.entry_count; ++I)
    Regions += Spec.entries[I].kind == uisan::audit::EntryKind::RegionEnter;
  EXPECT_GE(Regions, 3); // Fl::lock, gdk_threads_enter, wxMutexGuiEnter
}
