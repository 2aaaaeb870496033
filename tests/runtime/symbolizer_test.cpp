#include "uisan_report_printer.h"
#include "uisan_symbolizer.h"

#include <gtest/gtest.h>

#include <memory>

using namespace uisan;

TEST(Symbolizer, ParsesInlinedFramesInnermostFirst) {
  const char *reply = "std::function<void ()>::operator()() const\n"
                      "/usr/include/c++/12/bits/std_function.h:591:9\n"
                      "seed::Thread::start()::$_0::operator()() const\n"
                      "/src/host/threading.cpp:94:11\n"
                      "\n";
  Frame frames[4];
  int n = parseSymbolizerReply(reply, 0x1234, "/lib/libseedhost.so", 0x234, false, frames, 4);
  ASSERT_EQ(n, 2);
  EXPECT_STREQ(frames[0].function, "std::function<void ()>::operator()() const");
  EXPECT_STREQ(frames[0].file, "/usr/include/c++/12/bits/std_function.h");
  EXPECT_EQ(frames[0].line, 591);
  EXPECT_STREQ(frames[1].function, "seed::Thread::start()::$_0::operator()() const");
  EXPECT_STREQ(frames[1].file, "/src/host/threading.cpp");
  EXPECT_EQ(frames[1].line, 94);
  EXPECT_EQ(frames[1].pc, 0x1234u);
  EXPECT_EQ(frames[1].module_offset, 0x234u);
  EXPECT_STREQ(frames[1].module, "/lib/libseedhost.so");
}

TEST(Symbolizer, UnknownFunctionAndFileBecomeEmpty) {
  Frame frames[2];
  int n = parseSymbolizerReply("??\n??:0:0\n\n", 0x10, "/lib/libx.so", 0x10, true, frames, 2);
  ASSERT_EQ(n, 1);
  EXPECT_STREQ(frames[0].function, "");
  EXPECT_STREQ(frames[0].file, "");
  EXPECT_EQ(frames[0].line, 0);
  EXPECT_TRUE(frames[0].origin_user);
}

TEST(Symbolizer, FileNamesMayContainColons) {
  Frame frames[1];
  int n = parseSymbolizerReply("f()\n/src/odd:dir/a.cpp:12:3\n\n", 1, "m", 1, true, frames, 1);
  ASSERT_EQ(n, 1);
  EXPECT_STREQ(frames[0].file, "/src/odd:dir/a.cpp");
  EXPECT_EQ(frames[0].line, 12);
}

TEST(Symbolizer, RespectsTheFrameLimit) {
  Frame frames[1];
  int n = parseSymbolizerReply("a\nx.cpp:1:1\nb\ny.cpp:2:1\n\n", 1, "m", 1, true, frames, 1);
  EXPECT_EQ(n, 1);
  EXPECT_STREQ(frames[0].function, "a");
}

TEST(ReportPrinter, StripPrefix) {
  EXPECT_STREQ(stripPrefix("/work/src/a.cpp", "/work/"), "src/a.cpp");
  EXPECT_STREQ(stripPrefix("/other/a.cpp", "/work/"), "/other/a.cpp");
  EXPECT_STREQ(stripPrefix("/work/a.cpp", ""), "/work/a.cpp");
}
