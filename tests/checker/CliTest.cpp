//===- CliTest.cpp - uisan-tidy and the clang-tidy plugin, end to end -----===//

#include "FixtureConfig.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace {

struct Output {
  int Exit = -1;
  std::string Out, Err;
};

std::string slurp(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// A scratch directory with files; removed at the end of the test.
class Scratch {
public:
  Scratch() {
    char Tmpl[] = "/tmp/uisan-cli-XXXXXX";
    Dir = mkdtemp(Tmpl);
  }
  ~Scratch() { std::system(("rm -rf '" + Dir + "'").c_str()); }
  std::string write(const std::string &Name, const std::string &Text) {
    std::string Path = Dir + "/" + Name;
    std::system(("mkdir -p \"$(dirname '" + Path + "')\"").c_str());
    std::ofstream(Path) << Text;
    return Path;
  }
  Output run(const std::string &Args) {
    Output O;
    std::string Cmd = "cd '" + Dir + "' && " + Args + " >'" + Dir +
                      "/.out' 2>'" + Dir + "/.err'";
    int Status = std::system(Cmd.c_str());
    O.Exit = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
    O.Out = slurp(Dir + "/.out");
    O.Err = slurp(Dir + "/.err");
    return O;
  }
  std::string Dir;
};

const std::string Tidy = UISAN_TIDY_EXE;
const std::string SeedFlags =
    " -- -std=c++17 -I" UISAN_FIXTURES_DIR "/seed/include";

const char *Bad = R"(#include <seed/st.h>
#include <thread>
void page() {
  std::thread t([] { st::write("x"); });
  t.join();
}
)";
const char *Good = R"(#include <seed/st.h>
#include <thread>
void page() {
  int r = 0;
  std::thread t([&] { r = 42; });
  t.join();
  st::write(std::to_string(r));
}
)";

size_t count(const std::string &Haystack, const std::string &Needle) {
  size_t N = 0;
  for (size_t P = Haystack.find(Needle); P != std::string::npos;
       P = Haystack.find(Needle, P + 1))
    ++N;
  return N;
}

TEST(Cli, ExitCodesFollowTheFindings) {
  Scratch S;
  S.write("bad.cpp", Bad);
  S.write("good.cpp", Good);
  Output B = S.run(Tidy + " bad.cpp" + SeedFlags);
  EXPECT_EQ(B.Exit, 1) << B.Err;
  EXPECT_NE(B.Out.find("bad.cpp:4:22: warning: 'st::write' is a UI call made "
                       "on a worker thread"),
            std::string::npos)
      << B.Out;
  EXPECT_NE(B.Err.find("uisan-tidy: 1 finding, 0 errors in 1 translation unit"),
            std::string::npos)
      << B.Err;
  EXPECT_EQ(B.Err.find("warnings generated"), std::string::npos) << B.Err;
  Output G = S.run(Tidy + " good.cpp" + SeedFlags);
  EXPECT_EQ(G.Exit, 0) << G.Out << G.Err;
  EXPECT_EQ(G.Out, "");
}

TEST(Cli, UsageErrorsExitTwo) {
  Scratch S;
  Output U = S.run(Tidy + " --frobnicate x.cpp");
  EXPECT_EQ(U.Exit, 2);
  EXPECT_NE(U.Err.find("Unknown command line argument '--frobnicate'"),
            std::string::npos)
      << U.Err;
  Output F = S.run(Tidy + " --format=xml x.cpp");
  EXPECT_EQ(F.Exit, 2);
  EXPECT_NE(F.Err.find("xml"), std::string::npos) << F.Err;
  Output N = S.run(Tidy);
  EXPECT_EQ(N.Exit, 2);
  EXPECT_NE(N.Err.find("nothing to check"), std::string::npos) << N.Err;
  Output V = S.run(Tidy + " --version");
  EXPECT_EQ(V.Exit, 0);
  EXPECT_NE(V.Out.find("uisan-tidy 0.1.0 (LLVM "), std::string::npos) << V.Out;
}

TEST(Cli, BrokenTranslationUnitDoesNotStopTheOthers) {
  Scratch S;
  S.write("bad.cpp", Bad);
  S.write("broken.cpp", "int main() { return undeclared; }\n");
  Output O = S.run(Tidy + " -j2 broken.cpp bad.cpp" + SeedFlags);
  EXPECT_EQ(O.Exit, 2) << O.Out << O.Err;
  EXPECT_NE(O.Out.find("broken.cpp:1:21: error: use of undeclared identifier "
                       "'undeclared' [clang-diagnostic-error]"),
            std::string::npos)
      << O.Out;
  EXPECT_NE(O.Out.find("bad.cpp:4:22: warning: 'st::write'"), std::string::npos)
      << O.Out;
}

TEST(Cli, MissingFileIsReportedNotFatal) {
  Scratch S;
  S.write("bad.cpp", Bad);
  Output O = S.run(Tidy + " nonexistent.cpp bad.cpp" + SeedFlags);
  EXPECT_EQ(O.Exit, 2) << O.Out << O.Err;
  EXPECT_NE(O.Out.find("bad.cpp:4:22: warning"), std::string::npos) << O.Out;
  EXPECT_NE(O.Out.find("nonexistent.cpp"), std::string::npos) << O.Out << O.Err;
}

TEST(Cli, HeaderFindingIsReportedOnce) {
  Scratch S;
  S.write("worker.h", R"(#pragma once
#include <seed/st.h>
#include <thread>
inline void startWorker() {
  std::thread t([] { st::write("from header"); });
  t.join();
}
)");
  S.write("a.cpp", "#include \"worker.h\"\nvoid a() { startWorker(); }\n");
  S.write("b.cpp", "#include \"worker.h\"\nvoid b() { startWorker(); }\n");
  Output O = S.run(Tidy + " -j2 a.cpp b.cpp" + SeedFlags);
  EXPECT_EQ(O.Exit, 1) << O.Err;
  EXPECT_EQ(count(O.Out, "worker.h:5:22: warning"), 1u) << O.Out;
  EXPECT_NE(O.Err.find("in 2 translation units"), std::string::npos) << O.Err;
}

TEST(Cli, SystemHeadersAreSkipped) {
  Scratch S;
  S.write("sys/lib.h", R"(#pragma once
#include <seed/st.h>
#include <thread>
inline void libWorker() {
  std::thread t([] { st::write("library"); });
  t.join();
}
)");
  S.write("a.cpp", "#include <lib.h>\nvoid a() { libWorker(); }\n");
  Output O = S.run(Tidy + " a.cpp" + SeedFlags + " -isystem sys");
  EXPECT_EQ(O.Exit, 0) << O.Out << O.Err;
}

TEST(Cli, BadRulePackIsReportedAndGoodPacksStillApply) {
  Scratch S;
  S.write("bad.json", "{\"format\": 1, \"name\": \"bad\", \"description\": \"d\",\n"
                      " \"spawners\": [{\"functoin\": \"x\"}]}\n");
  S.write("inhouse.json", R"({"format": 1, "name": "inhouse", "description": "d",
    "remedy": "post it with 'ui::post'",
    "ui": {"functions": ["ui::*"]},
    "spawners": [{"function": "rt::go"}]})");
  S.write("app.cpp", R"(namespace ui { void paint(); }
namespace rt { template <class F> void go(F f) { (void)f; } }
void f() { rt::go([] { ui::paint(); }); }
)");
  Output O = S.run(Tidy + " --rules bad.json --rules inhouse.json app.cpp -- -std=c++17");
  EXPECT_EQ(O.Exit, 2) << O.Out << O.Err;
  EXPECT_NE(O.Err.find("bad.json:2:16: error: unknown key 'functoin' [at "
                       "$.spawners[0].functoin]; did you mean 'function'?"),
            std::string::npos)
      << O.Err;
  EXPECT_NE(O.Out.find("app.cpp:3:24: warning: 'ui::paint' is a UI call made "
                       "on a worker thread; post it with 'ui::post'"),
            std::string::npos)
      << O.Out;
}

TEST(Cli, ConfigSetsCheckOptions) {
  Scratch S;
  S.write("chain.cpp", R"(#include <seed/st.h>
#include <thread>
static void deep() { st::write("x"); }
static void mid() { deep(); }
void page() { std::thread t([] { mid(); }); t.join(); }
)");
  Output All = S.run(Tidy + " chain.cpp" + SeedFlags);
  EXPECT_EQ(All.Exit, 1) << All.Err;
  Output Shallow = S.run(Tidy + " --config='{CheckOptions: "
                                "{uisan-ui-call-in-thread.MaxDepth: 1}}' chain.cpp" +
                         SeedFlags);
  EXPECT_EQ(Shallow.Exit, 0) << Shallow.Out << Shallow.Err;
  Output Dump = S.run(Tidy + " --dump-config --config='{CheckOptions: "
                             "{uisan-ui-call-in-thread.MaxDepth: 1}}'");
  EXPECT_NE(Dump.Out.find("uisan-ui-call-in-thread.MaxDepth: '1'"), std::string::npos)
      << Dump.Out;
  Output Packs = S.run(Tidy + " --config='{CheckOptions: {RulePacks: nope.json}}' "
                             "chain.cpp" + SeedFlags);
  EXPECT_EQ(Packs.Exit, 2) << Packs.Err;
  EXPECT_NE(Packs.Err.find("nope.json: error: cannot read the rule pack"),
            std::string::npos)
      << Packs.Err;
  Output Bad = S.run(Tidy + " --config='{CheckOptions: [' chain.cpp" + SeedFlags);
  EXPECT_EQ(Bad.Exit, 2);
  EXPECT_NE(Bad.Err.find("error: --config:"), std::string::npos) << Bad.Err;
}

TEST(Cli, DuplicatePackNameIsAnError) {
  Scratch S;
  const char *Pack = R"({"format": 1, "name": "twin", "description": "d"})";
  S.write("a.json", Pack);
  S.write("b.json", Pack);
  S.write("x.cpp", "void f() {}\n");
  Output O = S.run(Tidy + " --rules a.json --rules b.json x.cpp -- -std=c++17");
  EXPECT_EQ(O.Exit, 2);
  EXPECT_NE(O.Err.find("b.json: error: a pack named 'twin' is already loaded "
                       "from a.json [at $.name]; give this pack another name"),
            std::string::npos)
      << O.Err;
  EXPECT_NE(O.Err.find("1 error in 1 translation unit"), std::string::npos) << O.Err;
}

TEST(Cli, MissingCompilationDatabaseNamesTheRemedy) {
  Scratch S;
  S.write("empty/.keep", "");
  Output O = S.run(Tidy + " -p empty");
  EXPECT_EQ(O.Exit, 2);
  EXPECT_NE(O.Err.find("no compilation database found in 'empty'"),
            std::string::npos)
      << O.Err;
  EXPECT_NE(O.Err.find("-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"), std::string::npos)
      << O.Err;
}

TEST(Cli, CompilationDatabaseDrivesTheRun) {
  Scratch S;
  S.write("src/bad.cpp", Bad);
  S.write("src/good.cpp", Good);
  std::string Flags = "-std=c++17 -I" UISAN_FIXTURES_DIR "/seed/include";
  S.write("build/compile_commands.json",
          "[{\"directory\": \"" + S.Dir + "/src\", \"command\": \"c++ " + Flags +
              " -c bad.cpp\", \"file\": \"bad.cpp\"},\n"
              " {\"directory\": \"" + S.Dir + "/src\", \"command\": \"c++ " + Flags +
              " -c good.cpp\", \"file\": \"good.cpp\"}]\n");
  Output O = S.run(Tidy + " -p build");
  EXPECT_EQ(O.Exit, 1) << O.Out << O.Err;
  EXPECT_NE(O.Out.find("src/bad.cpp:4:22: warning"), std::string::npos) << O.Out;
  EXPECT_NE(O.Err.find("in 2 translation units"), std::string::npos) << O.Err;
}

TEST(Cli, ParallelRunsGiveTheSameOutput) {
  Scratch S;
  std::string Files;
  for (int I = 0; I < 4; ++I) {
    std::string Name = "f" + std::to_string(I) + ".cpp";
    S.write(Name, Bad);
    Files += " " + Name;
  }
  Output One = S.run(Tidy + " -j1" + Files + SeedFlags);
  Output Two = S.run(Tidy + " -j2" + Files + SeedFlags);
  EXPECT_EQ(One.Exit, 1);
  EXPECT_EQ(count(One.Out, ": warning:"), 4u);
  EXPECT_EQ(One.Out, Two.Out);
}

namespace {
/// A database of two files whose bug spans both: the thread is started in
/// worker.cpp, the UI call is in ui.cpp, through a header both include.
void writeProgram(Scratch &S) {
  S.write("src/ui.h", "#pragma once\nvoid show(int);\n");
  S.write("src/ui.cpp", "#include \"ui.h\"\n#include <seed/st.h>\n"
                        "void show(int) { st::write(\"x\"); }\n");
  S.write("src/worker.cpp", "#include \"ui.h\"\n#include <thread>\n"
                            "void page() {\n  std::thread t([] { show(1); });\n"
                            "  t.join();\n}\n");
  std::string Flags = "-std=c++17 -I" UISAN_FIXTURES_DIR "/seed/include";
  S.write("build/compile_commands.json",
          "[{\"directory\": \"" + S.Dir + "/src\", \"command\": \"c++ " + Flags +
              " -c ui.cpp\", \"file\": \"ui.cpp\"},\n"
              " {\"directory\": \"" + S.Dir + "/src\", \"command\": \"c++ " + Flags +
              " -c worker.cpp\", \"file\": \"worker.cpp\"}]\n");
}
} // namespace

TEST(Cli, OneFindingAcrossFilesAndTheCacheSkipsUnchangedFiles) {
  Scratch S;
  writeProgram(S);
  Output First = S.run(Tidy + " -p build");
  EXPECT_EQ(First.Exit, 1) << First.Err;
  EXPECT_NE(First.Out.find("ui.cpp:3:18: warning: 'st::write' is a UI call made on a "
                           "worker thread"),
            std::string::npos)
      << First.Out;
  EXPECT_NE(First.Out.find("worker.cpp:4:22: note: called from the lambda"),
            std::string::npos)
      << First.Out;
  EXPECT_NE(First.Err.find("[1/2] "), std::string::npos) << First.Err;
  Output Second = S.run(Tidy + " -p build");
  EXPECT_EQ(Second.Out, First.Out);
  EXPECT_NE(Second.Err.find("in 2 translation units (2 from the cache)"), std::string::npos)
      << Second.Err;
  // Touched but unchanged: still from the cache; the shared header edited:
  // both are parsed again.
  S.run("touch src/ui.cpp");
  Output Touched = S.run(Tidy + " -p build");
  EXPECT_NE(Touched.Err.find("(2 from the cache)"), std::string::npos) << Touched.Err;
  S.write("src/ui.h", "#pragma once\nvoid show(int); // edited\n");
  Output Edited = S.run(Tidy + " -p build");
  EXPECT_NE(Edited.Err.find("in 2 translation units\n"), std::string::npos) << Edited.Err;
  EXPECT_EQ(Edited.Out, First.Out);
  Output NoCache = S.run(Tidy + " -p build --no-cache --quiet");
  EXPECT_EQ(NoCache.Out, First.Out);
  EXPECT_EQ(NoCache.Err, "");
}

TEST(Cli, FactsWrittenAsBuildStepsLinkToTheSameFindings) {
  Scratch S;
  writeProgram(S);
  Output Direct = S.run(Tidy + " -p build --no-cache");
  Output A = S.run(Tidy + " -p build --write-facts=out/ui.facts --depfile=out/ui.d src/ui.cpp");
  Output B = S.run(Tidy + " -p build --write-facts=out/worker.facts src/worker.cpp");
  EXPECT_EQ(A.Exit, 0) << A.Err;
  EXPECT_EQ(B.Exit, 0) << B.Err;
  EXPECT_EQ(A.Out, "");
  EXPECT_NE(slurp(S.Dir + "/out/ui.d").find("src/ui.h"), std::string::npos);
  Output L = S.run(Tidy + " --from-facts out/ui.facts out/worker.facts");
  EXPECT_EQ(L.Exit, 1) << L.Err;
  EXPECT_EQ(L.Out, Direct.Out);
  // A damaged facts file is an error naming it; the others are linked.
  S.write("out/bad.facts", "UISANFCT\x01garbage");
  Output D = S.run(Tidy + " --from-facts out/bad.facts out/ui.facts out/worker.facts");
  EXPECT_EQ(D.Exit, 2);
  EXPECT_NE(D.Out.find("bad.facts: error: "), std::string::npos) << D.Out;
  EXPECT_NE(D.Out.find("extract its facts again with --write-facts"), std::string::npos)
      << D.Out;
  EXPECT_NE(D.Out.find("ui.cpp:3:18: warning:"), std::string::npos) << D.Out;
  Output Two = S.run(Tidy + " -p build --write-facts=x.facts src/ui.cpp src/worker.cpp");
  EXPECT_EQ(Two.Exit, 2);
  EXPECT_NE(Two.Err.find("--write-facts takes one source file"), std::string::npos) << Two.Err;
  Output Mixed = S.run(Tidy + " --from-facts -p build out/ui.facts");
  EXPECT_EQ(Mixed.Exit, 2);
}

TEST(Cli, BadOptionValuesAndExcludeGlobsAreErrors) {
  Scratch S;
  S.write("bad.cpp", Bad);
  Output O = S.run(Tidy + " --config='{CheckOptions: "
                          "{uisan-ui-call-in-thread.MaxFunctionsPerEntry: many}}' bad.cpp" +
                   SeedFlags);
  EXPECT_EQ(O.Exit, 2);
  EXPECT_NE(O.Err.find("option 'uisan-ui-call-in-thread.MaxFunctionsPerEntry': 'many' "
                       "is not a number"),
            std::string::npos)
      << O.Err;
  Output G = S.run(Tidy + " --exclude='[' bad.cpp" + SeedFlags);
  EXPECT_EQ(G.Exit, 2);
  EXPECT_NE(G.Err.find("--exclude='['"), std::string::npos) << G.Err;
  Output E = S.run(Tidy + " --exclude='*bad*' bad.cpp" + SeedFlags);
  EXPECT_EQ(E.Exit, 2);
  EXPECT_NE(E.Err.find("no input files"), std::string::npos) << E.Err;
}

TEST(Cli, SarifAndJsonToAFile) {
  Scratch S;
  S.write("bad.cpp", Bad);
  Output O = S.run(Tidy + " --format=sarif --output=out.sarif bad.cpp" + SeedFlags);
  EXPECT_EQ(O.Exit, 1) << O.Err;
  EXPECT_EQ(O.Out, "");
  std::string Sarif = slurp(S.Dir + "/out.sarif");
  EXPECT_NE(Sarif.find("\"version\": \"2.1.0\""), std::string::npos) << Sarif;
  EXPECT_NE(Sarif.find("\"uri\": \"bad.cpp\""), std::string::npos) << Sarif;
  Output J = S.run(Tidy + " --format=json bad.cpp" + SeedFlags);
  EXPECT_NE(J.Out.find("\"check\": \"uisan-ui-call-in-thread\""), std::string::npos)
      << J.Out;
  Output W = S.run(Tidy + " --output=/nonexistent/dir/x bad.cpp" + SeedFlags);
  EXPECT_EQ(W.Exit, 2);
  EXPECT_NE(W.Err.find("cannot write '/nonexistent/dir/x'"), std::string::npos) << W.Err;
}

TEST(Cli, ListAndVerifyConfig) {
  Scratch S;
  Output L = S.run(Tidy + " --list-checks");
  EXPECT_EQ(L.Exit, 0);
  EXPECT_NE(L.Out.find("uisan-ui-call-in-thread"), std::string::npos) << L.Out;
  Output R = S.run(Tidy + " --list-rules");
  EXPECT_EQ(R.Exit, 0);
  for (const char *Pack : {"seed ", "std ", "qt ", "gtk ", "wx "})
    EXPECT_NE(("\n" + R.Out).find(std::string("\n") + Pack), std::string::npos) << Pack << R.Out;
  Output D = S.run(Tidy + " --dump-config");
  EXPECT_EQ(D.Exit, 0);
  EXPECT_NE(D.Out.find("uisan-ui-call-in-thread.MaxDepth"), std::string::npos) << D.Out;
  Output V = S.run(Tidy + " --verify-config --checks=uisan-ui-call-in-thred");
  EXPECT_EQ(V.Exit, 2);
  EXPECT_NE(V.Err.find("unknown check 'uisan-ui-call-in-thred' in the checks list; did "
                       "you mean 'uisan-ui-call-in-thread'?"),
            std::string::npos)
      << V.Err;
  Output OK = S.run(Tidy + " --verify-config");
  EXPECT_EQ(OK.Exit, 0);
  EXPECT_NE(OK.Out.find("No config errors detected."), std::string::npos);
}

/// The primary diagnostic lines ("file:line:col: warning|error: ... [check]")
/// of a run, sorted: what the parity tests compare between uisan-tidy and
/// clang-tidy with the plugin.
std::vector<std::string> diagnosticLines(const std::string &Out) {
  std::vector<std::string> Lines;
  std::istringstream In(Out);
  for (std::string L; std::getline(In, L);)
    if ((L.find(": warning: ") != std::string::npos ||
         L.find(": error: ") != std::string::npos) &&
        L.back() == ']')
      Lines.push_back(L);
  std::sort(Lines.begin(), Lines.end());
  return Lines;
}

std::string joinLines(const std::vector<std::string> &Lines) {
  std::string S;
  for (const std::string &L : Lines)
    S += L + "\n";
  return S;
}

/// A program with one finding in its main file and one in a header of
/// another directory (with its notes there too).
void writeTwoPlaces(Scratch &S) {
  S.write("bad.cpp", R"(#include <seed/st.h>
#include <thread>
#include "sub/helper.h"
void page() {
  std::thread t([] { st::write("x"); });
  t.join();
  helper();
}
)");
  S.write("sub/helper.h", R"(#pragma once
#include <seed/st.h>
#include <thread>
inline void helper() {
  std::thread t([] { st::write("from a header"); });
  t.join();
}
)");
}

/// Runs uisan-tidy and clang-tidy with the plugin with the same extra
/// flags on bad.cpp and expects the same diagnostics; returns uisan-tidy's.
std::vector<std::string> expectSameAsClangTidy(Scratch &S, const std::string &Flags) {
  Output U = S.run(Tidy + " --quiet " + Flags + " bad.cpp" + SeedFlags);
  std::vector<std::string> Mine = diagnosticLines(U.Out);
  const std::string ClangTidy = UISAN_CLANG_TIDY;
  if (ClangTidy.empty()) {
    ADD_FAILURE() << "no clang-tidy of the same LLVM version to compare with";
    return Mine;
  }
  Output P = S.run(ClangTidy + " --load=" UISAN_TIDY_MODULE " " + Flags +
                   " bad.cpp" + SeedFlags);
  EXPECT_EQ(joinLines(Mine), joinLines(diagnosticLines(P.Out)))
      << "flags: " << Flags << "\nuisan-tidy:\n" << U.Out << U.Err
      << "\nclang-tidy:\n" << P.Out << P.Err;
  // The whole text, source lines and carets included, is clang's: with one
  // finding, the outputs are the same byte for byte.
  if (Mine.size() == 1) {
    EXPECT_EQ(U.Out, P.Out) << "flags: " << Flags;
  }
  return Mine;
}

TEST(Cli, FiltersBehaveLikeClangTidys) {
  Scratch S;
  writeTwoPlaces(S);
  const std::string Checks = "--checks='-*,uisan-*' ";
  // Headers are shown when the filter matches them (or, as in clang-tidy,
  // when a note is in the main file), hidden otherwise.
  EXPECT_EQ(expectSameAsClangTidy(S, Checks + "--header-filter='.*'").size(), 2u);
  EXPECT_EQ(expectSameAsClangTidy(S, Checks + "--header-filter='nomatch'").size(), 1u);
  EXPECT_EQ(expectSameAsClangTidy(
                S, Checks + "--header-filter='.*' --exclude-header-filter='sub/'")
                .size(),
            1u);
  // The line filter keeps the named lines of the named files only.
  EXPECT_EQ(expectSameAsClangTidy(
                S, Checks + "--header-filter='.*' "
                            "--line-filter='[{\"name\":\"bad.cpp\",\"lines\":[[5,5]]}]'")
                .size(),
            1u);
  EXPECT_EQ(expectSameAsClangTidy(
                S, Checks + "--header-filter='.*' "
                            "--line-filter='[{\"name\":\"bad.cpp\",\"lines\":[[1,4]]}]'")
                .size(),
            0u);
  EXPECT_EQ(expectSameAsClangTidy(
                S, Checks + "--header-filter='.*' "
                            "--line-filter='[{\"name\":\"helper.h\"}]'")
                .size(),
            1u);
  // Warnings as errors: printed as errors, the check's name marked.
  std::vector<std::string> Errors = expectSameAsClangTidy(
      S, Checks + "--header-filter='.*' --warnings-as-errors='uisan-ui-*'");
  ASSERT_EQ(Errors.size(), 2u);
  EXPECT_NE(Errors[0].find(": error: 'st::write' is a UI call"), std::string::npos)
      << Errors[0];
  EXPECT_NE(Errors[0].find("[uisan-ui-call-in-thread,-warnings-as-errors]"),
            std::string::npos)
      << Errors[0];
  // ... and the exit status stays the one of findings, not of a tool error.
  Output W = S.run(Tidy + " --warnings-as-errors='*' bad.cpp" + SeedFlags);
  EXPECT_EQ(W.Exit, 1) << W.Err;
  EXPECT_NE(W.Err.find("uisan-tidy: 2 findings, 0 errors"), std::string::npos) << W.Err;
  // Bad filters are errors naming the flag.
  Output BadLine = S.run(Tidy + " --line-filter='[{\"nam\": 1}]' bad.cpp" + SeedFlags);
  EXPECT_EQ(BadLine.Exit, 2);
  EXPECT_NE(BadLine.Err.find("error: --line-filter: "), std::string::npos) << BadLine.Err;
  Output BadRegex = S.run(Tidy + " --header-filter='(' bad.cpp" + SeedFlags);
  EXPECT_EQ(BadRegex.Exit, 2);
  EXPECT_NE(BadRegex.Err.find("error: --header-filter: '(' is not a regular expression"),
            std::string::npos)
      << BadRegex.Err;
}

TEST(Cli, ClangTidyFilesConfigureTheRunLikeThePlugin) {
  Scratch S;
  writeTwoPlaces(S);
  S.write(".clang-tidy", "Checks: '-*,uisan-*'\nHeaderFilterRegex: 'sub/.*'\n"
                         "WarningsAsErrors: 'uisan-ui-*'\n");
  // A nested file that turns the check off: clang-tidy configures a
  // header's diagnostics by its translation unit, so it does not apply.
  S.write("sub/.clang-tidy",
          "InheritParentConfig: true\nChecks: '-uisan-ui-call-in-thread'\n");
  std::vector<std::string> Lines = expectSameAsClangTidy(S, "");
  ASSERT_EQ(Lines.size(), 2u) << joinLines(Lines);
  EXPECT_NE(Lines[1].find("sub/helper.h:5:22: error:"), std::string::npos) << Lines[1];
  // A source file under sub/ is configured by both files.
  S.write("sub/page.cpp", "#include <seed/st.h>\n#include <thread>\nvoid p() {\n"
                          "  std::thread t([] { st::write(\"y\"); });\n  t.join();\n}\n");
  Output Sub = S.run(Tidy + " --quiet sub/page.cpp" + SeedFlags);
  EXPECT_EQ(Sub.Exit, 0) << Sub.Out << Sub.Err;
  EXPECT_EQ(Sub.Out, "");
  // --dump-config shows the merged configuration of the file given.
  Output D = S.run(Tidy + " --dump-config sub/page.cpp");
  EXPECT_EQ(D.Exit, 0) << D.Err;
  EXPECT_NE(D.Out.find("-uisan-ui-call-in-thread"), std::string::npos) << D.Out;
  EXPECT_NE(D.Out.find("WarningsAsErrors: 'uisan-ui-*'"), std::string::npos) << D.Out;
  EXPECT_NE(D.Out.find("HeaderFilterRegex: 'sub/.*'"), std::string::npos) << D.Out;
  // Without InheritParentConfig the nearest file is the whole configuration.
  S.write("sub/.clang-tidy", "Checks: '-uisan-ui-call-in-thread'\n");
  Output Alone = S.run(Tidy + " --dump-config sub/page.cpp");
  EXPECT_NE(Alone.Out.find("WarningsAsErrors: ''"), std::string::npos) << Alone.Out;
  // --config-file replaces the .clang-tidy files; --config and
  // --config-file together are a usage error.
  S.write("other.yaml", "Checks: '-*,uisan-executor-not-shutdown'\n");
  Output F = S.run(Tidy + " --quiet --config-file=other.yaml bad.cpp" + SeedFlags);
  EXPECT_EQ(F.Exit, 0) << F.Out << F.Err;
  EXPECT_EQ(expectSameAsClangTidy(S, "--config-file=other.yaml").size(), 0u);
  S.write("only-ui.yaml", "Checks: '-*,uisan-ui-call-in-thread'\nHeaderFilterRegex: 'nomatch'\n");
  EXPECT_EQ(expectSameAsClangTidy(S, "--config-file=only-ui.yaml").size(), 1u);
  EXPECT_EQ(expectSameAsClangTidy(S, "--config=\"{Checks: '-*,uisan-*', "
                                     "WarningsAsErrors: '*', HeaderFilterRegex: 'sub/'}\"")
                .size(),
            2u);
  Output Both = S.run(Tidy + " --config='{}' --config-file=other.yaml bad.cpp" + SeedFlags);
  EXPECT_EQ(Both.Exit, 2);
  EXPECT_NE(Both.Err.find("either --config or --config-file"), std::string::npos) << Both.Err;
  // A .clang-tidy that does not parse: named once with the place, skipped
  // (as clang-tidy skips it), the files still checked, exit code 2.
  S.write(".clang-tidy", "Checks: [oops\n");
  Output Broken = S.run(Tidy + " bad.cpp sub/page.cpp" + SeedFlags);
  EXPECT_EQ(Broken.Exit, 2) << Broken.Err;
  EXPECT_EQ(count(Broken.Err, S.Dir + "/.clang-tidy:1:"), 1u) << Broken.Err;
  EXPECT_NE(Broken.Err.find("error: " + S.Dir +
                            "/.clang-tidy: not a valid configuration, skipped"),
            std::string::npos)
      << Broken.Err;
  EXPECT_NE(Broken.Out.find("bad.cpp:5:22: warning:"), std::string::npos) << Broken.Out;
  Output Missing = S.run(Tidy + " --config-file=nope.yaml bad.cpp" + SeedFlags);
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_NE(Missing.Err.find("--config-file: cannot read 'nope.yaml'"), std::string::npos)
      << Missing.Err;
}

TEST(Cli, DiffModeShowsOnlyFindingsOnChangedLines) {
  Scratch S;
  S.write("page.cpp", Good);
  S.write("other.cpp", Bad); // an old finding, not in the change
  ASSERT_EQ(S.run("git init -q . && git add -A && git -c user.email=t@t -c "
                  "user.name=t commit -qm base")
                .Exit,
            0);
  // The change introduces the bug in page.cpp.
  S.write("page.cpp", Bad);
  Output D = S.run("git diff -U0 | " + Tidy + " --diff=- page.cpp other.cpp" + SeedFlags);
  EXPECT_EQ(D.Exit, 1) << D.Out << D.Err;
  std::vector<std::string> Lines = diagnosticLines(D.Out);
  ASSERT_EQ(Lines.size(), 1u) << D.Out;
  EXPECT_NE(Lines[0].find("page.cpp:4:22: warning: 'st::write'"), std::string::npos)
      << Lines[0];
  EXPECT_NE(D.Err.find("1 outside the diff"), std::string::npos) << D.Err;
  // A change elsewhere in the file, with context lines: nothing to show.
  ASSERT_EQ(S.run("git add -A && git -c user.email=t@t -c user.name=t commit -qm bug").Exit, 0);
  S.write("page.cpp", std::string(Bad) + "// a comment\n");
  Output C = S.run("git diff | " + Tidy + " --diff=- page.cpp other.cpp" + SeedFlags);
  EXPECT_EQ(C.Exit, 0) << C.Out << C.Err;
  EXPECT_EQ(diagnosticLines(C.Out).size(), 0u) << C.Out;
  // A malformed diff is an error naming the line.
  S.write("bad.diff", "+++ b/page.cpp\n@@ -1 +x @@\n");
  Output M = S.run(Tidy + " --diff=bad.diff page.cpp" + SeedFlags);
  EXPECT_EQ(M.Exit, 2);
  EXPECT_NE(M.Err.find("error: --diff: bad.diff: line 2: malformed hunk header"),
            std::string::npos)
      << M.Err;
}

TEST(Cli, BaselineHidesAcceptedFindingsEvenWhenCodeMoves) {
  Scratch S;
  S.write("bad.cpp", Bad);
  for (const char *Format : {"json", "sarif"}) {
    SCOPED_TRACE(Format);
    S.write("bad.cpp", Bad);
    Output B = S.run(Tidy + " --format=" + Format + " --output=base bad.cpp" + SeedFlags);
    ASSERT_EQ(B.Exit, 1) << B.Err;
    // Lines added above the finding move it; it stays hidden.
    S.write("bad.cpp", std::string("// moved\n// down\n") + Bad);
    Output H = S.run(Tidy + " --baseline=base bad.cpp" + SeedFlags);
    EXPECT_EQ(H.Exit, 0) << H.Out << H.Err;
    EXPECT_EQ(diagnosticLines(H.Out).size(), 0u) << H.Out;
    EXPECT_NE(H.Err.find("1 hidden by the baseline"), std::string::npos) << H.Err;
    // A new finding is not in the baseline.
    S.write("bad.cpp", std::string("// moved\n// down\n") + Bad +
                           "void more() {\n  std::thread t([] { st::write(\"y\"); });\n"
                           "  t.join();\n}\n");
    Output N = S.run(Tidy + " --baseline=base bad.cpp" + SeedFlags);
    EXPECT_EQ(N.Exit, 1) << N.Out << N.Err;
    std::vector<std::string> Lines = diagnosticLines(N.Out);
    ASSERT_EQ(Lines.size(), 1u) << N.Out;
    EXPECT_NE(Lines[0].find("bad.cpp:10:"), std::string::npos) << Lines[0];
  }
  S.write("notjson", "{");
  Output E = S.run(Tidy + " --baseline=notjson bad.cpp" + SeedFlags);
  EXPECT_EQ(E.Exit, 2);
  EXPECT_NE(E.Err.find("error: --baseline: 'notjson' is not JSON"), std::string::npos)
      << E.Err;
  Output M = S.run(Tidy + " --baseline=missing.json bad.cpp" + SeedFlags);
  EXPECT_EQ(M.Exit, 2);
  EXPECT_NE(M.Err.find("cannot read 'missing.json'"), std::string::npos) << M.Err;
}

TEST(Cli, ExportFixesWritesClangTidysYaml) {
  Scratch S;
  writeTwoPlaces(S);
  Output U = S.run(Tidy + " --quiet --export-fixes=mine.yaml bad.cpp" + SeedFlags);
  EXPECT_EQ(U.Exit, 1) << U.Err;
  std::string Mine = slurp(S.Dir + "/mine.yaml");
  EXPECT_NE(Mine.find("MainSourceFile:  '" + S.Dir + "/bad.cpp'"), std::string::npos) << Mine;
  EXPECT_NE(Mine.find("DiagnosticName:  uisan-ui-call-in-thread"), std::string::npos) << Mine;
  EXPECT_NE(Mine.find("Notes:"), std::string::npos) << Mine;
  // The same messages at the same offsets as clang-tidy's own export.
  const std::string ClangTidy = UISAN_CLANG_TIDY;
  ASSERT_FALSE(ClangTidy.empty());
  S.run(ClangTidy + " --load=" UISAN_TIDY_MODULE
                    " --checks='-*,uisan-*' --header-filter='.*' --export-fixes=theirs.yaml bad.cpp" +
        SeedFlags);
  std::string Theirs = slurp(S.Dir + "/theirs.yaml");
  auto Keys = [](const std::string &Yaml) {
    std::vector<std::string> Out;
    std::istringstream In(Yaml);
    for (std::string L; std::getline(In, L);)
      if (L.find("Message:") != std::string::npos ||
          L.find("FileOffset:") != std::string::npos ||
          L.find("FilePath:") != std::string::npos ||
          L.find("DiagnosticName:") != std::string::npos)
        Out.push_back(L.substr(L.find_first_not_of(" -")));
    std::sort(Out.begin(), Out.end());
    return Out;
  };
  EXPECT_EQ(joinLines(Keys(Mine)), joinLines(Keys(Theirs))) << Mine << "\n---\n" << Theirs;
  Output W = S.run(Tidy + " --export-fixes=/nonexistent/x.yaml bad.cpp" + SeedFlags);
  EXPECT_EQ(W.Exit, 2);
  EXPECT_NE(W.Err.find("--export-fixes: cannot write '/nonexistent/x.yaml'"),
            std::string::npos)
      << W.Err;
}

TEST(Cli, UseColorPaintsTheTextOutput) {
  Scratch S;
  S.write("bad.cpp", Bad);
  Output C = S.run(Tidy + " --quiet --use-color bad.cpp" + SeedFlags);
  EXPECT_NE(C.Out.find("\x1b["), std::string::npos) << C.Out;
  EXPECT_NE(C.Out.find("warning: "), std::string::npos) << C.Out;
  Output P = S.run(Tidy + " --quiet bad.cpp" + SeedFlags); // a file: no colour
  EXPECT_EQ(P.Out.find("\x1b["), std::string::npos) << P.Out;
  Output N = S.run(Tidy + " --quiet --use-color=false bad.cpp" + SeedFlags);
  EXPECT_EQ(N.Out.find("\x1b["), std::string::npos) << N.Out;
  // The same colours as clang-tidy's, byte for byte.
  const std::string ClangTidy = UISAN_CLANG_TIDY;
  ASSERT_FALSE(ClangTidy.empty());
  Output Theirs = S.run(ClangTidy + " --load=" UISAN_TIDY_MODULE
                        " --checks='-*,uisan-*' --use-color bad.cpp" + SeedFlags);
  EXPECT_EQ(C.Out, Theirs.Out);
}

TEST(Cli, FixItsApplyLikeClangTidysAndRecompile) {
  const char *Leaky = R"(#include <thread>
static void work() {}
void leaky(bool quick) {
  std::thread t(work);
  if (quick)
    return;
  t.join();
}
)";
  const std::string Cxx20 = " -- -std=c++20";
  const std::string Fixed = std::string(Leaky).replace(
      std::string(Leaky).find("std::thread t"), 11, "std::jthread");
  Scratch S;
  // uisan-tidy --fix
  S.write("a.cpp", Leaky);
  Output U = S.run(Tidy + " --fix a.cpp" + Cxx20);
  EXPECT_EQ(U.Exit, 1) << U.Err; // the finding is still reported
  EXPECT_NE(U.Err.find("uisan-tidy: applied 1 fix-it"), std::string::npos) << U.Err;
  EXPECT_EQ(slurp(S.Dir + "/a.cpp"), Fixed);
  // The fixed file compiles and has nothing left to report.
  Output Again = S.run(Tidy + " a.cpp" + Cxx20);
  EXPECT_EQ(Again.Exit, 0) << Again.Out << Again.Err;
  // The text shows the fix-it as clang-tidy does.
  S.write("a.cpp", Leaky);
  Output T = S.run(Tidy + " --quiet a.cpp" + Cxx20);
  EXPECT_NE(T.Out.find("      |   std::jthread\n"), std::string::npos) << T.Out;
  // clang-apply-replacements on --export-fixes makes the same edit.
  const std::string Apply = UISAN_CLANG_APPLY_REPLACEMENTS;
  ASSERT_FALSE(Apply.empty()) << "clang-apply-replacements not found (clang-tools-19)";
  S.write("a.cpp", Leaky);
  S.run("mkdir -p fixes");
  S.run(Tidy + " --quiet --export-fixes=fixes/a.yaml a.cpp" + Cxx20);
  Output A = S.run(Apply + " fixes");
  EXPECT_EQ(A.Exit, 0) << A.Err;
  EXPECT_EQ(slurp(S.Dir + "/a.cpp"), Fixed);
  // clang-tidy --fix with the plugin makes the same edit.
  const std::string ClangTidy = UISAN_CLANG_TIDY;
  ASSERT_FALSE(ClangTidy.empty());
  S.write("a.cpp", Leaky);
  Output P = S.run(ClangTidy + " --load=" UISAN_TIDY_MODULE
                   " --checks='-*,uisan-*' --fix a.cpp" + Cxx20);
  EXPECT_EQ(slurp(S.Dir + "/a.cpp"), Fixed) << P.Out << P.Err;
  // C++17 has no std::jthread: no fix-it.
  S.write("a.cpp", Leaky);
  Output Old = S.run(Tidy + " --fix a.cpp -- -std=c++17");
  EXPECT_EQ(slurp(S.Dir + "/a.cpp"), Leaky) << Old.Err;
  EXPECT_NE(Old.Err.find("applied 0 fix-its"), std::string::npos) << Old.Err;
  // With a file that does not compile, nothing is applied, unless
  // --fix-errors.
  S.write("a.cpp", Leaky);
  S.write("broken.cpp", "int f() { return undeclared; }\n");
  Output B = S.run(Tidy + " --fix a.cpp broken.cpp" + Cxx20);
  EXPECT_EQ(B.Exit, 2);
  EXPECT_NE(B.Err.find("fix-its not applied: there were errors"), std::string::npos) << B.Err;
  EXPECT_EQ(slurp(S.Dir + "/a.cpp"), Leaky);
  Output FE = S.run(Tidy + " --fix-errors a.cpp broken.cpp" + Cxx20);
  EXPECT_EQ(slurp(S.Dir + "/a.cpp"), Fixed) << FE.Err;
}

TEST(Cli, ClangTidyPluginGivesTheSameFindings) {
  const std::string ClangTidy = UISAN_CLANG_TIDY;
  if (ClangTidy.empty())
    GTEST_SKIP() << "no clang-tidy of the same LLVM version was found";
  Scratch S;
  S.write("bad.cpp", Bad);
  Output P = S.run(ClangTidy + " --load=" UISAN_TIDY_MODULE
                   " -checks='-*,uisan-*' bad.cpp" + SeedFlags);
  EXPECT_EQ(P.Exit, 0) << P.Err; // clang-tidy exits 0 on warnings
  EXPECT_NE(P.Out.find("bad.cpp:4:22: warning: 'st::write' is a UI call made on "
                       "a worker thread; return the result to the script thread"),
            std::string::npos)
      << P.Out << P.Err;
  EXPECT_NE(P.Out.find("note: the lambda runs on the thread started here"),
            std::string::npos)
      << P.Out;
  Output L = S.run(ClangTidy + " --load=" UISAN_TIDY_MODULE
                   " -checks='-*,uisan-*' --list-checks");
  EXPECT_NE(L.Out.find("uisan-ui-call-in-thread"), std::string::npos) << L.Out;
}

} // namespace
