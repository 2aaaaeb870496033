// uisan-run's validation: every error path returns before exec.
#include "launcher.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

int run(std::vector<std::string> args) {
  args.insert(args.begin(), "uisan-run");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(&a[0]);
  argv.push_back(nullptr);
  return uisan::launcherMain(static_cast<int>(args.size()), argv.data());
}

} // namespace

TEST(Launcher, UsageErrorsExitTwo) {
  unsetenv("UISAN_OPTIONS");
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({}), 2);
  EXPECT_EQ(run({"--bogus", "--", "/bin/true"}), 2);
  EXPECT_EQ(run({"--log"}), 2);
  EXPECT_EQ(run({"--log", "a:b.log", "--", "/bin/true"}), 2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("uisan-run: error: no PROGRAM to run"), std::string::npos) << err;
  EXPECT_NE(err.find("unknown option '--bogus'"), std::string::npos) << err;
  EXPECT_NE(err.find("--log FILE must not contain ':'"), std::string::npos) << err;
}

TEST(Launcher, BadOptionValueStopsBeforeTheApp) {
  unsetenv("UISAN_OPTIONS");
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"--options", "linger_ms=-5", "--", "/bin/true"}), 2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("bad value '-5' for option 'linger_ms': expected an integer in [0, 600000]"),
            std::string::npos)
      << err;
}

TEST(Launcher, BadOptionInEnvironmentToo) {
  setenv("UISAN_OPTIONS", "halt_on_error=2", 1);
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"--", "/bin/true"}), 2);
  std::string err = testing::internal::GetCapturedStderr();
  unsetenv("UISAN_OPTIONS");
  EXPECT_NE(err.find("option 'halt_on_error'"), std::string::npos) << err;
}

TEST(Launcher, BadSuppressionsFile) {
  unsetenv("UISAN_OPTIONS");
  char path[] = "/tmp/uisan-supp-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  FILE *f = fdopen(fd, "w");
  std::fputs("thread-leak:ok\nbogus-kind:x\n", f);
  std::fclose(f);
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"--options", std::string("suppressions=") + path, "--", "/bin/true"}), 2);
  std::string err = testing::internal::GetCapturedStderr();
  std::remove(path);
  EXPECT_NE(err.find(std::string(path) + ":2: unknown report kind 'bogus-kind'"), std::string::npos)
      << err;
}

TEST(Launcher, UnreadableRulePack) {
  unsetenv("UISAN_OPTIONS");
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"--rules", "/nonexistent/pack.json", "--", "/bin/true"}), 2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("/nonexistent/pack.json"), std::string::npos) << err;
}

TEST(Launcher, RulePackNamesAreUniqueAcrossShippedAndGiven) {
  unsetenv("UISAN_OPTIONS");
  char path[] = "/tmp/uisan-pack-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  FILE *f = fdopen(fd, "w");
  std::fputs("{\"format\": 1, \"name\": \"qt\", \"description\": \"d\"}\n", f);
  std::fclose(f);
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"--rules", path, "--", "/bin/true"}), 2);
  std::string err = testing::internal::GetCapturedStderr();
  std::remove(path);
  EXPECT_NE(err.find(std::string(path) +
                     ": error: a pack named 'qt' is already loaded from <builtin>/qt.json"),
            std::string::npos)
      << err;
}

TEST(Launcher, MissingProgram) {
  unsetenv("UISAN_OPTIONS");
  const char *lib = getenv("UISAN_LIB");
  if (lib)
    setenv("UISAN_RUNTIME_LIBRARY", lib, 1);
  const char *old_preload = getenv("LD_PRELOAD");
  std::string saved = old_preload ? old_preload : "";
  testing::internal::CaptureStderr();
  int rc = run({"--", "/nonexistent/app"});
  std::string err = testing::internal::GetCapturedStderr();
  // launcherMain set LD_PRELOAD for the exec that failed; undo it.
  if (old_preload)
    setenv("LD_PRELOAD", saved.c_str(), 1);
  else
    unsetenv("LD_PRELOAD");
  unsetenv("UISAN_RUNTIME_LIBRARY");
  if (!lib)
    GTEST_SKIP() << "UISAN_LIB not set (run through ctest)";
  EXPECT_EQ(rc, 127);
  EXPECT_NE(err.find("cannot run '/nonexistent/app'"), std::string::npos) << err;
}
