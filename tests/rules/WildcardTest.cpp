// The pattern matcher shared by rules::Glob, the audit module and the
// suppressions (rules/include/uisan/rules/Wildcard.h): the shared case
// table, agreement with a reference matcher on random inputs, and the
// linear bound on inputs that are quadratic for a backtracking matcher.
#include "uisan/rules/Glob.h"
#include "uisan/rules/Wildcard.h"

#include "PatternCases.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

using namespace uisan;
using uisan::testcases::kPatternCases;

namespace {

/// Dynamic programming over (pattern prefix, text prefix): obviously right,
/// O(n * m), the yardstick for the real matcher.
bool reference(std::string Pattern, const std::string &Text, unsigned Flags) {
  if (!(Flags & wildcard::kAnchorBegin))
    Pattern = "*" + Pattern;
  if (!(Flags & wildcard::kAnchorEnd))
    Pattern += "*";
  const size_t M = Pattern.size(), N = Text.size();
  std::vector<std::vector<char>> Ok(M + 1, std::vector<char>(N + 1, 0));
  Ok[0][0] = 1;
  for (size_t I = 1; I <= M; ++I) {
    char P = Pattern[I - 1];
    for (size_t J = 0; J <= N; ++J) {
      if (P == '*')
        Ok[I][J] = Ok[I - 1][J] || (J && Ok[I][J - 1]);
      else if (J && (P == Text[J - 1] ||
                     (P == '?' && (Flags & wildcard::kQuestionMark))))
        Ok[I][J] = Ok[I - 1][J - 1];
    }
  }
  return Ok[M][N];
}

bool matches(const std::string &Pattern, const std::string &Text, unsigned Flags) {
  return wildcard::match(Pattern.data(), Pattern.size(), Text.data(), Text.size(), Flags);
}

struct StepCounter {
  size_t N = 0;
  void operator()(size_t K) { N += K; }
};

size_t steps(const std::string &Pattern, const std::string &Text, unsigned Flags,
             bool &Result) {
  StepCounter C;
  Result = wildcard::detail::matchCounted(Pattern.data(), Pattern.size(), Text.data(),
                                          Text.size(), Flags, C);
  return C.N;
}

} // namespace

TEST(Wildcard, SharedCasesThroughGlobAndTheMatcher) {
  size_t Compiled = 0, True = 0;
  for (const auto &C : kPatternCases) {
    EXPECT_EQ(reference(C.Pattern, C.Text, wildcard::kGlob), C.Matches)
        << "the table is wrong: '" << C.Pattern << "' on '" << C.Text << "'";
    EXPECT_EQ(wildcard::match(C.Pattern, C.Text, wildcard::kGlob), C.Matches)
        << "'" << C.Pattern << "' on '" << C.Text << "'";
    True += C.Matches;
    std::string Why;
    if (std::optional<rules::Glob> G = rules::Glob::compile(C.Pattern, Why)) {
      ++Compiled;
      EXPECT_EQ(G->matches(C.Text), C.Matches)
          << "Glob '" << C.Pattern << "' on '" << C.Text << "'";
    }
  }
  // Most rows are valid rule-pack patterns; both outcomes are covered.
  EXPECT_GT(Compiled, std::size(kPatternCases) * 3 / 4);
  EXPECT_GT(True, 20u);
  EXPECT_GT(std::size(kPatternCases) - True, 20u);
}

// Every flag combination on random patterns and texts over a small
// alphabet, where runs repeat and overlap the most.
TEST(Wildcard, AgreesWithTheReferenceOnRandomInputs) {
  std::mt19937 Rng(20261121);
  const char PatternChars[] = "ab*?";
  const char TextChars[] = "ab?";
  size_t Matched = 0, Total = 0;
  for (int Round = 0; Round < 60000; ++Round) {
    std::string P, T;
    for (int I = Rng() % 10; I > 0; --I)
      P += PatternChars[Rng() % 4];
    for (int I = Rng() % 14; I > 0; --I)
      T += TextChars[Rng() % (Rng() % 8 ? 2 : 3)];
    unsigned Flags = Rng() % 8;
    bool Want = reference(P, T, Flags);
    ASSERT_EQ(matches(P, T, Flags), Want)
        << "'" << P << "' on '" << T << "', flags " << Flags;
    Matched += Want;
    ++Total;
  }
  EXPECT_GT(Matched, Total / 10);
  EXPECT_LT(Matched, Total - Total / 10);
}

// Two-Way on its own: the leftmost place of a literal run, for periodic
// and aperiodic runs, from every start.
TEST(Wildcard, TwoWayFindsTheLeftmostPlace) {
  std::mt19937 Rng(7);
  wildcard::detail::NoSteps None;
  for (int Round = 0; Round < 30000; ++Round) {
    std::string X, Y;
    int Alphabet = 1 + Rng() % 3;
    for (int I = 1 + Rng() % 9; I > 0; --I)
      X += static_cast<char>('a' + Rng() % Alphabet);
    if (Rng() % 2) // make it periodic
      X = X.substr(0, 1 + X.size() / 3) + X.substr(0, 1 + X.size() / 3) + X;
    for (int I = Rng() % 40; I > 0; --I)
      Y += static_cast<char>('a' + Rng() % Alphabet);
    size_t From = Y.empty() ? 0 : Rng() % (Y.size() + 1);
    size_t Want = Y.find(X, From);
    size_t Got = wildcard::detail::twoWay(
        reinterpret_cast<const unsigned char *>(X.data()), X.size(),
        reinterpret_cast<const unsigned char *>(Y.data()), From, Y.size(), None);
    ASSERT_EQ(Got, Want == std::string::npos ? wildcard::detail::kNotFound : Want)
        << "'" << X << "' in '" << Y << "' from " << From;
  }
}

// Patterns that cost a backtracking matcher (one backtrack point, as Glob
// and the audit module had) n * m steps: here each stays within a small
// multiple of n + m. The limit, 6 (n + m), is what the file comment's
// bound allows: Two-Way compares a text byte at most twice, its set-up
// reads the run four times, Shift-And takes one step a byte.
TEST(Wildcard, PathologicalPatternsTakeLinearSteps) {
  const std::string A(200000, 'a');
  struct Case {
    std::string Pattern, Text;
    bool Matches;
  } Cases[] = {
      {"*" + std::string(2000, 'a') + "b", A, false},
      {"*" + std::string(2000, 'a') + "b*", A + "b", true},
      {[] {
         std::string P;
         for (int I = 0; I < 1000; ++I)
           P += "a*";
         return P + "b";
       }(),
       A, false},
      {[] {
         std::string P = "*";
         for (int I = 0; I < 30; ++I)
           P += "a?";
         return P + "b*";
       }(),
       A, false},
      {"*" + [] {
         std::string P;
         for (int I = 0; I < 500; ++I)
           P += "ab";
         return P;
       }() + "c",
       [] {
         std::string T;
         for (int I = 0; I < 100000; ++I)
           T += "ab";
         return T;
       }(),
       false},
      {"*" + std::string(255, 'a'), std::string(5000, 'a') + "b" + std::string(255, 'a'), true},
  };
  for (const Case &C : Cases) {
    for (unsigned Flags : {wildcard::kGlob, 0u, unsigned(wildcard::kAnchorEnd)}) {
      bool Result = false;
      size_t N = steps(C.Pattern, C.Text, Flags, Result);
      size_t Bound = 6 * (C.Pattern.size() + C.Text.size());
      EXPECT_LE(N, Bound) << C.Pattern.substr(0, 40) << "... flags " << Flags;
      if (Flags == wildcard::kGlob) {
        EXPECT_EQ(Result, C.Matches) << C.Pattern.substr(0, 40);
      }
    }
  }
}

// The same through Glob, timed: a backtracking matcher needs about 4e9
// steps (seconds) for each pattern, a naive search for the run of the
// second as many; linear, a few milliseconds. The limit is generous for
// sanitizer builds on a loaded machine.
TEST(Wildcard, GlobIsFastOnPathologicalPatterns) {
  const std::string Name(2000000, 'a');
  auto Start = std::chrono::steady_clock::now();
  for (const std::string &P : {"*" + std::string(2000, 'a') + "b",
                               "*" + std::string(2000, 'a') + "b*"}) {
    std::string Why;
    auto G = rules::Glob::compile(P, Why);
    ASSERT_TRUE(G) << Why;
    EXPECT_FALSE(G->matches(Name));
    EXPECT_TRUE(G->matches(Name + "b"));
  }
  auto Took = std::chrono::steady_clock::now() - Start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Took).count(), 1000);
}

// The checker's signatures (Glob::signature over Clang's parameter types)
// are the texts the runtime derives from mangled symbols
// (tests/runtime/pattern_test.cpp runs the same table), and signature
// patterns read them alike.
TEST(Wildcard, SharedSignatureCases) {
  using uisan::testcases::kSignatureCases;
  using uisan::testcases::kSignaturePatternCases;
  for (const auto &C : kSignatureCases) {
    std::vector<std::string> Params(C.Params, C.Params + C.ParamCount);
    EXPECT_EQ(uisan::rules::Glob::signature(C.Name, Params, C.Const), C.Signature) << C.Symbol;
  }
  for (const auto &C : kSignaturePatternCases) {
    std::string Why;
    std::optional<uisan::rules::Glob> G = uisan::rules::Glob::compile(C.Pattern, Why, true);
    ASSERT_TRUE(G) << C.Pattern << ": " << Why;
    EXPECT_TRUE(G->hasSignature()) << C.Pattern;
    EXPECT_EQ(G->matches(C.Signature), C.Matches) << "'" << C.Pattern << "' on '" << C.Signature << "'";
  }
}
