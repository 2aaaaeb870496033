#include "Filters.h"
#include "Findings.h"
#include "UisanChecks.h"
#include "UisanTidy.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace uisan::tidy;

namespace {
/// A finding with a note, in a real file so the printers can read lines.
struct Sample {
  std::string Path;
  std::vector<Finding> Findings;
  Sample() {
    char Dir[] = "/tmp/uisan-findings-XXXXXX";
    Path = std::string(mkdtemp(Dir)) + "/src dir/a.cpp";
    std::system(("mkdir -p '" + Path.substr(0, Path.rfind('/')) + "'").c_str());
    std::ofstream(Path) << "void f() {\n  label->setText(x);\n}\n";
    Finding F;
    F.Check = "uisan-ui-call-in-thread";
    F.Loc = {Path, 2, 10};
    F.Message = "'QLabel::setText' is a UI call made on a worker thread";
    F.Notes.push_back({{Path, 1, 6}, "the lambda runs on the thread started here"});
    Findings.push_back(F);
  }
};
} // namespace

TEST(Findings, TextIsClangFormatWithCaret) {
  Sample S;
  SourceCache Sources;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printText(OS, S.Findings, Sources);
  EXPECT_EQ(OS.str(),
            S.Path + ":2:10: warning: 'QLabel::setText' is a UI call made on a "
                     "worker thread [uisan-ui-call-in-thread]\n"
                     "    2 |   label->setText(x);\n"
                     "      |          ^\n" +
                S.Path + ":1:6: note: the lambda runs on the thread started here\n"
                         "    1 | void f() {\n"
                         "      |      ^\n");
  // A place whose line cannot be read is printed as its message line.
  std::vector<Finding> Lost = S.Findings;
  Lost[0].Loc = {"/nonexistent/x.cpp", 4, 2};
  Lost[0].Notes.clear();
  std::string Out2;
  llvm::raw_string_ostream OS2(Out2);
  printText(OS2, Lost, Sources);
  EXPECT_EQ(OS2.str(), "/nonexistent/x.cpp:4:2: warning: 'QLabel::setText' is a UI "
                       "call made on a worker thread [uisan-ui-call-in-thread]\n");
}

TEST(Findings, SourceCacheLocatesOffsets) {
  Sample S;
  SourceCache Sources;
  SourceLocationInfo L = Sources.locate(S.Path, 13); // 'l' of label
  EXPECT_EQ(L.Line, 2u);
  EXPECT_EQ(L.Column, 3u);
  EXPECT_EQ(Sources.lineText(S.Path, 3), "}");
  EXPECT_EQ(Sources.lineText("/nonexistent", 1), "");
}

TEST(Findings, JsonCarriesFindingsAndNotes) {
  Sample S;
  SourceCache Sources;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printJson(OS, S.Findings, Sources, "");
  auto V = llvm::json::parse(OS.str());
  ASSERT_TRUE(bool(V));
  const auto *Items = V->getAsObject()->getArray("findings");
  ASSERT_TRUE(Items);
  ASSERT_EQ(Items->size(), 1u);
  const auto *F = (*Items)[0].getAsObject();
  EXPECT_EQ(F->getString("check"), "uisan-ui-call-in-thread");
  EXPECT_EQ(F->getString("severity"), "warning");
  EXPECT_EQ(F->getInteger("line"), 2);
  EXPECT_EQ(F->getArray("notes")->size(), 1u);
}

TEST(Findings, SarifHasTheFieldsCodeScanningNeeds) {
  Sample S;
  SourceCache Sources;
  std::string Root = S.Path.substr(0, S.Path.find("/src dir"));
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printSarif(OS, S.Findings, Sources, Root, versionString());
  auto V = llvm::json::parse(OS.str());
  ASSERT_TRUE(bool(V)) << OS.str();
  const auto *Top = V->getAsObject();
  EXPECT_EQ(Top->getString("version"), "2.1.0");
  EXPECT_TRUE(Top->getString("$schema"));
  const auto *Run = (*Top->getArray("runs"))[0].getAsObject();
  const auto *Driver = Run->getObject("tool")->getObject("driver");
  EXPECT_EQ(Driver->getString("name"), "uisan-tidy");
  // Every check is a rule; a result's ruleIndex points at its own.
  const auto *Rules = Driver->getArray("rules");
  ASSERT_EQ(Rules->size(), uisanChecks().size());
  int UiIndex = -1;
  for (size_t I = 0; I < Rules->size(); ++I) {
    const auto *Rule = (*Rules)[I].getAsObject();
    EXPECT_TRUE(Rule->getObject("shortDescription")->getString("text"));
    EXPECT_TRUE(Rule->getObject("fullDescription")->getString("text"));
    if (Rule->getString("id") == "uisan-ui-call-in-thread")
      UiIndex = I;
  }
  ASSERT_GE(UiIndex, 0);
  EXPECT_EQ(Run->getObject("originalUriBaseIds")->getObject("SRCROOT")->getString("uri")->str(),
            "file://" + Root + "/");
  const auto *Result = (*Run->getArray("results"))[0].getAsObject();
  EXPECT_EQ(Result->getString("ruleId"), "uisan-ui-call-in-thread");
  EXPECT_EQ(Result->getInteger("ruleIndex"), UiIndex);
  EXPECT_EQ(Result->getString("level"), "warning");
  EXPECT_TRUE(Result->getObject("message")->getString("text"));
  const auto *Phys = (*Result->getArray("locations"))[0].getAsObject()->getObject("physicalLocation");
  EXPECT_EQ(Phys->getObject("artifactLocation")->getString("uri"), "src%20dir/a.cpp");
  EXPECT_EQ(Phys->getObject("artifactLocation")->getString("uriBaseId"), "SRCROOT");
  EXPECT_EQ(Phys->getObject("region")->getInteger("startLine"), 2);
  EXPECT_EQ(Phys->getObject("region")->getInteger("startColumn"), 10);
  auto FP = Result->getObject("partialFingerprints")->getString("uisanFingerprint/v1");
  ASSERT_TRUE(FP);
  EXPECT_EQ(FP->size(), 40u);
  EXPECT_EQ(Result->getArray("relatedLocations")->size(), 1u);
}

TEST(Findings, SarifFingerprintSurvivesLineShifts) {
  Sample A;
  Sample B;
  std::ofstream(B.Path) << "// a new comment\nvoid f() {\n  label->setText(x);\n}\n";
  B.Findings[0].Loc.Line = 3;
  auto Fingerprint = [](Sample &S) {
    SourceCache Sources;
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    printSarif(OS, S.Findings, Sources, S.Path.substr(0, S.Path.find("/src dir")), "v");
    auto V = llvm::json::parse(OS.str());
    const auto *Run = (*V->getAsObject()->getArray("runs"))[0].getAsObject();
    return (*Run->getArray("results"))[0].getAsObject()->getObject("partialFingerprints")->getString("uisanFingerprint/v1")->str();
  };
  EXPECT_EQ(Fingerprint(A), Fingerprint(B));
}

TEST(Findings, ExitCodes) {
  RunResult R;
  EXPECT_EQ(R.exitCode(), ExitClean);
  R.Findings.push_back(Finding());
  EXPECT_EQ(R.exitCode(), ExitFindings);
  R.Findings.back().Severity = Finding::Level::Error;
  EXPECT_EQ(R.exitCode(), ExitError);
  RunResult E;
  E.Errors.push_back("bad pack");
  EXPECT_EQ(E.exitCode(), ExitError);
}

TEST(Findings, SarifDrawsTheNotesAsACodeFlowInRunOrder) {
  Sample S;
  S.Findings[0].Notes.insert(S.Findings[0].Notes.begin(),
                             {{S.Path, 3, 1}, "called from 'helper'"});
  SourceCache Sources;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printSarif(OS, S.Findings, Sources, "", versionString());
  auto V = llvm::json::parse(OS.str());
  ASSERT_TRUE(bool(V)) << OS.str();
  const auto *Run = (*V->getAsObject()->getArray("runs"))[0].getAsObject();
  const auto *Result = (*Run->getArray("results"))[0].getAsObject();
  const auto *Flows = Result->getArray("codeFlows");
  ASSERT_TRUE(Flows);
  const auto *Locations = (*(*Flows)[0].getAsObject()->getArray("threadFlows"))[0]
                              .getAsObject()
                              ->getArray("locations");
  ASSERT_EQ(Locations->size(), 3u);
  auto Text = [&](size_t I) {
    return (*Locations)[I].getAsObject()->getObject("location")->getObject("message")
        ->getString("text")->str();
  };
  // The thread's start first, the UI call last.
  EXPECT_EQ(Text(0), "the lambda runs on the thread started here");
  EXPECT_EQ(Text(1), "called from 'helper'");
  EXPECT_EQ(Text(2), S.Findings[0].Message);
  EXPECT_TRUE(Result->getArray("relatedLocations"));
}

TEST(Filters, UnifiedDiffGivesTheNewFilesChangedLines) {
  std::string Error;
  auto D = parseUnifiedDiff("diff --git a/src/a.cpp b/src/a.cpp\n"
                            "index 1..2 100644\n"
                            "--- a/src/a.cpp\n"
                            "+++ b/src/a.cpp\n"
                            "@@ -3,0 +4,2 @@ void f()\n"
                            "+int x;\n"
                            "+int y;\n"
                            "@@ -10,3 +12,3 @@\n"
                            " keep\n"
                            "-old\n"
                            "+new\n"
                            " keep\n"
                            "\\ No newline at end of file\n"
                            "--- a/gone.cpp\n"
                            "+++ /dev/null\n"
                            "@@ -1,2 +0,0 @@\n"
                            "-a\n"
                            "-b\n"
                            "--- x.h\t2026-01-01 00:00:00\n"
                            "+++ x.h\t2026-01-02 00:00:00\n"
                            "@@ -1 +1 @@\n"
                            "-a\n"
                            "+b\n",
                            "/repo", Error);
  ASSERT_TRUE(D) << Error;
  ASSERT_EQ(D->size(), 2u);
  const LineSet &A = D->at("/repo/src/a.cpp");
  EXPECT_FALSE(A.contains(3));
  EXPECT_TRUE(A.contains(4));
  EXPECT_TRUE(A.contains(5));
  EXPECT_FALSE(A.contains(12)); // context
  EXPECT_TRUE(A.contains(13));
  EXPECT_FALSE(A.contains(14));
  EXPECT_TRUE(D->at("/repo/x.h").contains(1));

  Finding F;
  F.Loc = {"/repo/src/b.cpp", 4, 1};
  EXPECT_FALSE(touchesChangedLines(F, *D));
  F.Notes.push_back({{"/repo/src/a.cpp", 13, 2}, "called from here"});
  EXPECT_TRUE(touchesChangedLines(F, *D)); // through a note

  EXPECT_FALSE(parseUnifiedDiff("+++ b/a\n@@ -1,2 +1,3 @@\n+x\n", "/", Error));
  EXPECT_NE(Error.find("line 3: the diff ends inside a hunk"), std::string::npos) << Error;
  EXPECT_FALSE(parseUnifiedDiff("@@ -1 +1 @@\n+x\n", "/", Error));
  EXPECT_NE(Error.find("before any '+++ file' line"), std::string::npos) << Error;
}

TEST(Filters, LineFilterIsClangTidys) {
  std::vector<clang::tidy::FileFilter> Filter = {{"a.cpp", {{1, 3}, {7, 7}}}, {"b.h", {}}};
  EXPECT_TRUE(passesLineFilter(Filter, "/x/a.cpp", 2));
  EXPECT_TRUE(passesLineFilter(Filter, "/x/a.cpp", 7));
  EXPECT_FALSE(passesLineFilter(Filter, "/x/a.cpp", 5));
  EXPECT_TRUE(passesLineFilter(Filter, "/x/b.h", 99));
  EXPECT_FALSE(passesLineFilter(Filter, "/x/c.cpp", 1)); // not named: out
  EXPECT_TRUE(passesLineFilter({}, "/x/c.cpp", 1));      // no filter: all
}
