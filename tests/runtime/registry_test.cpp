#include "uisan_context.h"
#include "uisan_thread_registry.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

using uisan::ExecutorTable;
using uisan::RunTable;
using uisan::StackTrace;
using uisan::ThreadRegistry;
using uisan::ThreadState;
using uisan::ThreadStatus;

namespace {

pthread_t fakeHandle(uintptr_t n) { return static_cast<pthread_t>(n); }

std::unique_ptr<ThreadRegistry> makeRegistry() {
  auto r = std::make_unique<ThreadRegistry>();
  r->init();
  return r;
}

} // namespace

TEST(Registry, JoinFreesTheSlotForReuse) {
  auto reg = makeRegistry();
  ThreadState *t = reg->allocate();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->status.load(), ThreadStatus::Starting);
  reg->creatorDone(t, true, fakeHandle(1));
  reg->started(t, fakeHandle(1));
  EXPECT_EQ(reg->liveCount(), 1);
  reg->finished(t);
  EXPECT_EQ(t->status.load(), ThreadStatus::Finished); // unjoined: kept
  ThreadState *joining = reg->beginJoin(fakeHandle(1));
  EXPECT_EQ(joining, t);
  EXPECT_EQ(reg->beginJoin(fakeHandle(1)), nullptr); // one join at a time
  reg->endJoin(t, true);
  EXPECT_EQ(reg->liveCount(), 0);
  ThreadState *again = reg->allocate();
  EXPECT_EQ(again, t);                // the slot is reused...
  EXPECT_GT(again->uid, 0u);          // ...with a fresh uid
  EXPECT_EQ(reg->highWater(), 1);
}

TEST(Registry, FailedJoinKeepsTheThread) {
  auto reg = makeRegistry();
  ThreadState *t = reg->allocate();
  reg->creatorDone(t, true, fakeHandle(2));
  ThreadState *j = reg->beginJoin(fakeHandle(2));
  reg->endJoin(j, false);
  EXPECT_EQ(reg->liveCount(), 1);
  EXPECT_EQ(reg->beginJoin(fakeHandle(2)), t);
}

TEST(Registry, DetachedThreadIsFreedWhenBothSidesAreDone) {
  auto reg = makeRegistry();
  // Detached thread finishing before pthread_create returned to its creator.
  ThreadState *t = reg->allocate();
  t->detached = true;
  reg->started(t, fakeHandle(3));
  reg->finished(t);
  EXPECT_EQ(reg->liveCount(), 1); // creator has not seen it yet
  reg->creatorDone(t, true, fakeHandle(3));
  EXPECT_EQ(reg->liveCount(), 0);

  // pthread_detach after the thread finished.
  ThreadState *u = reg->allocate();
  reg->creatorDone(u, true, fakeHandle(4));
  reg->started(u, fakeHandle(4));
  reg->finished(u);
  reg->detach(fakeHandle(4));
  EXPECT_EQ(reg->liveCount(), 0);

  // pthread_detach before it finished: freed at exit.
  ThreadState *v = reg->allocate();
  reg->creatorDone(v, true, fakeHandle(5));
  reg->started(v, fakeHandle(5));
  reg->detach(fakeHandle(5));
  EXPECT_EQ(reg->liveCount(), 1);
  reg->finished(v);
  EXPECT_EQ(reg->liveCount(), 0);
}

TEST(Registry, FailedCreateFreesTheSlot) {
  auto reg = makeRegistry();
  ThreadState *t = reg->allocate();
  reg->creatorDone(t, false, pthread_t());
  EXPECT_EQ(reg->liveCount(), 0);
}

TEST(Registry, FullTableReturnsNull) {
  auto reg = makeRegistry();
  for (int i = 0; i < ThreadRegistry::kMaxThreads; ++i)
    ASSERT_NE(reg->allocate(), nullptr);
  EXPECT_EQ(reg->allocate(), nullptr);
}

TEST(Registry, NamesAndLookup) {
  auto reg = makeRegistry();
  ThreadState *t = reg->allocate();
  reg->creatorDone(t, true, fakeHandle(6));
  reg->started(t, fakeHandle(6));
  reg->setName(fakeHandle(6), "a-very-long-thread-name");
  EXPECT_STREQ(t->name, "a-very-long-thr"); // 15 chars, like the kernel
  reg->lock();
  EXPECT_EQ(reg->findLocked(fakeHandle(6)), t);
  EXPECT_EQ(reg->findLocked(fakeHandle(7)), nullptr);
  reg->unlock();
}

TEST(Registry, WaitForExitWakesOnFinish) {
  auto reg = makeRegistry();
  ThreadState *t = reg->allocate();
  reg->creatorDone(t, true, fakeHandle(8));
  reg->started(t, fakeHandle(8));
  std::thread finisher;
  reg->lock();
  finisher = std::thread([&] { reg->finished(t); });
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += 60;
  while (t->status != ThreadStatus::Finished)
    ASSERT_TRUE(reg->waitForExit(deadline));
  reg->unlock();
  finisher.join();
}

TEST(Registry, ConcurrentAllocateAndFree) {
  auto reg = makeRegistry();
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < 2000; ++i) {
        ThreadState *t = reg->allocate();
        ASSERT_NE(t, nullptr);
        pthread_t h = fakeHandle(1000 + k * 10000 + i);
        reg->creatorDone(t, true, h);
        reg->started(t, h);
        reg->finished(t);
        ThreadState *j = reg->beginJoin(h);
        ASSERT_EQ(j, t);
        reg->endJoin(j, true);
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(reg->liveCount(), 0);
  EXPECT_LE(reg->highWater(), 4);
}

TEST(Runs, IdsAreNeverReusedSoStaleIsExact) {
  auto runs = std::make_unique<RunTable>();
  runs->init();
  StackTrace where{};
  uint64_t first = runs->begin(1);
  ASSERT_NE(first, 0u);
  EXPECT_TRUE(runs->isActive(first));
  EXPECT_TRUE(runs->end(first, where));
  EXPECT_FALSE(runs->isActive(first));
  EXPECT_FALSE(runs->end(first, where)); // ending twice is refused
  // Many later runs recycle the record of `first`; it stays inactive.
  for (int i = 0; i < 3 * RunTable::kMaxRuns; ++i) {
    uint64_t id = runs->begin(2);
    ASSERT_NE(id, first);
    EXPECT_FALSE(runs->isActive(first));
    runs->end(id, where);
  }
  uint64_t session = 0;
  EXPECT_FALSE(runs->info(first, session, nullptr)); // details recycled
  EXPECT_FALSE(runs->isActive(0));
}

TEST(Runs, InfoKeepsSessionAndEndStack) {
  auto runs = std::make_unique<RunTable>();
  runs->init();
  uint64_t id = runs->begin(42);
  StackTrace where{};
  where.size = 2;
  where.pc[0] = 0x10;
  where.pc[1] = 0x20;
  runs->end(id, where);
  uint64_t session = 0;
  StackTrace ended{};
  ASSERT_TRUE(runs->info(id, session, &ended));
  EXPECT_EQ(session, 42u);
  EXPECT_EQ(ended.size, 2);
  EXPECT_EQ(ended.pc[1], 0x20u);
}

TEST(Runs, TooManyLiveRuns) {
  auto runs = std::make_unique<RunTable>();
  runs->init();
  for (int i = 0; i < RunTable::kMaxRuns; ++i)
    ASSERT_NE(runs->begin(1), 0u);
  EXPECT_EQ(runs->begin(1), 0u);
}

TEST(Executors, CreateShutdownAndStaleHandles) {
  auto ex = std::make_unique<ExecutorTable>();
  ex->init();
  StackTrace st{};
  uint64_t a = ex->create("pool", 1, st);
  uint64_t b = ex->create("scheduler", 2, st);
  ASSERT_NE(a, 0u);
  ASSERT_NE(b, a);
  EXPECT_TRUE(ex->shutdown(a));
  EXPECT_FALSE(ex->shutdown(a)); // twice
  EXPECT_FALSE(ex->shutdown(0));
  int live = 0;
  for (int i = 0; i < ExecutorTable::kMaxExecutors; ++i)
    live += ex->record(i).id ? 1 : 0;
  EXPECT_EQ(live, 1);
}
