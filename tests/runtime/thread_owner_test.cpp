// Whose thread is it: the decision on hand-built creation stacks, with a
// table standing in for the process's modules and symbols.
#include "uisan_stacktrace.h"
#include "uisan_thread_owner.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>

using namespace uisan;

namespace {

/// A fake process: each pc is in the app or not, and maybe in a named
/// exported function.
struct FakeFrames {
  std::map<uintptr_t, bool> app;
  std::map<uintptr_t, std::string> names;

  static bool isApp(const void *self, uintptr_t pc) {
    const auto *f = static_cast<const FakeFrames *>(self);
    auto it = f->app.find(pc);
    return it != f->app.end() && it->second;
  }
  static bool function(const void *self, uintptr_t pc, char *out, size_t cap) {
    const auto *f = static_cast<const FakeFrames *>(self);
    auto it = f->names.find(pc);
    if (it == f->names.end())
      return false;
    std::snprintf(out, cap, "%s", it->second.c_str());
    return true;
  }
  FrameOracle oracle() const { return {isApp, function, this}; }
};

/// A creation stack of frames 1..n; `app` lists the app's, `names` names.
StackTrace stack(int n) {
  StackTrace st;
  st.size = n;
  for (int i = 0; i < n; ++i)
    st.pc[i] = static_cast<uintptr_t>(i + 1);
  return st;
}

ThreadSpec spec(const char *text) {
  static ThreadSpec s; // large: not on the stack
  char error[200];
  EXPECT_TRUE(s.parse(text, error, sizeof(error))) << error;
  return s;
}

const char *kGtk = "spawner g_thread_new\n"
                   "spawner g_task_run_in_thread\n"
                   "library-thread-name gmain\n"
                   "library-thread-name pool-*\n"
                   "library-thread-creator g_task_run_in_thread\n";

} // namespace

TEST(ThreadOwner, CreatedInTheAppsOwnCode) {
  FakeFrames f; // pthread_create called from the app: frame 0 is the app's
  f.app[1] = true;
  EXPECT_EQ(threadOwner(stack(3), "", spec(kGtk), f.oracle()), ThreadOwner::App);
}

TEST(ThreadOwner, LibraryFunctionTheAppCalledCreatedItItself) {
  FakeFrames f; // std::thread::_M_start_thread <- the app
  f.app[2] = true;
  f.names[1] = "std::thread::_M_start_thread";
  EXPECT_EQ(threadOwner(stack(3), "", spec(kGtk), f.oracle()), ThreadOwner::App);
}

TEST(ThreadOwner, AppCalledAListedSpawner) {
  FakeFrames f; // g_thread_new_internal <- g_thread_new <- the app
  f.app[3] = true;
  f.names[2] = "g_thread_new";
  EXPECT_EQ(threadOwner(stack(4), "worker", spec(kGtk), f.oracle()), ThreadOwner::AppSpawner);
}

TEST(ThreadOwner, AppCalledSomethingThatIsNoSpawner) {
  FakeFrames f; // ... <- g_settings_new <- the app: dconf's own thread
  f.app[4] = true;
  f.names[2] = "g_thread_new"; // called by the library, not by the app
  f.names[3] = "g_settings_new";
  EXPECT_EQ(threadOwner(stack(5), "dconf worker", spec("spawner g_thread_new\n"), f.oracle()),
            ThreadOwner::Library);
}

TEST(ThreadOwner, NoAppFrameInTheStack) {
  FakeFrames f;
  f.names[1] = "g_thread_new";
  EXPECT_EQ(threadOwner(stack(16), "", spec(kGtk), f.oracle()), ThreadOwner::Library);
}

TEST(ThreadOwner, PackNamesTheThread) {
  FakeFrames f;
  f.app[1] = true; // even one the app created itself
  EXPECT_EQ(threadOwner(stack(2), "pool-myapp", spec(kGtk), f.oracle()),
            ThreadOwner::LibraryByName);
  EXPECT_EQ(threadOwner(stack(2), "gmainx", spec(kGtk), f.oracle()), ThreadOwner::App);
}

TEST(ThreadOwner, PackNamesACreatorOnTheStack) {
  FakeFrames f; // g_thread_pool_push <- g_task_run_in_thread <- the app
  f.app[3] = true;
  f.names[1] = "g_thread_pool_push";
  f.names[2] = "g_task_run_in_thread";
  EXPECT_EQ(threadOwner(stack(4), "", spec(kGtk), f.oracle()), ThreadOwner::LibraryByCreator);
}

TEST(ThreadOwner, NoCreationStackKeepsTheOldVerdict) {
  FakeFrames f;
  StackTrace none;
  none.size = 0;
  ThreadOwner owner = threadOwner(none, "", spec(kGtk), f.oracle());
  EXPECT_EQ(owner, ThreadOwner::Unknown);
  EXPECT_TRUE(ownedByApp(owner));
  EXPECT_FALSE(ownedByApp(ThreadOwner::Library));
}

TEST(ThreadOwner, SpecErrorsNameTheLine) {
  ThreadSpec s;
  char error[200];
  EXPECT_FALSE(s.parse("spawner a\nlibrary-thread-nom x\n", error, sizeof(error)));
  EXPECT_STREQ(error, "line 2: unknown item; expected spawner, library-thread-name or "
                      "library-thread-creator");
  EXPECT_EQ(s.size(), 1);
  EXPECT_FALSE(s.parse("spawner\n", error, sizeof(error)));
  EXPECT_STREQ(error, "line 1: expected 'KIND PATTERN'");
  EXPECT_TRUE(s.parse("# comment\n\nlibrary-thread-name dconf worker\n", error, sizeof(error)));
  EXPECT_TRUE(s.matches(ThreadSpec::Kind::LibraryName, "dconf worker"));
  EXPECT_FALSE(s.matches(ThreadSpec::Kind::Spawner, "dconf worker"));
}

TEST(AppModules, ExecutableOutsideSystemDirsAndNamedAfterTheProgram) {
  setAppModules("mousepad", "libvendor*.so*,*/opt/tools/*");
  EXPECT_TRUE(isAppModulePath(""));
  EXPECT_TRUE(isAppModulePath("/home/me/build/libmine.so"));
  EXPECT_TRUE(isAppModulePath("/usr/lib/x86_64-linux-gnu/libmousepad.so.0"));
  EXPECT_TRUE(isAppModulePath("/usr/lib/x86_64-linux-gnu/mousepad/plugins/libx.so"));
  EXPECT_TRUE(isAppModulePath("/usr/lib/libvendor-ui.so.2"));
  EXPECT_TRUE(isAppModulePath("/usr/lib/opt/tools/libz.so"));
  EXPECT_FALSE(isAppModulePath("/usr/lib/x86_64-linux-gnu/libglib-2.0.so.0"));
  EXPECT_FALSE(isAppModulePath("/lib/x86_64-linux-gnu/libmousepadx.so.0"));
  setAppModules("", "");
}

TEST(AppModules, SystemHeadersAreNotTheAppsCode) {
  EXPECT_TRUE(isSystemSourceFile("/usr/include/c++/12/bits/std_thread.h"));
  EXPECT_TRUE(isSystemSourceFile("/usr/include/x86_64-linux-gnu/qt6/QtWidgets/qwidget.h"));
  EXPECT_FALSE(isSystemSourceFile("/src/app/main.cpp"));
  EXPECT_FALSE(isSystemSourceFile("include/app.h"));
}
