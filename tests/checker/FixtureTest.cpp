//===- FixtureTest.cpp - runs every fixture under fixtures/checker --------===//

#include "FixtureConfig.h"
#include "FixtureExpectations.h"
#include "UisanTidy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
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
  if (Toolkit == "gtkmm3")
    return UISAN_FLAGS_GTKMM3;
  if (Toolkit == "gstreamer")
    return UISAN_FLAGS_GSTREAMER;
  if (Toolkit == "wx")
    return UISAN_FLAGS_WX;
  if (Toolkit == "boost")
    return UISAN_FLAGS_BOOST;
  if (Toolkit == "gtkmm4")
    return UISAN_FLAGS_GTKMM4;
  if (Toolkit == "boost-thread")
    return UISAN_FLAGS_BOOST_THREAD;
  if (Toolkit == "imgui")
    return UISAN_FLAGS_IMGUI;
  if (Toolkit == "fltk")
    return UISAN_FLAGS_FLTK;
  if (Toolkit == "sdl2")
    return UISAN_FLAGS_SDL2;
  if (Toolkit == "juce")
    return UISAN_FLAGS_JUCE;
  return nullptr;
}

std::string baseName(const std::string &Path) {
  return Path.substr(Path.rfind('/') + 1);
}

/// The fix-its of a fixture: applied to copies of its files, each
/// CHECK-FIXES text must be on a line of the fixed copy, and the fixed
/// program must compile and no longer have a finding with a fix-it. A
/// fix-it the fixture does not expect fails it too.
void checkFixes(const test::FixtureSpec &Spec, const tidy::Config &C,
                const std::vector<tidy::Finding> &Findings) {
  bool Any = false;
  for (const tidy::Finding &F : Findings)
    Any |= !F.Fixes.empty();
  if (!Any && Spec.Fixes.empty())
    return;
  ASSERT_TRUE(Any) << "CHECK-FIXES expected, but no finding has a fix-it";
  ASSERT_FALSE(Spec.Fixes.empty())
      << "a finding has a fix-it the fixture does not expect (CHECK-FIXES)";
  size_t Count = 0;
  for (const tidy::Finding &F : Findings)
    Count += F.Fixes.size();
  EXPECT_EQ(Count, Spec.Fixes.size())
      << "one CHECK-FIXES line is expected per fix-it";
  char Tmpl[] = "/tmp/uisan-fixes-XXXXXX";
  std::string Dir = mkdtemp(Tmpl);
  // Copies of every file of the fixture, by base name.
  std::map<std::string, std::string> Copies;
  std::string Source = C.Files.front().substr(0, C.Files.front().rfind('/'));
  for (const auto &Entry : std::filesystem::directory_iterator(Source)) {
    if (!Entry.is_regular_file())
      continue;
    std::string Copy = Dir + "/" + Entry.path().filename().string();
    std::filesystem::copy_file(Entry.path(), Copy);
    Copies[Entry.path().string()] = Copy;
  }
  std::vector<tidy::Finding> Moved = Findings;
  for (tidy::Finding &F : Moved)
    for (tidy::FixIt &X : F.Fixes) {
      ASSERT_TRUE(Copies.count(X.Loc.File)) << X.Loc.File << " is not a fixture file";
      X.Loc.File = Copies[X.Loc.File];
    }
  unsigned Conflicts = 0;
  std::vector<std::string> Errors;
  tidy::applyFixes(Moved, Conflicts, Errors);
  EXPECT_TRUE(Errors.empty()) << Errors.front();
  EXPECT_EQ(Conflicts, 0u);
  for (const auto &[File, Text] : Spec.Fixes) {
    std::string Fixed = File.empty() ? Copies[C.Files.front()] : Dir + "/" + File;
    std::ifstream In(Fixed);
    bool Found = false;
    for (std::string Line; std::getline(In, Line);)
      Found |= Line.find("CHECK-") == std::string::npos &&
               Line.find(Text) != std::string::npos;
    EXPECT_TRUE(Found) << "CHECK-FIXES: '" << Text << "' is on no line of the fixed "
                       << baseName(Fixed);
  }
  // The fixed program compiles and is fixed.
  tidy::Config Again = C;
  Again.Files.clear();
  for (const std::string &F : C.Files)
    Again.Files.push_back(Copies[F]);
  tidy::RunResult R = tidy::runUisanTidy(Again);
  for (const tidy::Finding &F : R.Findings) {
    EXPECT_NE(F.Severity == tidy::Finding::Level::Error, true)
        << "the fixed program does not compile: " << baseName(F.Loc.File) << ":"
        << F.Loc.Line << ": " << F.Message;
    EXPECT_TRUE(F.Fixes.empty()) << "still to fix after the fix-its: "
                                 << baseName(F.Loc.File) << ":" << F.Loc.Line
                                 << ": " << F.Message;
  }
  std::filesystem::remove_all(Dir);
}

class Fixture : public testing::TestWithParam<const char *> {};

std::string readFile(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream Text;
  Text << In.rdbuf();
  return Text.str();
}

bool endsWith(const std::string &S, const char *Suffix) {
  size_t N = std::strlen(Suffix);
  return S.size() >= N && S.compare(S.size() - N, N, Suffix) == 0;
}

TEST_P(Fixture, DiagnosticsAreExactlyTheExpectedOnes) {
  std::string Path = std::string(UISAN_FIXTURES_DIR) + "/checker/" + GetParam();
  test::FixtureSpec Spec;
  tidy::Config C;
  std::string Dir;
  if (std::filesystem::is_directory(Path)) {
    // A program of several files: each source is a TU, every file may
    // carry expectations about itself.
    Dir = Path;
    std::vector<std::string> Entries;
    for (const auto &E : std::filesystem::directory_iterator(Path))
      if (E.is_regular_file())
        Entries.push_back(E.path().string());
    std::sort(Entries.begin(), Entries.end());
    for (const std::string &F : Entries) {
      std::string Base = F.substr(F.rfind('/') + 1);
      test::mergeFixture(Spec, test::parseFixture(readFile(F), Base));
      if (endsWith(F, ".cpp") || endsWith(F, ".c"))
        C.Files.push_back(F);
    }
    ASSERT_FALSE(C.Files.empty()) << Path << " has no .c or .cpp file";
  } else {
    std::ifstream In(Path);
    ASSERT_TRUE(In) << "cannot read " << Path;
    Spec = test::parseFixture(readFile(Path));
    C.Files = {Path};
    Dir = Path.substr(0, Path.rfind('/'));
  }

  C.HasFixedArgs = true;
  C.Jobs = 1;
  bool IsC = endsWith(C.Files.front(), ".c");
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
  for (const std::string &R : Spec.Rules)
    C.RulePacks.push_back(Dir + "/" + R);
  C.CheckOptions = Spec.Config;

  tidy::RunResult R = tidy::runUisanTidy(C);
  for (const std::string &E : R.Errors)
    ADD_FAILURE() << "run error: " << E;
  std::vector<std::string> Mismatches =
      test::compareFindings(Spec, Path, R.Findings);
  std::string All;
  for (const std::string &M : Mismatches)
    All += "  " + M + "\n";
  EXPECT_TRUE(Mismatches.empty()) << GetParam() << ":\n" << All;
  checkFixes(Spec, C, R.Findings);
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
