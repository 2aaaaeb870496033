//===- FixtureTest.cpp - runs every fixture under fixtures/checker --------===//

#include "FixtureConfig.h"
#include "FixtureExpectations.h"
#include "UisanTidy.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace uisan;

namespace {

const char *const Fixtures[] = {
#include "FixtureList.inc"
};

std::vector<std::string> words(const char *S) {
  std::istringstream In(S);
  std::vector<std::string> W;
  for (std::string X; In >> X;)
    W.push_back(X);
  return W;
}

const char *toolkitFlags(const std::string &Toolkit) {
  if (Toolkit == "qt6")
    return UISAN_FLAGS_QT6;
  if (Toolkit == "qt5")
    return UISAN_FLAGS_QT5;
  if (Toolkit == "gtk3")
    return UISAN_FLAGS_GTK3;
  if (Toolkit == "wx")
    return UISAN_FLAGS_WX;
  if (Toolkit == "boost")
    return UISAN_FLAGS_BOOST;
  return nullptr;
}

class Fixture : public testing::TestWithParam<const char *> {};

TEST_P(Fixture, DiagnosticsAreExactlyTheExpectedOnes) {
  std::string Path = std::string(UISAN_FIXTURES_DIR) + "/checker/" + GetParam();
  std::ifstream In(Path);
  ASSERT_TRUE(In) << "cannot read " << Path;
  std::stringstream Text;
  Text << In.rdbuf();
  test::FixtureSpec Spec = test::parseFixture(Text.str());

  tidy::Config C;
  C.Files = {Path};
  C.HasFixedArgs = true;
  C.Jobs = 1;
  bool IsC = Path.size() > 2 && Path.compare(Path.size() - 2, 2, ".c") == 0;
  C.FixedArgs = {IsC ? "-std=c11" : "-std=c++17",
                 "-I" UISAN_FIXTURES_DIR "/seed/include",
                 "-I" UISAN_FIXTURES_DIR "/checker/common"};
  for (const std::string &Toolkit : Spec.Requires) {
    const char *Flags = toolkitFlags(Toolkit);
    ASSERT_TRUE(Flags) << "unknown UISAN-REQUIRES '" << Toolkit << "'";
    if (!*Flags) {
      // CI installs every toolkit and sets this, so a missing one fails there.
      if (std::getenv("UISAN_REQUIRE_TOOLKITS"))
        FAIL() << Toolkit << " headers were not found at configure time";
      GTEST_SKIP() << Toolkit << " headers not found at configure time";
    }
    for (std::string &F : words(Flags))
      C.FixedArgs.push_back(F);
  }
  for (const std::string &F : Spec.Flags)
    C.FixedArgs.push_back(F);
  std::string Dir = Path.substr(0, Path.rfind('/'));
  for (const std::string &R : Spec.Rules)
    C.RulePacks.push_back(Dir + "/" + R);

  tidy::RunResult R = tidy::runUisanTidy(C);
  for (const std::string &E : R.Errors)
    ADD_FAILURE() << "run error: " << E;
  std::vector<std::string> Mismatches =
      test::compareFindings(Spec, Path, R.Findings);
  std::string All;
  for (const std::string &M : Mismatches)
    All += "  " + M + "\n";
  EXPECT_TRUE(Mismatches.empty()) << GetParam() << ":\n" << All;
}

std::string testName(const testing::TestParamInfo<const char *> &Info) {
  std::string Name;
  for (const char *P = Info.param; *P; ++P)
    Name += std::isalnum(static_cast<unsigned char>(*P)) ? *P : '_';
  return Name;
}

INSTANTIATE_TEST_SUITE_P(Checker, Fixture, testing::ValuesIn(Fixtures),
                         testName);

} // namespace
