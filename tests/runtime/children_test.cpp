// What children inherit: uisan's libraries taken out of LD_PRELOAD and
// LD_AUDIT in place, and report files made absolute for those followed.
#include "uisan_children.h"

#include <gtest/gtest.h>

using namespace uisan;

namespace {
const char *const kOurs[] = {"libuisan.so", "libuisan_audit.so", nullptr};

std::string scrubbed(const char *text, int *removed = nullptr) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%s", text);
  int n = removeListEntries(buf, kOurs);
  if (removed)
    *removed = n;
  return buf;
}
} // namespace

TEST(Children, UisansLibrariesLeaveThePreloadList) {
  int removed = 0;
  EXPECT_EQ(scrubbed("/opt/other.so:/build/runtime/libuisan.so", &removed), "/opt/other.so");
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(scrubbed("/build/libuisan.so", &removed), "");
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(scrubbed("libasan.so.8 /b/libuisan.so libtsan.so.2"), "libasan.so.8:libtsan.so.2");
  EXPECT_EQ(scrubbed("/a/libuisan_audit.so:/mine/audit.so"), "/mine/audit.so");
}

TEST(Children, OnlyWholeFileNamesMatch) {
  int removed = 0;
  EXPECT_EQ(scrubbed("/x/libuisan.so.1:/x/mylibuisan.so:/libuisan.so/other.so", &removed),
            "/x/libuisan.so.1:/x/mylibuisan.so:/libuisan.so/other.so");
  EXPECT_EQ(removed, 0);
  EXPECT_EQ(scrubbed("::/x/a.so::", &removed), "/x/a.so");
}

TEST(Children, OutputPathsBecomeAbsolute) {
  char out[64];
  ASSERT_TRUE(absoluteOutputPath("logs/u.log", "/home/me", out, sizeof(out)));
  EXPECT_STREQ(out, "/home/me/logs/u.log");
  ASSERT_TRUE(absoluteOutputPath("u.log", "/", out, sizeof(out)));
  EXPECT_STREQ(out, "/u.log");
  for (const char *kept : {"/var/u.log", "stderr", "stdout", ""}) {
    ASSERT_TRUE(absoluteOutputPath(kept, "/home/me", out, sizeof(out)));
    EXPECT_STREQ(out, kept);
  }
  EXPECT_FALSE(absoluteOutputPath("a-rather-long-file-name.log", "/a/long/directory/name/here",
                                  out, 40));
}
