// uisan_context.h - script runs (whose ids are the contexts) and declared
// executors. A run id is never reused, so "is this context's run still
// live" is exact: a stale context can never be mistaken for a later run.
#ifndef UISAN_CONTEXT_H
#define UISAN_CONTEXT_H

#include "uisan_stacktrace.h"

#include <atomic>
#include <cstdint>
#include <pthread.h>

namespace uisan {

/// The runs of all sessions: a ring of records indexed by run id.
class RunTable {
public:
  static constexpr int kMaxRuns = 1024; // live at once; older records are recycled

  /// Call once, on a zero-initialized table (static storage, or value-
  /// initialized): the records are not written here, so that start-up does
  /// not touch the pages of a table a program may never use.
  void init();
  /// A new live run of `session`, or 0 when kMaxRuns runs are live.
  uint64_t begin(uint64_t session);
  /// Lock-free: true while run `id` has begun and not ended.
  bool isActive(uint64_t id) const {
    const Record &r = records_[id % kMaxRuns];
    return r.state.load(std::memory_order_acquire) == kActive &&
           r.id.load(std::memory_order_acquire) == id;
  }
  /// Ends run `id`, recording where; false if it was not live.
  bool end(uint64_t id, const StackTrace &where);
  /// Session and end stack of `id` while its record is still kept.
  bool info(uint64_t id, uint64_t &session, StackTrace *ended_at);
  void lock() { pthread_mutex_lock(&mu_); }
  void unlock() { pthread_mutex_unlock(&mu_); }
  void afterForkChild() { pthread_mutex_init(&mu_, nullptr); }

private:
  static constexpr int kFree = 0, kActive = 1, kEnded = 2;
  struct Record {
    std::atomic<uint64_t> id;
    std::atomic<int> state;
    uint64_t session;
    StackTrace ended_at;
  };
  pthread_mutex_t mu_;
  uint64_t next_id_;
  Record records_[kMaxRuns];
};

/// Executors declared through the API, until they are shut down.
class ExecutorTable {
public:
  static constexpr int kMaxExecutors = 4096;

  /// What an executor-leak report needs.
  struct Record {
    uint64_t id; // E<id>; 0: free slot
    const char *kind;
    uint64_t creator_uid;
    StackTrace created;
  };

  /// Call once, on a zero-initialized table (as RunTable::init).
  void init();
  /// A handle, or 0 when the table is full.
  uint64_t create(const char *kind, uint64_t creator_uid, const StackTrace &created);
  /// False if `handle` is unknown or already shut down.
  bool shutdown(uint64_t handle);
  void lock() { pthread_mutex_lock(&mu_); }
  void unlock() { pthread_mutex_unlock(&mu_); }
  /// Records [0, highWater()); live ones have id != 0. Lock held.
  const Record &record(int i) const { return records_[i]; }
  int highWater() const { return high_water_; }
  void afterForkChild() { pthread_mutex_init(&mu_, nullptr); }

private:
  pthread_mutex_t mu_;
  uint64_t next_id_;
  int hint_;
  int high_water_; // records at and above it were never used
  Record records_[kMaxExecutors];
};

} // namespace uisan

#endif
