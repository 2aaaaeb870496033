#include "uisan_report_printer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

using namespace uisan;

namespace {

void addFrame(Stack &s, uintptr_t pc, const char *fn, const char *file, int line,
              bool user, const char *module = "/bin/app") {
  Frame &f = s.frames[s.size++];
  f.pc = pc;
  std::strcpy(f.function, fn);
  std::strcpy(f.file, file);
  f.line = line;
  std::strcpy(f.module, module);
  f.module_offset = pc & 0xffff;
  f.origin_user = user;
}

std::unique_ptr<Report> baseReport(ReportKind kind) {
  auto r = std::make_unique<Report>();
  r->clear();
  r->kind = kind;
  r->pid = 1234;
  r->count = 1;
  r->thread.uid = 2;
  r->thread.has_parent = true;
  r->thread.parent_uid = 1;
  r->thread.running = true;
  std::strcpy(r->thread.name, "Thread-1");
  addFrame(r->thread.created, 0x7f0000001000, "seed::Thread::start()", "/src/host/threading.cpp", 76, false, "/lib/libseedhost.so");
  addFrame(r->thread.created, 0x555500002000, "page()", "/src/app/page.cpp", 12, true);
  return r;
}

std::string text(const Report &r, const char *strip = "") {
  static char buf[1 << 16];
  Out out(buf, sizeof(buf));
  PrintOptions o;
  o.strip_path_prefix = strip;
  printReportText(r, o, out);
  return std::string(out.data(), out.size());
}

std::string json(const Report &r) {
  static char buf[1 << 16];
  Out out(buf, sizeof(buf));
  printReportJson(r, PrintOptions(), out);
  return std::string(out.data(), out.size());
}

} // namespace

TEST(ReportPrinter, UiCallOffThread) {
  auto r = baseReport(ReportKind::UiCallOffThread);
  std::strcpy(r->what, "st::write");
  addFrame(r->stack, 0x7f0000003000, "st::write(std::string const&)", "/src/host/page_api.cpp", 90, false, "/lib/libseedhost.so");
  addFrame(r->stack, 0x555500004000, "page()::{lambda()#1}::operator()() const", "/src/app/page.cpp", 10, true);
  EXPECT_EQ(text(*r, "/src/"),
            "==================\n"
            "WARNING: uisan: ui-call-off-thread (pid=1234)\n"
            "  UI call 'st::write' from thread T2 'Thread-1' (running), which holds no script-run context:\n"
            "    (#0 not shown: libseedhost.so)\n"
            "    #1 0x555500004000 page()::{lambda()#1}::operator()() const app/page.cpp:10\n"
            "\n"
            "  Thread T2 'Thread-1' (running) created by thread T1 at:\n"
            "    (#0 not shown: libseedhost.so)\n"
            "    #1 0x555500002000 page() app/page.cpp:12\n"
            "\n"
            "SUMMARY: uisan: ui-call-off-thread app/page.cpp:10 in page()::{lambda()#1}::operator()() const\n"
            "==================\n");
}

TEST(ReportPrinter, StaleContextShowsWhereTheRunEnded) {
  auto r = baseReport(ReportKind::StaleContext);
  std::strcpy(r->what, "st::write");
  addFrame(r->stack, 0x555500004000, "worker()", "/src/app/page.cpp", 20, true);
  r->run_id = 3;
  r->session_id = 1;
  r->run_known = true;
  addFrame(r->run_end, 0x7f0000005000, "seed::host::Session::run()", "/src/host/host.cpp", 60, false);
  std::string t = text(*r);
  EXPECT_NE(t.find("WARNING: uisan: stale-context (pid=1234)\n"), std::string::npos) << t;
  EXPECT_NE(t.find("  UI call 'st::write' from thread T2 'Thread-1' (running) uses the context "
                   "of run 3 (session 1), which has ended:\n"
                   "    #0 0x555500004000 worker() /src/app/page.cpp:20\n"
                   "\n"
                   "  run 3 (session 1) ended at:\n"
                   "    #0 0x7f0000005000 seed::host::Session::run() /src/host/host.cpp:60\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("SUMMARY: uisan: stale-context /src/app/page.cpp:20 in worker()\n"),
            std::string::npos);
}

TEST(ReportPrinter, ContextLeak) {
  auto r = baseReport(ReportKind::ContextLeak);
  r->stack = r->thread.created;
  r->run_id = 1;
  r->session_id = 1;
  r->run_known = true;
  r->linger_ms = 50;
  std::string t = text(*r);
  EXPECT_NE(t.find("  Thread T2 'Thread-1' (running) still holds the context of run 1 (session 1) "
                   "50 ms after the run ended; created by thread T1 at:\n"
                   "    (#0 not shown: libseedhost.so)\n"
                   "    #1 0x555500002000 page() /src/app/page.cpp:12\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("SUMMARY: uisan: context-leak /src/app/page.cpp:12 in page()\n"), std::string::npos);
}

TEST(ReportPrinter, StacksStartAtTheAppsFirstFrame) {
  auto r = baseReport(ReportKind::ThreadLeak);
  r->thread.created.size = 0;
  addFrame(r->thread.created, 0x7f0000005000, "std::thread::_M_start_thread(...)", "", 0, false,
           "/usr/lib/x86_64-linux-gnu/libstdc++.so.6");
  addFrame(r->thread.created, 0x555500006000, "std::thread::thread<...>",
           "/usr/include/c++/12/bits/std_thread.h", 142, false);
  addFrame(r->thread.created, 0x555500006000, "std::thread::thread<...>",
           "/usr/include/c++/12/bits/std_thread.h", 142, false);
  addFrame(r->thread.created, 0x555500006000, "main", "/src/app/main.cpp", 9, true);
  r->stack = r->thread.created;
  std::string t = text(*r);
  EXPECT_NE(t.find("at:\n    (#0-#2 not shown: libstdc++.so.6, std_thread.h)\n"
                   "    #3 0x555500006000 main /src/app/main.cpp:9\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("SUMMARY: uisan: thread-leak /src/app/main.cpp:9 in main\n"), std::string::npos);
  // The JSON log keeps every frame.
  EXPECT_NE(json(*r).find("\"stack\":[{\"pc\":\"0x7f0000005000\""), std::string::npos);
  // No frame of the app's: all are shown.
  r->stack.size = 2;
  EXPECT_EQ(text(*r).find("not shown"), text(*r).rfind("not shown")); // the creation stack only
}

TEST(ReportPrinter, UiCallsOfOneFunctionAreOneReport) {
  auto r = baseReport(ReportKind::UiCallOffThread);
  std::strcpy(r->what, "QLabel::setText(QString const&)");
  std::strcpy(r->toolkit, "qt");
  std::strcpy(r->ui_thread_name, "GUI thread");
  addFrame(r->stack, 0x555500004000, "Loader::load()", "/src/app/loader.cpp", 23, true);
  r->more_calls = 3;
  r->more_listed = 2;
  std::strcpy(r->more[0].what, "QLabel::setIndent(int)");
  std::strcpy(r->more[0].function, "Loader::load()");
  std::strcpy(r->more[0].file, "/src/app/loader.cpp");
  r->more[0].line = 24;
  std::strcpy(r->more[1].what, "QPixmap::~QPixmap()");
  std::strcpy(r->more[1].function, "Loader::drop()");
  std::strcpy(r->more[1].file, "/src/app/loader.cpp");
  r->more[1].line = 40;
  r->more[1].destructor_of_reported = true;
  std::string t = text(*r, "/src/");
  EXPECT_NE(t.find("    #0 0x555500004000 Loader::load() app/loader.cpp:23\n"
                   "  And 3 more UI calls in 'Loader::load()' on this stack:\n"
                   "    'QLabel::setIndent(int)' at app/loader.cpp:24\n"
                   "    'QPixmap::~QPixmap()' at app/loader.cpp:40 in 'Loader::drop()' (destroying "
                   "the object constructed above)\n"
                   "    ... and 1 more\n"),
            std::string::npos)
      << t;
  std::string j = json(*r);
  EXPECT_NE(j.find("\"more_count\":3,\"more_calls\":[{\"what\":\"QLabel::setIndent(int)\","
                   "\"function\":\"Loader::load()\",\"file\":\"/src/app/loader.cpp\",\"line\":24,"
                   "\"destructor\":false},{"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find("\"line\":40,\"destructor\":true}]"), std::string::npos) << j;
}

TEST(ReportPrinter, GroupedThreadLeakAtRunEnd) {
  auto r = baseReport(ReportKind::ThreadLeak);
  r->stack = r->thread.created;
  r->leak_when = LeakWhen::RunEnd;
  r->run_id = 1;
  r->linger_ms = 500;
  r->count = 3;
  std::string t = text(*r);
  EXPECT_NE(t.find("  Thread T2 'Thread-1' (running), started during run 1, is still running "
                   "500 ms after the run ended; created by thread T1 at:\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("\n  And 2 more similar thread leaks.\n"), std::string::npos) << t;
  EXPECT_NE(json(*r).find("\"count\":3"), std::string::npos);
  EXPECT_NE(json(*r).find("\"when\":\"run-end\""), std::string::npos);
}

TEST(ReportPrinter, ThreadLeakAtExitFinished) {
  auto r = baseReport(ReportKind::ThreadLeak);
  r->thread.running = false;
  r->thread.name[0] = '\0';
  r->stack = r->thread.created;
  r->leak_when = LeakWhen::Exit;
  std::string t = text(*r);
  EXPECT_NE(t.find("  Thread T2 (finished) finished but was never joined; created by thread T1 at:\n"),
            std::string::npos)
      << t;
  EXPECT_EQ(t.find("more similar"), std::string::npos);
}

TEST(ReportPrinter, ExecutorLeakAndUnsymbolizedFrames) {
  auto r = baseReport(ReportKind::ExecutorLeak);
  std::strcpy(r->what, "seed::ScheduledExecutorService");
  r->executor_id = 4;
  r->count = 2;
  Frame &f = r->stack.frames[r->stack.size++];
  std::memset(&f, 0, sizeof(f));
  f.pc = 0x7f00000a0123;
  f.module_offset = 0x123;
  std::strcpy(f.module, "/usr/lib/libvendor.so");
  std::string t = text(*r);
  EXPECT_NE(t.find("  Executor E4 'seed::ScheduledExecutorService' was never shut down; created by "
                   "thread T2 at:\n    #0 0x7f00000a0123 (libvendor.so+0x123)\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("And 1 more similar executor leaks."), std::string::npos);
  EXPECT_NE(t.find("SUMMARY: uisan: executor-leak (libvendor.so+0x123)\n"), std::string::npos) << t;
}

TEST(ReportPrinter, JsonCarriesTheSameFieldsEscaped) {
  auto r = baseReport(ReportKind::UiCallOffThread);
  std::strcpy(r->what, "say \"hi\"\n");
  addFrame(r->stack, 0x555500004000, "f()", "/src/a.cpp", 7, true);
  std::string j = json(*r);
  EXPECT_EQ(j.back(), '\n');
  EXPECT_EQ(j.find('\n'), j.size() - 1); // one line
  EXPECT_NE(j.find("{\"kind\":\"ui-call-off-thread\",\"pid\":1234,\"count\":1,"
                   "\"what\":\"say \\\"hi\\\"\\u000a\","
                   "\"summary\":{\"function\":\"f()\",\"file\":\"/src/a.cpp\",\"line\":7}"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find("\"thread\":{\"id\":\"T2\",\"name\":\"Thread-1\",\"state\":\"running\""),
            std::string::npos)
      << j;
  EXPECT_NE(j.find("\"created_by\":\"T1\""), std::string::npos);
}

TEST(ReportPrinter, MainAndExternalThreads) {
  auto r = baseReport(ReportKind::UiCallOffThread);
  std::strcpy(r->what, "paint");
  r->thread.is_main = true;
  r->thread.uid = 0;
  r->thread.name[0] = '\0';
  addFrame(r->stack, 0x555500004000, "main", "/src/a.cpp", 3, true);
  std::string t = text(*r);
  EXPECT_NE(t.find("from thread T0 (main thread), which holds no script-run context:\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("\n  Thread T0 is the process's main thread.\n"), std::string::npos) << t;
  r->thread.is_main = false;
  r->thread.external = true;
  r->thread.uid = 7;
  t = text(*r);
  EXPECT_NE(t.find("\n  Thread T7 (running) was not started under uisan (no creation stack).\n"),
            std::string::npos)
      << t;
}

TEST(ReportPrinter, EveryKindHasAStableName) {
  const char *names[] = {"ui-call-off-thread", "context-leak", "stale-context", "thread-leak",
                         "executor-leak"};
  for (int i = 0; i < kNumReportKinds; ++i) {
    EXPECT_STREQ(reportKindName(static_cast<ReportKind>(i)), names[i]);
    ReportKind k;
    ASSERT_TRUE(parseReportKind(names[i], std::strlen(names[i]), k));
    EXPECT_EQ(static_cast<int>(k), i);
  }
}

TEST(ReportPrinter, OutTruncatesInsteadOfOverflowing) {
  char buf[8];
  Out out(buf, sizeof(buf));
  out.str("0123456789").dec(42);
  EXPECT_EQ(out.size(), 7u);
  EXPECT_STREQ(buf, "0123456");
}
