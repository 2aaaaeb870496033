#include "uisan_thread_registry.h"

#include <cstring>

namespace uisan {

namespace {
// Adaptive: spin briefly before sleeping. The lock is only ever held for a
// few dozen instructions, and a creator and its new thread touch it at the
// same moment; a futex sleep there would cost microseconds.
void initMutex(pthread_mutex_t *mu) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
  pthread_mutex_init(mu, &attr);
  pthread_mutexattr_destroy(&attr);
}
} // namespace

void ThreadRegistry::init() {
  initMutex(&mu_);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&exit_cv_, &attr);
  pthread_condattr_destroy(&attr);
  waiters_ = 0;
  free_head_ = -1;
  high_water_ = 0;
  live_ = 0;
  next_uid_ = 0;
  // The slots are zero-initialized (Free) and set up as the high-water mark
  // reaches them: start-up touches none of the table's 1.7 MB.
}

ThreadState *ThreadRegistry::allocateLocked() {
  int i;
  if (free_head_ >= 0) {
    i = free_head_;
    free_head_ = slots_[i].next_free;
  } else if (high_water_ < kMaxThreads) {
    i = high_water_++;
    slots_[i].index = i;
  } else {
    return nullptr;
  }
  ThreadState *t = &slots_[i];
  t->status = ThreadStatus::Starting;
  t->detached = t->joining = t->creator_done = t->leak_reported = false;
  t->is_main = t->external = t->has_parent = false;
  t->owner = 0;
  t->pthread = pthread_t();
  t->uid = next_uid_++;
  t->parent_uid = 0;
  t->origin_run = 0;
  t->created.size = 0;
  t->name[0] = '\0';
  t->next_free = -1;
  t->start_fn = nullptr;
  t->start_arg = nullptr;
  t->ctx.store(0, std::memory_order_relaxed);
  t->daemon.store(false, std::memory_order_relaxed);
  t->next_ctx = 0;
  t->next_flags = 0;
  ++live_;
  return t;
}

void ThreadRegistry::freeLocked(ThreadState *t) {
  t->status = ThreadStatus::Free;
  t->next_free = free_head_;
  free_head_ = t->index;
  --live_;
}

ThreadState *ThreadRegistry::allocate() {
  lock();
  ThreadState *t = allocateLocked();
  unlock();
  return t;
}

ThreadState *ThreadRegistry::allocateRunning(pthread_t self, bool is_main) {
  lock();
  ThreadState *t = allocateLocked();
  if (t) {
    t->status = ThreadStatus::Running;
    t->pthread = self;
    t->detached = true; // nobody will join it through us
    t->creator_done = true;
    t->is_main = is_main;
    t->external = !is_main;
  }
  unlock();
  return t;
}

void ThreadRegistry::creatorDone(ThreadState *t, bool created, pthread_t handle) {
  lock();
  if (!created) {
    freeLocked(t);
  } else {
    t->pthread = handle;
    t->creator_done = true;
    if (t->status == ThreadStatus::Finished && t->detached)
      freeLocked(t);
  }
  unlock();
}

void ThreadRegistry::started(ThreadState *t, pthread_t self) {
  // The creator records the handle in creatorDone(); storing it here too
  // would race with that write for no gain.
  (void)self;
  t->status.store(ThreadStatus::Running, std::memory_order_release);
}

void ThreadRegistry::finished(ThreadState *t) {
  lock();
  t->status = ThreadStatus::Finished;
  if (t->detached && t->creator_done)
    freeLocked(t);
  if (waiters_)
    pthread_cond_broadcast(&exit_cv_);
  unlock();
}

ThreadState *ThreadRegistry::findLocked(pthread_t handle) {
  for (int i = 0; i < high_water_; ++i) {
    ThreadState &t = slots_[i];
    if (t.status != ThreadStatus::Free && !t.joining && !t.detached &&
        pthread_equal(t.pthread, handle))
      return &t;
  }
  return nullptr;
}

ThreadState *ThreadRegistry::findRunningLocked(pthread_t handle) {
  for (int i = 0; i < high_water_; ++i) {
    ThreadState &t = slots_[i];
    if ((t.status == ThreadStatus::Running || t.status == ThreadStatus::Starting) &&
        pthread_equal(t.pthread, handle))
      return &t;
  }
  return nullptr;
}

ThreadState *ThreadRegistry::beginJoin(pthread_t handle) {
  lock();
  ThreadState *t = findLocked(handle);
  if (t)
    t->joining = true;
  unlock();
  return t;
}

void ThreadRegistry::endJoin(ThreadState *t, bool joined) {
  lock();
  if (joined)
    freeLocked(t);
  else
    t->joining = false;
  unlock();
}

void ThreadRegistry::detach(pthread_t handle) {
  lock();
  if (ThreadState *t = findLocked(handle)) {
    t->detached = true;
    if (t->status == ThreadStatus::Finished && t->creator_done)
      freeLocked(t);
  }
  unlock();
}

void ThreadRegistry::setName(pthread_t handle, const char *name) {
  lock();
  for (int i = 0; i < high_water_; ++i) {
    // Before creatorDone() a new thread's handle is not recorded yet; the
    // interceptor passes the calling thread's slot in that case.
    ThreadState &t = slots_[i];
    if (t.status != ThreadStatus::Free && t.status != ThreadStatus::Finished &&
        pthread_equal(t.pthread, handle)) {
      std::strncpy(t.name, name, sizeof(t.name) - 1);
      t.name[sizeof(t.name) - 1] = '\0';
      break;
    }
  }
  unlock();
}

void ThreadRegistry::setName(ThreadState *t, const char *name) {
  lock();
  std::strncpy(t->name, name, sizeof(t->name) - 1);
  t->name[sizeof(t->name) - 1] = '\0';
  unlock();
}

void ThreadRegistry::lock() { pthread_mutex_lock(&mu_); }
void ThreadRegistry::unlock() { pthread_mutex_unlock(&mu_); }

bool ThreadRegistry::waitForExit(const struct timespec &deadline) {
  ++waiters_;
  int rc = pthread_cond_timedwait(&exit_cv_, &mu_, &deadline);
  --waiters_;
  return rc == 0;
}

void ThreadRegistry::afterForkChild(ThreadState *self) {
  initMutex(&mu_);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&exit_cv_, &attr);
  pthread_condattr_destroy(&attr);
  waiters_ = 0;
  // Other threads do not exist in the child: free their slots silently.
  for (int i = 0; i < high_water_; ++i) {
    ThreadState &t = slots_[i];
    if (t.status != ThreadStatus::Free && &t != self)
      freeLocked(&t);
  }
  if (self) {
    self->pthread = pthread_self();
    self->is_main = true; // the child's only thread is its main thread
    self->detached = true;
  }
}

} // namespace uisan
