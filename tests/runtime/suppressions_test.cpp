#include "uisan_suppressions.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

using uisan::Report;
using uisan::ReportKind;
using uisan::Suppressions;
using uisan::suppressionPatternMatches;

namespace {

std::unique_ptr<Report> reportWithFrame(ReportKind kind, const char *function,
                                        const char *file, const char *module) {
  auto r = std::make_unique<Report>();
  r->clear();
  r->kind = kind;
  r->stack.size = 1;
  std::strcpy(r->stack.frames[0].function, function);
  std::strcpy(r->stack.frames[0].file, file);
  std::strcpy(r->stack.frames[0].module, module);
  return r;
}

} // namespace

TEST(Suppressions, PatternSemantics) {
  EXPECT_TRUE(suppressionPatternMatches("legacy", "ns::legacyRefresh()"));
  EXPECT_TRUE(suppressionPatternMatches("ns::*Refresh", "ns::legacyRefresh()"));
  EXPECT_TRUE(suppressionPatternMatches("^ns::", "ns::legacyRefresh()"));
  EXPECT_FALSE(suppressionPatternMatches("^legacy", "ns::legacyRefresh()"));
  EXPECT_TRUE(suppressionPatternMatches("Refresh()$", "ns::legacyRefresh()"));
  EXPECT_FALSE(suppressionPatternMatches("Refresh$", "ns::legacyRefresh()"));
  EXPECT_TRUE(suppressionPatternMatches("*", "x"));
  EXPECT_FALSE(suppressionPatternMatches("x", ""));
  EXPECT_TRUE(suppressionPatternMatches("^a*c$", "abbbc"));
  EXPECT_FALSE(suppressionPatternMatches("^a*c$", "abbbcd"));
}

TEST(Suppressions, MatchesFunctionFileOrModuleOfTheRightKind) {
  auto s = std::make_unique<Suppressions>();
  char err[256];
  ASSERT_TRUE(s->parse("# comment\n\n"
                       "ui-call-off-thread:legacyRefresh\n"
                       "thread-leak:third_party/*.cpp\n"
                       "  executor-leak:libvendor.so  \n",
                       "test.supp", err, sizeof(err)))
      << err;
  EXPECT_EQ(s->size(), 3);
  EXPECT_TRUE(s->matches(*reportWithFrame(ReportKind::UiCallOffThread,
                                          "app::legacyRefresh()", "/src/a.cpp", "/bin/app")));
  EXPECT_FALSE(s->matches(*reportWithFrame(ReportKind::StaleContext,
                                           "app::legacyRefresh()", "/src/a.cpp", "/bin/app")));
  EXPECT_TRUE(s->matches(*reportWithFrame(ReportKind::ThreadLeak, "start",
                                          "/src/third_party/pool.cpp", "/bin/app")));
  EXPECT_TRUE(s->matches(*reportWithFrame(ReportKind::ExecutorLeak, "f", "/x.cpp",
                                          "/usr/lib/libvendor.so")));
  EXPECT_FALSE(s->matches(*reportWithFrame(ReportKind::ExecutorLeak, "f", "/x.cpp",
                                           "/usr/lib/libother.so")));
  EXPECT_EQ(s->hits(0), 1);
}

TEST(Suppressions, MatchesUiCallNameAndCreationStack) {
  auto s = std::make_unique<Suppressions>();
  char err[256];
  ASSERT_TRUE(s->parse("ui-call-off-thread:^st::write$\ncontext-leak:spawnWorker\n",
                       "t", err, sizeof(err)));
  auto r = reportWithFrame(ReportKind::UiCallOffThread, "f", "a.cpp", "app");
  std::strcpy(r->what, "st::write");
  EXPECT_TRUE(s->matches(*r));
  auto leak = reportWithFrame(ReportKind::ContextLeak, "f", "a.cpp", "app");
  leak->thread.created.size = 1;
  std::strcpy(leak->thread.created.frames[0].function, "app::spawnWorker()");
  EXPECT_TRUE(s->matches(*leak));
}

TEST(Suppressions, ErrorsNameFileLineAndRemedy) {
  auto s = std::make_unique<Suppressions>();
  char err[512];
  EXPECT_FALSE(s->parse("thread-leak:ok\nrace:foo\n", "my.supp", err, sizeof(err)));
  EXPECT_STREQ(err, "my.supp:2: unknown report kind 'race'; expected ui-call-off-thread, "
                    "context-leak, stale-context, thread-leak or executor-leak");
  auto s2 = std::make_unique<Suppressions>();
  EXPECT_FALSE(s2->parse("thread-leak\n", "my.supp", err, sizeof(err)));
  EXPECT_STREQ(err, "my.supp:1: expected 'kind:pattern', e.g. 'thread-leak:my_pool_start'");
  auto s3 = std::make_unique<Suppressions>();
  EXPECT_FALSE(s3->parse("thread-leak:\n", "my.supp", err, sizeof(err)));
  auto s4 = std::make_unique<Suppressions>();
  EXPECT_FALSE(s4->load("/nonexistent/uisan.supp", err, sizeof(err)));
  EXPECT_STREQ(err, "cannot open suppressions file '/nonexistent/uisan.supp'");
}
