// uisan_thread_registry.h - every thread the runtime knows: a fixed table
// of slots, reused after join (or exit, when detached), guarded by one
// mutex that is never held across user code.
#ifndef UISAN_THREAD_REGISTRY_H
#define UISAN_THREAD_REGISTRY_H

#include "uisan_stacktrace.h"

#include <atomic>
#include <cstdint>
#include <pthread.h>
#include <time.h>

namespace uisan {

enum class ThreadStatus : uint8_t { Free, Starting, Running, Finished };

/// What the runtime records about one thread.
struct ThreadState {
  // Written under the registry lock, except Starting -> Running, which the
  // new thread stores alone (it must not contend with its creator).
  std::atomic<ThreadStatus> status;
  bool detached;       // never to be joined (attr, pthread_detach, main, external)
  bool joining;        // a join is in progress
  bool creator_done;   // pthread_create has returned to the creator
  bool leak_reported;  // already reported (context-leak or thread-leak)
  bool is_main;
  bool external;       // not started through pthread_create under uisan
  bool has_parent;
  /// Who started it (ThreadOwner + 1), decided by its creation stack when
  /// first needed; 0 until then.
  uint8_t owner;
  pthread_t pthread;
  uint64_t uid;        // T<uid>, never reused
  uint64_t parent_uid;
  uint64_t origin_run; // the run during which it was started, 0 if none
  StackTrace created;
  char name[16];
  int index;
  int next_free;

  // Set by the creator before the thread starts, then owned by the thread.
  void *(*start_fn)(void *);
  void *start_arg;
  std::atomic<uint64_t> ctx;   // attached context (run id), 0 if none
  std::atomic<bool> daemon;
  // Pending attributes for the next thread this thread starts.
  uint64_t next_ctx;
  unsigned next_flags;
};

/// The table of threads.
class ThreadRegistry {
public:
  static constexpr int kMaxThreads = 4096;

  /// Call once before any other member, on a zero-initialized registry
  /// (static storage, or value-initialized).
  void init();

  /// A Starting slot with a fresh uid, or nullptr when the table is full
  /// (the thread then runs untracked).
  ThreadState *allocate();
  /// The same with the lock held, so the caller can fill the slot at once.
  ThreadState *allocateLocked();
  /// A slot for the calling thread, already running (main or external).
  ThreadState *allocateRunning(pthread_t self, bool is_main);
  /// Creator side of pthread_create: records the handle, or frees the slot
  /// if creation failed.
  void creatorDone(ThreadState *t, bool created, pthread_t handle);
  /// New-thread side, first thing in the trampoline.
  void started(ThreadState *t, pthread_t self);
  /// The thread is exiting (return, pthread_exit or cancellation).
  void finished(ThreadState *t);

  /// Marks the slot of `handle` as being joined; nullptr if untracked.
  ThreadState *beginJoin(pthread_t handle);
  /// Frees the slot if the join succeeded, else clears `joining`.
  void endJoin(ThreadState *t, bool joined);
  /// Marks `handle` detached (freeing it if it has already finished).
  void detach(pthread_t handle);
  /// Records a name set with pthread_setname_np.
  void setName(pthread_t handle, const char *name);
  void setName(ThreadState *t, const char *name);

  void lock();
  void unlock();
  /// Waits (lock held) until a thread finishes or `deadline` (CLOCK_MONOTONIC)
  /// passes; returns false on timeout.
  bool waitForExit(const struct timespec &deadline);
  /// Slots [0, highWater()) may be in use; read with the lock held.
  int highWater() const { return high_water_; }
  ThreadState &slot(int i) { return slots_[i]; }
  /// The live slot of `handle` (lock held), nullptr if none.
  ThreadState *findLocked(pthread_t handle);
  /// The running thread `handle` (lock held), detached or not.
  ThreadState *findRunningLocked(pthread_t handle);
  int liveCount() const { return live_; }

  /// In a fork child: only `self` survives.
  void afterForkChild(ThreadState *self);

private:
  void freeLocked(ThreadState *t);

  pthread_mutex_t mu_;
  pthread_cond_t exit_cv_;
  int waiters_;
  int free_head_;
  int high_water_;
  int live_;
  uint64_t next_uid_;
  ThreadState slots_[kMaxThreads];
};

} // namespace uisan

#endif
