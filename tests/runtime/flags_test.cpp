#include "uisan_flags.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

using uisan::FlagError;
using uisan::Flags;
using uisan::parseFlags;

namespace {

Flags defaults() {
  Flags f;
  f.setDefaults();
  return f;
}

std::string errorFor(const char *text) {
  Flags f = defaults();
  FlagError e;
  EXPECT_FALSE(parseFlags(text, f, e)) << text;
  return e.message;
}

} // namespace

TEST(Flags, Defaults) {
  Flags f = defaults();
  EXPECT_FALSE(f.halt_on_error);
  EXPECT_EQ(f.exitcode, 66);
  EXPECT_STREQ(f.log_path.c_str(), "stderr");
  EXPECT_STREQ(f.json_path.c_str(), "");
  EXPECT_STREQ(f.suppressions.c_str(), "");
  EXPECT_STREQ(f.ui_thread.c_str(), "pack");
  EXPECT_TRUE(f.report_thread_leaks);
  EXPECT_TRUE(f.report_executor_leaks);
  EXPECT_EQ(f.linger_ms, 500);
  EXPECT_EQ(f.max_reports_per_site, 1);
  EXPECT_STREQ(f.strip_path_prefix.c_str(), "");
  EXPECT_EQ(f.creation_stack_depth, 16);
  EXPECT_TRUE(f.use_libunwind);
  EXPECT_TRUE(f.symbolize);
  EXPECT_STREQ(f.external_symbolizer_path.c_str(), "");
  EXPECT_STREQ(f.app_modules.c_str(), "");
  EXPECT_FALSE(f.follow_children);
  EXPECT_EQ(f.verbosity, 0);
  EXPECT_FALSE(f.help);
}

// One value off its default for every flag; the test below keeps it complete.
const char *const kEveryFlag =
    "halt_on_error=1:exitcode=3:log_path=/tmp/a.log:"
    "json_path=/tmp/b.json:suppressions=/tmp/s.supp:ui_thread=first-ui-call:"
    "report_thread_leaks=false:report_executor_leaks=no:"
    "linger_ms=0:max_reports_per_site=0:strip_path_prefix=/src/:"
    "creation_stack_depth=4:use_libunwind=0:"
    "symbolize=0:external_symbolizer_path=/opt/llvm-symbolizer:"
    "app_modules=libmine*.so,*/opt/app/*:follow_children=1:"
    "verbosity=2:help=true";

namespace {
std::string text(bool v) { return v ? "true" : "false"; }
std::string text(int v) { return std::to_string(v); }
std::string text(const uisan::FlagString &v) { return v.c_str(); }
} // namespace

// Every flag of uisan_flags.inc is in kEveryFlag with a value off its
// default, so a new flag fails here until EveryFlagParses checks it.
TEST(Flags, EveryFlagIsInEveryFlagParses) {
  std::string every = std::string(":") + kEveryFlag;
  Flags def = defaults();
  Flags f = defaults();
  FlagError e;
  ASSERT_TRUE(parseFlags(kEveryFlag, f, e)) << e.message;
#define UISAN_FLAG(type, name, dflt, lo, hi, help)                               \
  EXPECT_NE(every.find(":" #name "="), std::string::npos)                       \
      << "add " #name " to kEveryFlag and check its value in EveryFlagParses";   \
  EXPECT_NE(text(f.name), text(def.name)) << #name " keeps its default in kEveryFlag";
#include "uisan_flags.inc"
#undef UISAN_FLAG
}

TEST(Flags, EveryFlagParses) {
  Flags f = defaults();
  FlagError e;
  ASSERT_TRUE(parseFlags(kEveryFlag, f, e))
      << e.message;
  EXPECT_TRUE(f.halt_on_error);
  EXPECT_EQ(f.exitcode, 3);
  EXPECT_STREQ(f.log_path.c_str(), "/tmp/a.log");
  EXPECT_STREQ(f.json_path.c_str(), "/tmp/b.json");
  EXPECT_STREQ(f.suppressions.c_str(), "/tmp/s.supp");
  EXPECT_STREQ(f.ui_thread.c_str(), "first-ui-call");
  EXPECT_FALSE(f.report_thread_leaks);
  EXPECT_FALSE(f.report_executor_leaks);
  EXPECT_EQ(f.linger_ms, 0);
  EXPECT_EQ(f.max_reports_per_site, 0);
  EXPECT_STREQ(f.strip_path_prefix.c_str(), "/src/");
  EXPECT_EQ(f.creation_stack_depth, 4);
  EXPECT_FALSE(f.use_libunwind);
  EXPECT_FALSE(f.symbolize);
  EXPECT_STREQ(f.external_symbolizer_path.c_str(), "/opt/llvm-symbolizer");
  EXPECT_STREQ(f.app_modules.c_str(), "libmine*.so,*/opt/app/*");
  EXPECT_TRUE(f.follow_children);
  EXPECT_EQ(f.verbosity, 2);
  EXPECT_TRUE(f.help);
}

TEST(Flags, WhitespaceSeparatesToo) {
  Flags f = defaults();
  FlagError e;
  ASSERT_TRUE(parseFlags("  exitcode=5 \n verbosity=1::", f, e)) << e.message;
  EXPECT_EQ(f.exitcode, 5);
  EXPECT_EQ(f.verbosity, 1);
}

TEST(Flags, LaterValuesWin) {
  Flags f = defaults();
  FlagError e;
  ASSERT_TRUE(parseFlags("exitcode=5:exitcode=7", f, e));
  EXPECT_EQ(f.exitcode, 7);
}

TEST(Flags, EmptyAndNullAreFine) {
  Flags f = defaults();
  FlagError e;
  EXPECT_TRUE(parseFlags("", f, e));
  EXPECT_TRUE(parseFlags(nullptr, f, e));
  EXPECT_EQ(f.exitcode, 66);
}

TEST(Flags, BadIntegerNamesOptionAndRange) {
  EXPECT_EQ(errorFor("exitcode=256"),
            "bad value '256' for option 'exitcode': expected an integer in [0, 255]");
  EXPECT_EQ(errorFor("exitcode=-1"),
            "bad value '-1' for option 'exitcode': expected an integer in [0, 255]");
  EXPECT_EQ(errorFor("linger_ms=abc"),
            "bad value 'abc' for option 'linger_ms': expected an integer in [0, 600000]");
  EXPECT_EQ(errorFor("verbosity=3"),
            "bad value '3' for option 'verbosity': expected an integer in [0, 2]");
  EXPECT_EQ(errorFor("max_reports_per_site=1x"),
            "bad value '1x' for option 'max_reports_per_site': expected an integer in [0, 1000000]");
  EXPECT_EQ(errorFor("exitcode="),
            "bad value '' for option 'exitcode': expected an integer in [0, 255]");
}

TEST(Flags, BadBool) {
  EXPECT_EQ(errorFor("halt_on_error=maybe"),
            "bad value 'maybe' for option 'halt_on_error': expected 0, 1, true, false, yes or no");
  EXPECT_EQ(errorFor("report_thread_leaks=2"),
            "bad value '2' for option 'report_thread_leaks': expected 0, 1, true, false, yes or no");
}

TEST(Flags, UnknownAndMalformed) {
  EXPECT_EQ(errorFor("linger=5"),
            "unknown option 'linger'; run with UISAN_OPTIONS=help=1 for the list");
  EXPECT_EQ(errorFor("exitcode"), "malformed option 'exitcode': expected name=value");
  EXPECT_EQ(errorFor("=3"), "malformed option '=3': expected name=value");
}

TEST(Flags, StringTooLong) {
  std::string text = "log_path=" + std::string(1100, 'x');
  EXPECT_EQ(errorFor(text.c_str()),
            "bad value for option 'log_path': expected a string of at most 1023 characters");
}

TEST(Flags, HelpListsEveryFlagWithRange) {
  char path[] = "/tmp/uisan-help-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  Flags f = defaults();
  uisan::printFlagsHelp(f, fd);
  close(fd);
  FILE *in = fopen(path, "r");
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
    text.append(buf, n);
  fclose(in);
  unlink(path);
#define UISAN_FLAG(type, name, def, lo, hi, help)                              \
  EXPECT_NE(text.find("  " #name " "), std::string::npos) << #name;            \
  EXPECT_NE(text.find(help), std::string::npos) << #name;
#include "uisan_flags.inc"
#undef UISAN_FLAG
  EXPECT_NE(text.find("exitcode [0, 255] = 66"), std::string::npos) << text;
  EXPECT_NE(text.find("log_path (string) = 'stderr'"), std::string::npos) << text;
}
