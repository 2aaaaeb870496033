#include "uisan_context.h"

namespace uisan {

void RunTable::init() {
  pthread_mutex_init(&mu_, nullptr);
  next_id_ = 1;
}

uint64_t RunTable::begin(uint64_t session) {
  lock();
  uint64_t id = 0;
  for (int tries = 0; tries < kMaxRuns; ++tries) {
    uint64_t candidate = next_id_++;
    Record &r = records_[candidate % kMaxRuns];
    if (r.state.load(std::memory_order_relaxed) == kActive)
      continue;
    r.state.store(kFree, std::memory_order_release);
    r.id.store(candidate, std::memory_order_release);
    r.session = session;
    r.ended_at.size = 0;
    r.state.store(kActive, std::memory_order_release);
    id = candidate;
    break;
  }
  unlock();
  return id;
}

bool RunTable::end(uint64_t id, const StackTrace &where) {
  lock();
  Record &r = records_[id % kMaxRuns];
  bool ok = r.id.load() == id && r.state.load() == kActive;
  if (ok) {
    r.ended_at = where;
    r.state.store(kEnded, std::memory_order_release);
  }
  unlock();
  return ok;
}

bool RunTable::info(uint64_t id, uint64_t &session, StackTrace *ended_at) {
  lock();
  Record &r = records_[id % kMaxRuns];
  bool ok = r.id.load() == id && r.state.load() != kFree;
  if (ok) {
    session = r.session;
    if (ended_at)
      *ended_at = r.ended_at;
  }
  unlock();
  return ok;
}

void ExecutorTable::init() {
  pthread_mutex_init(&mu_, nullptr);
  next_id_ = 1;
  hint_ = 0;
  high_water_ = 0;
}

uint64_t ExecutorTable::create(const char *kind, uint64_t creator_uid,
                               const StackTrace &created) {
  lock();
  uint64_t handle = 0;
  for (int n = 0; n < kMaxExecutors; ++n) {
    int i = (hint_ + n) % kMaxExecutors;
    Record &r = records_[i];
    if (r.id)
      continue;
    r.id = next_id_++;
    r.kind = kind ? kind : "executor";
    r.creator_uid = creator_uid;
    r.created = created;
    hint_ = (i + 1) % kMaxExecutors;
    if (i >= high_water_)
      high_water_ = i + 1;
    handle = (r.id << 12) | static_cast<uint64_t>(i);
    break;
  }
  unlock();
  return handle;
}

bool ExecutorTable::shutdown(uint64_t handle) {
  if (!handle)
    return false;
  lock();
  Record &r = records_[handle & (kMaxExecutors - 1)];
  bool ok = r.id && r.id == (handle >> 12);
  if (ok)
    r.id = 0;
  unlock();
  return ok;
}

} // namespace uisan
