//===- CliTest.cpp - uisan-tidy and the clang-tidy plugin, end to end -----===//

#include "FixtureConfig.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

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
