// seed::Thread and the executors, with Python/Java semantics: a started
// thread outlives its object, an executor's threads run until shutdown().
#include "host_internal.h"
#include "seed/scriptrunner.h"
#include "seed/threading.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

namespace seed {

namespace {
std::atomic<int> g_next_thread{1};
}

struct Thread::State {
  std::function<void()> target;
  Thread *owner = nullptr;
  st::scriptrunner::ScriptRunContext *ctx = nullptr;
  bool daemon = false;
  std::thread thread;
  std::mutex mu;
  bool started = false;
  bool running = false;
  bool orphaned = false; // the Thread object died while the thread ran
  std::mutex join_mu;
};

Thread::Thread() : state_(new State) { state_->owner = this; }

Thread::Thread(std::function<void()> target) : Thread() {
  state_->target = std::move(target);
}

Thread::~Thread() {
  std::unique_lock<std::mutex> lock(state_->mu);
  if (state_->running) {
    // Like Python: the thread keeps running; it frees the state when done.
    state_->orphaned = true;
    state_->owner = nullptr;
    if (state_->thread.joinable())
      state_->thread.detach();
    return;
  }
  lock.unlock();
  {
    std::lock_guard<std::mutex> join_lock(state_->join_mu);
    if (state_->thread.joinable())
      state_->thread.detach(); // finished, never joined: release it
  }
  delete state_;
}

void Thread::run() {
  if (state_->target)
    state_->target();
}

void Thread::start() {
  State *st = state_;
  {
    std::lock_guard<std::mutex> lock(st->mu);
    if (st->started)
      throw std::runtime_error("threads can only be started once");
    st->started = true;
    st->running = true;
  }
  uisan_set_next_thread(st->ctx ? st->ctx->handle : 0,
                        st->daemon ? UISAN_THREAD_DAEMON : 0u);
  try {
    int number = g_next_thread++;
    st->thread = std::thread([st, number] {
      // Python names its threads Thread-N; without this they would inherit
      // the creator's name (ScriptRunner).
      std::string name = "Thread-" + std::to_string(number);
      pthread_setname_np(pthread_self(), name.c_str());
      seedhost::currentContext() = st->ctx;
      try {
        Thread *owner;
        {
          std::lock_guard<std::mutex> lock(st->mu);
          owner = st->owner;
        }
        if (st->target)
          st->target(); // target threads never touch the (maybe dead) object
        else if (owner)
          owner->run();
      } catch (const std::exception &e) {
        std::fprintf(stderr, "Exception in thread: %s\n", e.what());
      }
      seedhost::currentContext() = nullptr;
      bool orphaned;
      {
        std::lock_guard<std::mutex> lock(st->mu);
        st->running = false;
        orphaned = st->orphaned;
      }
      if (orphaned)
        delete st;
    });
  } catch (...) {
    uisan_set_next_thread(0, 0);
    throw;
  }
}

void Thread::join() {
  std::lock_guard<std::mutex> join_lock(state_->join_mu);
  if (state_->thread.joinable())
    state_->thread.join();
}

bool Thread::is_alive() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->running;
}

void Thread::set_daemon(bool daemon) { state_->daemon = daemon; }

} // namespace seed

namespace st {
namespace scriptrunner {

void add_script_run_ctx(seed::Thread &thread, ScriptRunContext *ctx) {
  thread.state()->ctx = ctx;
}

} // namespace scriptrunner
} // namespace st

namespace seed {

namespace {
thread_local const char *t_next_executor_kind = nullptr;
std::atomic<int> g_next_pool{1};

int scheduledKind(int threads) {
  t_next_executor_kind = "seed::ScheduledExecutorService";
  return threads;
}
} // namespace

struct ExecutorService::State {
  struct Periodic {
    std::function<void()> task;
    std::chrono::steady_clock::time_point next;
    std::chrono::milliseconds period;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> queue;
  std::vector<Periodic> periodic;
  bool shutdown = false;
  std::vector<std::thread> threads;
  uisan_executor_t handle = 0;

  void work() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      if (!queue.empty()) {
        auto task = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        task();
        lock.lock();
        continue;
      }
      if (shutdown)
        return;
      auto now = std::chrono::steady_clock::now();
      Periodic *due = nullptr;
      for (Periodic &p : periodic)
        if (!due || p.next < due->next)
          due = &p;
      if (due && due->next <= now) {
        due->next += due->period;
        auto task = due->task;
        lock.unlock();
        task();
        lock.lock();
        continue;
      }
      if (due)
        cv.wait_until(lock, due->next);
      else
        cv.wait(lock);
    }
  }
};

ExecutorService::ExecutorService(int threads) : state_(new State) {
  const char *kind = t_next_executor_kind ? t_next_executor_kind : "seed::ExecutorService";
  t_next_executor_kind = nullptr;
  state_->handle = uisan_executor_create(kind);
  int pool = g_next_pool++;
  State *st = state_;
  for (int i = 0; i < threads; ++i) {
    st->threads.emplace_back([st, pool, i] {
      std::string name = "pool-" + std::to_string(pool) + "-t-" + std::to_string(i + 1);
      pthread_setname_np(pthread_self(), name.c_str());
      st->work();
    });
  }
}

ExecutorService::~ExecutorService() {
  // Like Java: dropping the last reference does not stop the threads. The
  // state stays alive for them unless the pool was shut down.
  if (is_shutdown())
    delete state_;
}

void ExecutorService::execute(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->shutdown)
      throw std::runtime_error("task rejected: executor is shut down");
    state_->queue.push_back(std::move(task));
  }
  state_->cv.notify_one();
}

void ExecutorService::shutdown() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->shutdown)
      return;
    state_->shutdown = true;
  }
  state_->cv.notify_all();
  for (std::thread &t : state_->threads)
    if (t.joinable())
      t.join();
  uisan_executor_shutdown(state_->handle);
}

bool ExecutorService::is_shutdown() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->shutdown;
}

ScheduledExecutorService::ScheduledExecutorService(int threads)
    : ExecutorService(scheduledKind(threads)) {}

void ScheduledExecutorService::scheduleAtFixedRate(std::function<void()> task,
                                                   long initial_delay, long period,
                                                   TimeUnit unit) {
  long scale = unit == TimeUnit::SECONDS ? 1000 : 1;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->shutdown)
      throw std::runtime_error("task rejected: executor is shut down");
    state_->periodic.push_back(
        {std::move(task),
         std::chrono::steady_clock::now() + std::chrono::milliseconds(initial_delay * scale),
         std::chrono::milliseconds(period * scale)});
  }
  state_->cv.notify_all();
}

std::unique_ptr<ExecutorService> Executors::newFixedThreadPool(int threads) {
  return std::unique_ptr<ExecutorService>(new ExecutorService(threads));
}

std::unique_ptr<ScheduledExecutorService> Executors::newScheduledThreadPool(int threads) {
  return std::unique_ptr<ScheduledExecutorService>(new ScheduledExecutorService(threads));
}

} // namespace seed
