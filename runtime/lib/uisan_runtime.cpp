#include "uisan_runtime.h"
#include "uisan_children.h"
#include "uisan_out.h"
#include "uisan_report.h"
#include "uisan_report_printer.h"
#include "uisan_suppressions.h"
#include "uisan_symbolizer.h"
#include "uisan_thread_owner.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

// Optional hook: an app or framework may define it to provide default
// options (applied before UISAN_OPTIONS).
extern "C" const char *__uisan_default_options() __attribute__((weak));

namespace uisan {

__thread int t_in_runtime __attribute__((tls_model("initial-exec")));
__thread int t_allocation_allowed __attribute__((tls_model("initial-exec")));
__thread ThreadState *t_self __attribute__((tls_model("initial-exec")));
RunTable g_runs;

namespace {

Flags g_flags;
ThreadRegistry g_registry;
ExecutorTable g_executors;
Suppressions g_suppressions;
ThreadSpec g_thread_spec;
std::atomic<bool> g_ready;
std::atomic<bool> g_init_started;
pthread_key_t g_key;
int g_log_fd = 2;
int g_err_fd = 2; // the runtime's own stderr, for the line at exit
int g_json_fd = -1;
std::atomic<int> g_reported;
char g_process_name[16];
char g_program[256];         // the executable's path, named by reports
AuditShared *g_audit;        // the audit module's state, if uisan-run loaded it
uint64_t g_main_thread;      // pthread_self() of the main thread, 0 if not seen
bool g_first_ui_call;        // ui_thread=first-ui-call

// Everything below is guarded by g_report_mu (taken before any other
// runtime lock, never the other way round).
pthread_mutex_t g_report_mu = PTHREAD_MUTEX_INITIALIZER;
Report g_report;
char g_text[1 << 17];

/// What a report needs of a thread, copied under the registry lock.
struct Snapshot {
  uint64_t uid, parent_uid, ctx, origin_run;
  bool has_parent, is_main, external, running;
  char name[16];
  StackTrace created;
};

/// How many reports one code location has made (max_reports_per_site).
struct Site {
  uint64_t key;
  int count;
};
constexpr int kMaxSites = 4096;
Site g_sites[kMaxSites];

/// Thread and executor leaks, grouped by creation stack until exit.
struct LeakGroup {
  bool used;
  ReportKind kind;
  LeakWhen when;
  uint64_t key;
  int count;
  Snapshot first;
  uint64_t run_id;
  int linger_ms;
  uint64_t executor_id;
  const char *what;
};
constexpr int kMaxLeakGroups = 256;
LeakGroup g_groups[kMaxLeakGroups];

constexpr int kMaxSnapshots = 256;
Snapshot g_snaps[kMaxSnapshots];
int g_snap_kind[kMaxSnapshots]; // 0 context-leak, 1 thread-leak
bool g_snap_done[kMaxSnapshots];
int g_snap_slot[kMaxSnapshots];    // registry slot of a snapshot (endRun)
uint8_t g_snap_owner[kMaxSnapshots]; // its ThreadOwner + 1 (endRun)

void die(const char *a, const char *b = "", const char *c = "") {
  char buf[1400];
  Out out(buf, sizeof(buf));
  out.str("uisan: ERROR: ").str(a).str(b).str(c).str("\n");
  out.flushTo(2);
  _exit(kBadOptionsExitCode);
}

/// The runtime's own copy of stdout or stderr: reports still reach it after
/// the app closes (or reuses) the descriptor.
int privateCopy(int std_fd) {
  int fd = fcntl(std_fd, F_DUPFD_CLOEXEC, 100);
  return fd >= 0 ? fd : std_fd;
}

/// Opens a report destination. A file that cannot be opened is no reason
/// to stop the app: the reports go to stderr (json_path: not written), and
/// the message says so.
int openOutput(const char *path, const char *option, int fallback) {
  if (!std::strcmp(path, "stderr"))
    return privateCopy(2);
  if (!std::strcmp(path, "stdout"))
    return privateCopy(1);
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    char buf[1400];
    Out out(buf, sizeof(buf));
    out.str("uisan: WARNING: cannot open ").str(option).str(path).str(": ");
    const char *why = strerrordesc_np(errno); // no locale, no allocation
    out.str(why ? why : "unknown error").str(fallback >= 0 ? "; reports go to stderr instead\n"
                                                    : "; no JSON reports will be written\n");
    int err = privateCopy(2);
    out.flushTo(err);
    if (fallback < 0 && err != 2)
      close(err);
    return fallback >= 0 ? err : -1;
  }
  return fd;
}

void snapshotLocked(ThreadState &t, Snapshot &s) {
  s.uid = t.uid;
  s.parent_uid = t.parent_uid;
  s.has_parent = t.has_parent;
  s.is_main = t.is_main;
  s.external = t.external;
  s.running = t.status == ThreadStatus::Running || t.status == ThreadStatus::Starting;
  s.ctx = t.ctx.load(std::memory_order_relaxed);
  s.origin_run = t.origin_run;
  s.created = t.created;
  std::memcpy(s.name, t.name, sizeof(s.name));
  if (!s.name[0] && t.status == ThreadStatus::Running && t.creator_done && !t.joining) {
    // Not named through pthread_setname_np: ask the kernel. Safe while the
    // lock is held and the thread has not passed finished().
    char buf[16] = {0};
    if (pthread_getname_np(t.pthread, buf, sizeof(buf)) == 0 &&
        std::strcmp(buf, g_process_name))
      std::memcpy(s.name, buf, sizeof(s.name));
  }
  s.name[sizeof(s.name) - 1] = '\0';
}

/// Who owns the thread of `s` (its verdict cached in the slot as
/// `owner`, by the creation stack alone; the name is checked each time,
/// since it may change).
ThreadOwner ownerOf(const Snapshot &s, uint8_t cached) {
  ThreadOwner owner = cached ? static_cast<ThreadOwner>(cached - 1)
                             : threadOwner(s.created, s.name, g_thread_spec, processFrameOracle());
  if (ownedByApp(owner) && g_thread_spec.matches(ThreadSpec::Kind::LibraryName, s.name))
    return ThreadOwner::LibraryByName;
  return owner;
}

/// Logs why a thread that looks leaked is not reported.
void logLibraryThread(const Snapshot &s, ThreadOwner owner) {
  if (g_flags.verbosity < 1)
    return;
  char buf[256];
  Out out(buf, sizeof(buf));
  out.str("==").dec(getpid()).str("== uisan: not a leak: thread T").udec(s.uid);
  if (s.name[0])
    out.str(" '").str(s.name).str("'");
  out.str(" is ").str(threadOwnerName(owner)).str("\n");
  out.flushTo(g_log_fd);
}

void describe(const Snapshot &s, ThreadDesc &d) {
  d.uid = s.uid;
  d.parent_uid = s.parent_uid;
  d.has_parent = s.has_parent;
  d.is_main = s.is_main;
  d.external = s.external;
  d.running = s.running;
  std::memcpy(d.name, s.name, sizeof(s.name));
  symbolizeStack(s.created, d.created);
}

uint64_t firstUserPc(const StackTrace &st) {
  for (int i = 0; i < st.size; ++i)
    if (classifyAddress(st.pc[i]) == CodeOrigin::User)
      return st.pc[i];
  return st.size ? st.pc[0] : 0;
}

uint64_t siteKey(ReportKind kind, const StackTrace &st) {
  return (firstUserPc(st) * 31 + static_cast<uint64_t>(kind) + 1) | 1;
}

/// Counts a report at `key`; false when the site already used its quota.
bool siteAllows(uint64_t key) {
  int max = g_flags.max_reports_per_site;
  if (max == 0)
    return true;
  for (int n = 0; n < kMaxSites; ++n) {
    Site &s = g_sites[(key + n) % kMaxSites];
    if (s.key == key) {
      if (s.count >= max)
        return false;
      ++s.count;
      return true;
    }
    if (s.key == 0) {
      s.key = key;
      s.count = 1;
      return true;
    }
  }
  return true; // table full: report rather than lose it
}

/// Prints `r` unless suppressed. Report lock held.
void emit(Report &r) {
  std::memcpy(r.program, g_program, sizeof(r.program));
  r.name_program = g_flags.follow_children;
  if (g_suppressions.matches(r)) {
    logLine(1, "suppressed a ", reportKindName(r.kind), " report");
    return;
  }
  PrintOptions po;
  po.strip_path_prefix = g_flags.strip_path_prefix.c_str();
  Out out(g_text, sizeof(g_text));
  printReportText(r, po, out);
  out.flushTo(g_log_fd);
  if (g_json_fd >= 0) {
    printReportJson(r, po, out);
    out.flushTo(g_json_fd);
  }
  g_reported.fetch_add(1);
  if (g_flags.halt_on_error) {
    fflush(nullptr);
    _exit(g_flags.exitcode);
  }
}

void runInfo(Report &r, uint64_t run) {
  r.run_id = run;
  StackTrace ended;
  ended.size = 0;
  r.run_known = g_runs.info(run, r.session_id, &ended);
  if (r.run_known)
    symbolizeStack(ended, r.run_end);
}

void addLeak(ReportKind kind, LeakWhen when, const Snapshot &s, uint64_t key,
             uint64_t run, int linger, uint64_t executor_id, const char *what) {
  for (LeakGroup &g : g_groups) {
    if (g.used && g.kind == kind && g.when == when && g.key == key) {
      ++g.count;
      return;
    }
  }
  for (LeakGroup &g : g_groups) {
    if (!g.used) {
      g.used = true;
      g.kind = kind;
      g.when = when;
      g.key = key;
      g.count = 1;
      g.first = s;
      g.run_id = run;
      g.linger_ms = linger;
      g.executor_id = executor_id;
      g.what = what;
      return;
    }
  }
  logLine(1, "leak group table full; a ", reportKindName(kind), " was not reported");
}

void flushLeakGroups() {
  for (LeakGroup &g : g_groups) {
    if (!g.used)
      continue;
    Report &r = g_report;
    r.clear();
    r.kind = g.kind;
    r.pid = getpid();
    r.count = g.count;
    r.leak_when = g.when;
    r.linger_ms = g.linger_ms;
    r.executor_id = g.executor_id;
    if (g.what)
      std::strncpy(r.what, g.what, sizeof(r.what) - 1);
    describe(g.first, r.thread);
    r.stack = r.thread.created;
    if (g.run_id)
      runInfo(r, g.run_id);
    emit(r);
    g.used = false;
  }
}

void flushUiGroupsOf(uint64_t uid, bool all);
std::atomic<int> g_open_ui_groups; // UiGroups in use, read without the lock

void onThreadExit(void *p) {
  auto *t = static_cast<ThreadState *>(p);
  if (g_open_ui_groups.load(std::memory_order_relaxed)) {
    // Its UI calls' report is complete.
    RuntimeScope scope;
    pthread_mutex_lock(&g_report_mu);
    flushUiGroupsOf(t->uid, false);
    pthread_mutex_unlock(&g_report_mu);
  }
  t_self = nullptr;
  logThread(2, "thread ", t->uid, " exits");
  g_registry.finished(t); // t may be reused from here on
}

// A fork from inside the runtime (a sanitizer turning the symbolizer's vfork
// into fork, while a report holds the locks) must not take them again.
void forkPrepare() {
  if (t_in_runtime)
    return;
  pthread_mutex_lock(&g_report_mu);
  g_registry.lock();
  g_runs.lock();
  g_executors.lock();
}

void forkParent() {
  if (t_in_runtime)
    return;
  g_executors.unlock();
  g_runs.unlock();
  g_registry.unlock();
  pthread_mutex_unlock(&g_report_mu);
}

void forkChild() {
  if (t_in_runtime) {
    symbolizerAfterForkChild();
    return;
  }
  pthread_mutex_init(&g_report_mu, nullptr);
  g_registry.afterForkChild(t_self);
  g_runs.afterForkChild();
  g_executors.afterForkChild();
  symbolizerAfterForkChild();
}

void atExit() {
  int n = finalCheck();
  if (n > 0 && g_flags.exitcode != 0) {
    fflush(nullptr);
    _exit(g_flags.exitcode);
  }
}

struct timespec deadlineAfter(int ms) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += static_cast<long>(ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_nsec -= 1000000000L;
    ++ts.tv_sec;
  }
  return ts;
}

bool past(const struct timespec &deadline) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > deadline.tv_sec ||
         (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

} // namespace

bool validUiThreadOption(const char *value) {
  return !std::strcmp(value, "pack") || !std::strcmp(value, "main") ||
         !std::strcmp(value, "first-ui-call");
}

bool runtimeReady() { return g_ready.load(std::memory_order_acquire); }
const Flags &flags() { return g_flags; }
ThreadRegistry &registry() { return g_registry; }
ExecutorTable &executors() { return g_executors; }

void logLine(int level, const char *a, const char *b, const char *c, const char *d) {
  if (g_flags.verbosity < level)
    return;
  char buf[1200];
  Out out(buf, sizeof(buf));
  out.str("==").dec(getpid()).str("== uisan: ").str(a).str(b).str(c).str(d).str("\n");
  out.flushTo(g_log_fd);
}

void logThread(int level, const char *a, uint64_t n, const char *b) {
  if (g_flags.verbosity < level)
    return;
  char buf[256];
  Out out(buf, sizeof(buf));
  out.str("==").dec(getpid()).str("== uisan: ").str(a).str("T").udec(n).str(b).str("\n");
  out.flushTo(g_log_fd);
}

void runtimeInit() {
  if (g_init_started.exchange(true))
    return;
  RuntimeScope scope;
  initCodeOrigins();
  g_flags.setDefaults();
  FlagError error;
  if (__uisan_default_options &&
      !parseFlags(__uisan_default_options(), g_flags, error))
    die(error.message, " (in __uisan_default_options)");
  if (!parseFlags(getenv("UISAN_OPTIONS"), g_flags, error))
    die(error.message, " (in UISAN_OPTIONS)");
  if (!validUiThreadOption(g_flags.ui_thread.c_str()))
    die("bad value '", g_flags.ui_thread.c_str(),
        "' for ui_thread (in UISAN_OPTIONS); use pack, main or first-ui-call");
  if (g_flags.help)
    printFlagsHelp(g_flags, 2);
  // Under TSan, libunwind's per-thread cache is freed after TSan has shut
  // the thread down (a crash at thread exit): keep to libgcc's unwinder.
  if (g_flags.use_libunwind && !dlsym(RTLD_DEFAULT, "__tsan_init"))
    initUnwinder();
  prepareUnwinderForThread();
  prepareChildren(g_flags.follow_children, g_flags.log_path.value, g_flags.json_path.value,
                  g_flags.suppressions.value, sizeof(g_flags.log_path.value));
  {
    ssize_t n = readlink("/proc/self/exe", g_program, sizeof(g_program) - 1);
    g_program[n > 0 ? n : 0] = '\0';
  }
  g_log_fd = openOutput(g_flags.log_path.c_str(), "log_path ", 2);
  g_err_fd = privateCopy(2);
  if (!g_flags.json_path.empty())
    g_json_fd = openOutput(g_flags.json_path.c_str(), "json_path ", -1);
  if (!g_flags.suppressions.empty()) {
    char err[600];
    if (!g_suppressions.load(g_flags.suppressions.c_str(), err, sizeof(err)))
      die(err, " (option suppressions)");
  }
  {
    char err[200];
    if (!g_thread_spec.parse(getenv("UISAN_THREAD_SPEC"), err, sizeof(err)))
      die("UISAN_THREAD_SPEC: ", err, " (set by uisan-run from the rule packs)");
  }
  symbolizerInit(g_flags.symbolize, g_flags.external_symbolizer_path.c_str());
  std::strncpy(g_process_name, program_invocation_short_name, 15);
  setAppModules(program_invocation_short_name, g_flags.app_modules.c_str());
  g_registry.init();
  g_runs.init();
  g_executors.init();
  pthread_key_create(&g_key, onThreadExit);
  bool is_main = getpid() == gettid();
  if (is_main)
    g_main_thread = reinterpret_cast<uint64_t>(pthread_self());
  ThreadState *self = g_registry.allocateRunning(pthread_self(), is_main);
  if (self) {
    t_self = self;
    pthread_setspecific(g_key, self);
  }
  pthread_atfork(forkPrepare, forkParent, forkChild);
  atexit(atExit);
  g_ready.store(true, std::memory_order_release);
  logLine(1, "runtime ready; unwinder: ", unwinderName());
  logLine(1, "options: ", getenv("UISAN_OPTIONS") ? getenv("UISAN_OPTIONS") : "(none)");
  if (const char *packs = getenv("UISAN_RULE_PACKS"))
    logLine(1, "extra rule packs: ", packs);
}

ThreadState *currentThread() {
  if (ThreadState *t = t_self)
    return t;
  if (!runtimeReady())
    return nullptr;
  RuntimeScope scope;
  ThreadState *t = g_registry.allocateRunning(pthread_self(), false);
  if (t) {
    t_self = t;
    // A thread not started through us: its one-time set-up happens here.
    ++t_allocation_allowed;
    pthread_setspecific(g_key, t);
    --t_allocation_allowed;
  }
  return t;
}

ThreadState *prepareThread(bool detached) {
  ThreadState *parent = currentThread();
  uint64_t ctx = 0, origin = 0;
  unsigned flags = 0;
  if (parent) {
    ctx = parent->next_ctx;
    flags = parent->next_flags;
    parent->next_ctx = 0;
    parent->next_flags = 0;
    uint64_t pctx = parent->ctx.load(std::memory_order_relaxed);
    origin = pctx ? pctx : parent->origin_run;
  }
  StackTrace created;
  captureStack(created, g_flags.creation_stack_depth);
  needVtablesForThread(created);
  g_registry.lock();
  ThreadState *t = g_registry.allocateLocked();
  if (!t) {
    g_registry.unlock();
    logLine(1, "thread table full; a new thread runs untracked");
    return nullptr;
  }
  t->detached = detached;
  t->has_parent = parent != nullptr;
  t->parent_uid = parent ? parent->uid : 0;
  t->origin_run = origin;
  t->created = created;
  t->ctx.store(ctx, std::memory_order_relaxed);
  t->daemon.store(flags & 1u, std::memory_order_relaxed);
  g_registry.unlock();
  return t;
}

void threadStarted(ThreadState *t) {
  t_self = t;
  logThread(2, "thread ", t->uid, " started");
  g_registry.started(t, pthread_self());
  pthread_setspecific(g_key, t);
}

namespace {

/// The demangled signature of a toolkit API, from the symbolizer (no
/// demangling in the app's heap), into `out`; its qualified name if the
/// symbolizer cannot say. Report lock held.
void apiSignature(const AuditStub *stub, char *out, size_t cap) {
  static Stack api;
  StackTrace entry;
  entry.pc[0] = reinterpret_cast<uintptr_t>(stub->real) + 1; // looked up at pc - 1
  entry.size = 1;
  symbolizeStack(entry, api);
  Out o(out, cap);
  o.str(api.size && api.frames[0].function[0] ? api.frames[0].function : stub->api);
}

/// The index of the first frame of `st` in the app's own modules, or 0.
int firstUserIndex(const StackTrace &st) {
  for (int i = 0; i < st.size; ++i)
    if (classifyAddress(st.pc[i]) == CodeOrigin::User)
      return i;
  return 0;
}

uint64_t hashText(uint64_t h, const char *s) {
  for (; *s; ++s) {
    h ^= static_cast<unsigned char>(*s);
    h *= 1099511628211ull;
  }
  return h;
}

/// The function the call at `st.pc[from]` is in, and the frames after it:
/// the stack it was called on. The function is the symbolizer's (a lambda
/// has no dynamic symbol), so that two functions a library calls from one
/// place (a pool thread running one task, then another) are two groups.
/// Report lock held. (With symbolize=0 the function is unknown: the stack
/// alone decides.)
uint64_t groupKey(const StackTrace &st, int from) {
  static Stack site;
  StackTrace one;
  one.pc[0] = st.size ? st.pc[from] : 0;
  one.size = st.size ? 1 : 0;
  symbolizeStack(one, site);
  // The app's innermost function there, and those it is inlined into (a
  // lambda inlined into std::function's invoker is named 'operator()'; the
  // invoker's name says which lambda).
  uint64_t h = 1469598103934665603ull;
  int k = 0;
  while (k + 1 < site.size && !site.frames[k].origin_user)
    ++k;
  for (; k < site.size; ++k)
    h = hashText(h, site.frames[k].function);
  for (int i = from + 1; i < st.size; ++i) {
    h ^= st.pc[i];
    h *= 1099511628211ull;
  }
  return h;
}

/// UI calls one function makes on one stack of one thread are one bug and
/// one report: the first call's, listing the others. A group is printed
/// when the thread reports elsewhere, when it exits, at run end, at exit,
/// and on a fatal signal (so a crash right after still shows it).
struct UiGroup {
  struct Call {
    uintptr_t pc; // the call site in the app's code
    const char *what;
    const AuditStub *stub;
    bool destructor_of_reported; // folded: the object's construction is the report
  };
  static constexpr int kMaxCalls = 8;
  bool used;
  ReportKind kind;
  uint64_t outer;
  uint64_t serial;
  Snapshot thread;
  StackTrace stack;
  int user_index;
  const char *what;
  const AuditStub *stub;
  uint64_t ui_thread;
  uint64_t ctx;
  int more; // further calls, listed or not
  Call calls[kMaxCalls];
};
constexpr int kMaxUiGroups = 64;
UiGroup g_ui_groups[kMaxUiGroups];
uint64_t g_ui_group_serial;

/// Objects whose construction on a wrong thread was reported (their `this`
/// and the report's group, or -1 once printed): their destructor is not a
/// bug of its own.
struct Reported {
  uintptr_t object;
  int group;
  uint64_t serial;
};
constexpr int kMaxReportedObjects = 256;
Reported g_reported_objects[kMaxReportedObjects];
int g_reported_next;

/// "Class::Class" / "Class::~Class" of a qualified API name.
bool isConstructor(const char *api) {
  const char *sep = std::strrchr(api, ':');
  if (!sep || sep - api < 2 || sep[-1] != ':')
    return false;
  const char *name = sep + 1;
  const char *owner_end = sep - 1;
  const char *owner = owner_end;
  while (owner > api && !(owner[-1] == ':' && owner - 1 > api && owner[-2] == ':'))
    --owner;
  size_t n = static_cast<size_t>(owner_end - owner);
  return std::strlen(name) == n && !std::strncmp(name, owner, n);
}
bool isDestructor(const char *api) {
  const char *sep = std::strrchr(api, ':');
  return sep && sep[1] == '~';
}

void rememberReportedObject(uintptr_t object, int group) {
  if (!object)
    return;
  Reported &r = g_reported_objects[g_reported_next];
  g_reported_next = (g_reported_next + 1) % kMaxReportedObjects;
  r.object = object;
  r.group = group;
  r.serial = group >= 0 ? g_ui_groups[group].serial : 0;
}

/// The entry of a reported construction of `object`, or nullptr.
Reported *reportedObject(uintptr_t object) {
  if (!object)
    return nullptr;
  for (Reported &r : g_reported_objects)
    if (r.object == object)
      return &r;
  return nullptr;
}

void fillToolkit(Report &r, const AuditStub *stub) {
  const AuditToolkit &tk = g_audit->toolkits[stub->toolkit];
  std::strncpy(r.toolkit, tk.name, sizeof(r.toolkit) - 1);
  std::strncpy(r.ui_thread_name, tk.ui_thread_name, sizeof(r.ui_thread_name) - 1);
  std::strncpy(r.remedy, tk.remedy, sizeof(r.remedy) - 1);
}

/// Prints group `g` and frees it. Report lock held.
void flushUiGroup(UiGroup &g) {
  if (!g.used)
    return;
  g.used = false;
  g_open_ui_groups.fetch_sub(1, std::memory_order_relaxed);
  for (Reported &o : g_reported_objects)
    if (o.group == &g - g_ui_groups && o.serial == g.serial)
      o.group = -1;
  Report &r = g_report;
  r.clear();
  r.kind = g.kind;
  r.pid = getpid();
  r.count = 1;
  std::strncpy(r.what, g.what ? g.what : "?", sizeof(r.what) - 1);
  if (g.stub) {
    g_registry.lock();
    if (ThreadState *ui = g_registry.findRunningLocked(reinterpret_cast<pthread_t>(g.ui_thread))) {
      r.ui_thread_known = true;
      r.ui_thread_uid = ui->uid;
    }
    g_registry.unlock();
    apiSignature(g.stub, r.what, sizeof(r.what));
    fillToolkit(r, g.stub);
  }
  describe(g.thread, r.thread);
  symbolizeStack(g.stack, r.stack);
  r.more_calls = g.more;
  for (int i = 0; i < g.more && i < UiGroup::kMaxCalls && i < kMaxMoreCalls; ++i) {
    const UiGroup::Call &c = g.calls[i];
    MoreCall &m = r.more[r.more_listed++];
    m.destructor_of_reported = c.destructor_of_reported;
    Out what(m.what, sizeof(m.what));
    if (c.stub)
      apiSignature(c.stub, m.what, sizeof(m.what));
    else
      what.str(c.what);
    // The call site's own frame: the innermost of its inlined frames that
    // is the app's code.
    static Stack site;
    StackTrace one;
    one.pc[0] = c.pc;
    one.size = 1;
    symbolizeStack(one, site);
    const Frame *f = site.size ? &site.frames[0] : nullptr;
    for (int k = 0; k < site.size; ++k)
      if (site.frames[k].origin_user) {
        f = &site.frames[k];
        break;
      }
    if (f) {
      std::memcpy(m.function, f->function, sizeof(m.function) - 1);
      m.function[sizeof(m.function) - 1] = '\0';
      std::memcpy(m.file, f->file, sizeof(m.file));
      m.line = f->line;
    }
  }
  if (g.ctx)
    runInfo(r, g.ctx);
  emit(r);
}

/// Prints the open groups of thread `uid` (all of them for 0).
void flushUiGroupsOf(uint64_t uid, bool all) {
  for (UiGroup &g : g_ui_groups)
    if (g.used && (all || g.thread.uid == uid))
      flushUiGroup(g);
}

/// The open group of this call's function on this stack, or a new one
/// (printing what the thread had open before; `created` says which).
/// Report lock held.
UiGroup *uiGroupFor(ReportKind kind, const Snapshot &thread, const StackTrace &st,
                    bool &created) {
  int user = firstUserIndex(st);
  uint64_t outer = groupKey(st, user);
  created = false;
  for (UiGroup &g : g_ui_groups)
    if (g.used && g.kind == kind && g.thread.uid == thread.uid && g.outer == outer)
      return &g;
  created = true;
  flushUiGroupsOf(thread.uid, false);
  UiGroup *slot = nullptr;
  for (UiGroup &g : g_ui_groups)
    if (!g.used && !slot)
      slot = &g;
  if (!slot) { // full: the oldest goes out
    slot = &g_ui_groups[0];
    for (UiGroup &g : g_ui_groups)
      if (g.serial < slot->serial)
        slot = &g;
    flushUiGroup(*slot);
  }
  slot->used = true;
  g_open_ui_groups.fetch_add(1, std::memory_order_relaxed);
  slot->kind = kind;
  slot->outer = outer;
  slot->serial = ++g_ui_group_serial;
  slot->thread = thread;
  slot->stack = st;
  slot->user_index = user;
  slot->more = 0;
  return slot;
}

void installFatalSignalFlush();

/// Reports a UI call made at `st` by thread `t`: a seed-model call (no
/// toolkit) or a call into a toolkit off its UI thread. `object` is the
/// call's first argument, `this` for a constructor or destructor.
void reportUiCall(ReportKind kind, ThreadState *t, const char *what, uint64_t ctx,
                  const StackTrace &st, const AuditStub *stub, uint64_t ui_thread,
                  uintptr_t object) {
  uint64_t key = siteKey(kind, st);
  pthread_mutex_lock(&g_report_mu);
  bool ctor = stub && isConstructor(stub->api), dtor = stub && isDestructor(stub->api);
  Reported *constructed = dtor ? reportedObject(object) : nullptr;
  if (constructed) {
    // The destructor of an object whose construction is the report: part
    // of that bug, listed with it while it is open.
    siteAllows(key);
    UiGroup *g = constructed->group >= 0 && g_ui_groups[constructed->group].used &&
                         g_ui_groups[constructed->group].serial == constructed->serial
                     ? &g_ui_groups[constructed->group]
                     : nullptr;
    if (g && g->more < UiGroup::kMaxCalls)
      g->calls[g->more] = {st.size ? st.pc[firstUserIndex(st)] : 0, what, stub, true};
    if (g)
      ++g->more;
    logLine(1, "folded the destructor ", what, " into the report of its construction");
    constructed->object = 0;
    pthread_mutex_unlock(&g_report_mu);
    return;
  }
  if (!siteAllows(key)) {
    if (ctor) // reported already at this site: its destructor is not news either
      rememberReportedObject(object, -1);
    pthread_mutex_unlock(&g_report_mu);
    return;
  }
  if (stub) {
    // Suppressed by the API's name (qualified, or with its signature):
    // neither a report nor part of another's.
    char signature[256];
    apiSignature(stub, signature, sizeof(signature));
    if (g_suppressions.matchesName(kind, stub->api) ||
        g_suppressions.matchesName(kind, signature)) {
      logLine(1, "suppressed a ", reportKindName(kind), " report");
      pthread_mutex_unlock(&g_report_mu);
      return;
    }
  }
  Snapshot s;
  g_registry.lock();
  snapshotLocked(*t, s);
  g_registry.unlock();
  if (g_flags.halt_on_error) // what was open first; this report ends the process
    flushUiGroupsOf(0, true);
  bool created = false;
  UiGroup *g = uiGroupFor(kind, s, st, created);
  if (created) {
    // A new group: this call is its report.
    g->what = what;
    g->stub = stub;
    g->ui_thread = ui_thread;
    g->ctx = ctx;
    installFatalSignalFlush();
  } else {
    if (g->more < UiGroup::kMaxCalls)
      g->calls[g->more] = {st.pc[firstUserIndex(st)], what, stub, false};
    ++g->more;
  }
  if (g_flags.halt_on_error)
    flushUiGroup(*g); // exits with exitcode
  if (ctor)
    rememberReportedObject(object, static_cast<int>(g - g_ui_groups));
  pthread_mutex_unlock(&g_report_mu);
}

// Fatal signals print the open groups first: a UI call off its thread is
// often what makes the app crash a moment later, and a program stopped
// with ^C or kill must not lose what it already did. (Faults first: after
// them, returning re-runs the instruction under the app's disposition.)
const int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE,
                             SIGABRT, SIGTERM, SIGINT, SIGHUP, SIGQUIT};
constexpr int kFaultSignals = 4;
struct sigaction g_old_actions[sizeof(kFatalSignals) / sizeof(kFatalSignals[0])];
bool g_fatal_installed;

void onFatalSignal(int sig) {
  int n = static_cast<int>(sizeof(kFatalSignals) / sizeof(kFatalSignals[0]));
  bool fault = false;
  for (int i = 0; i < n; ++i)
    if (kFatalSignals[i] == sig) {
      sigaction(sig, &g_old_actions[i], nullptr);
      fault = i < kFaultSignals;
    }
  // Not if the runtime itself faulted, nor while another thread reports.
  if (!t_in_runtime && pthread_mutex_trylock(&g_report_mu) == 0) {
    RuntimeScope scope;
    flushUiGroupsOf(0, true);
    pthread_mutex_unlock(&g_report_mu);
  }
  // A fault happens again when the instruction re-runs; the others are
  // sent again, both under the app's own (default) disposition.
  if (!fault)
    raise(sig);
}

void installFatalSignalFlush() {
  if (g_fatal_installed)
    return;
  g_fatal_installed = true;
  int n = static_cast<int>(sizeof(kFatalSignals) / sizeof(kFatalSignals[0]));
  for (int i = 0; i < n; ++i) {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sa_handler = onFatalSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER;
    // Only where the app has not installed a handler of its own.
    struct sigaction old;
    if (sigaction(kFatalSignals[i], nullptr, &old) != 0 || old.sa_handler != SIG_DFL ||
        (old.sa_flags & SA_SIGINFO))
      continue;
    g_old_actions[i] = old;
    sigaction(kFatalSignals[i], &sa, nullptr);
  }
}

} // namespace

void checkUiCall(const char *what) {
  if (!runtimeReady() || t_in_runtime)
    return;
  RuntimeScope scope;
  ThreadState *t = currentThread();
  if (!t)
    return;
  uint64_t ctx = t->ctx.load(std::memory_order_relaxed);
  if (ctx && g_runs.isActive(ctx))
    return;
  ReportKind kind = ctx ? ReportKind::StaleContext : ReportKind::UiCallOffThread;
  StackTrace st;
  captureStack(st);
  reportUiCall(kind, t, what, ctx, st, nullptr, 0, 0);
}

void toolkitsAttached(AuditShared *shared, bool on_main_thread) {
  if (!shared)
    return;
  if (shared->abi_version != kAuditAbiVersion) {
    logLine(0, "libuisan_audit.so does not match libuisan.so; toolkit calls are not checked");
    return;
  }
  g_audit = shared;
  uint64_t self = reinterpret_cast<uint64_t>(pthread_self());
  if (!std::strcmp(g_flags.ui_thread.c_str(), "main") && on_main_thread)
    for (uint32_t k = 0; k < shared->toolkit_count; ++k)
      __atomic_store_n(&shared->ui_thread[k], self, __ATOMIC_RELEASE);
  g_first_ui_call = !std::strcmp(g_flags.ui_thread.c_str(), "first-ui-call");
  if (g_first_ui_call)
    for (uint32_t k = 0; k < shared->toolkit_count; ++k)
      __atomic_store_n(&shared->ui_thread[k], 0, __ATOMIC_RELEASE);
  if (g_flags.verbosity >= 1) {
    char buf[200];
    Out out(buf, sizeof(buf));
    out.udec(shared->toolkit_count).str(" toolkit(s); ").udec(shared->toolkit_objects);
    out.str(shared->toolkit_objects == 1 ? " toolkit library" : " toolkit libraries");
    out.str(" loaded, ").udec(shared->objects_checked).str(" object(s) checked, ");
    out.udec(shared->stub_count).str(" API(s) intercepted so far, ").udec(shared->vtable_slots);
    out.str(" vtable slot(s)");
    logLine(1, "toolkit checks: ", buf);
  }
}

namespace {

/// A UI call of toolkit `tk` while its UI thread is unknown: none of the
/// calls that set it has run yet (UI calls before it, or a start-up path
/// the pack does not name). The main thread stands in until a setter runs;
/// if none ever does, the exit says so (noteUiThreadFallbacks), and without
/// a main thread to stand in, it is said at once.
uint64_t uiThreadFallback(AuditToolkit &tk, uint64_t *slot, const char *api) {
  const char *none = nullptr;
  bool first = __atomic_compare_exchange_n(&tk.early_call, &none, api, false, __ATOMIC_ACQ_REL,
                                           __ATOMIC_ACQUIRE);
  if (!g_main_thread) {
    if (first) {
      RuntimeScope scope;
      logLine(0, tk.name, ": UI calls are not checked until its UI thread is known; first: ",
              api);
    }
    return 0;
  }
  uint64_t expected = 0;
  if (__atomic_compare_exchange_n(slot, &expected, g_main_thread, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE))
    __atomic_store_n(&tk.ui_fallback, 1, __ATOMIC_RELEASE);
  return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

/// verbosity=1, at exit: what the toolkit checks covered, with the APIs
/// bound lazily after start-up.
void logCoverage() {
  if (!g_audit || g_flags.verbosity < 1)
    return;
  uint32_t stubs = __atomic_load_n(&g_audit->stub_count, __ATOMIC_ACQUIRE);
  for (uint32_t k = 0; k < g_audit->toolkit_count; ++k) {
    const AuditToolkit &tk = g_audit->toolkits[k];
    if (!tk.objects)
      continue;
    uint32_t apis = 0;
    uint64_t calls = 0;
    for (uint32_t i = 0; i < stubs && i < kAuditMaxStubs; ++i)
      if (g_audit->stubs[i].toolkit == k && (g_audit->stubs[i].flags & kStubIsUi)) {
        ++apis;
        calls += __atomic_load_n(&g_audit->stubs[i].calls, __ATOMIC_RELAXED);
      }
    char buf[400];
    Out out(buf, sizeof(buf));
    out.str("coverage: ").str(tk.name).str(": ").udec(tk.objects);
    out.str(tk.objects == 1 ? " library, " : " libraries, ").udec(apis);
    out.str(" UI APIs stubbed, ").udec(calls).str(" calls checked, ");
    out.udec(__atomic_load_n(&tk.off_thread_calls, __ATOMIC_RELAXED));
    out.str(" off the ").str(tk.ui_thread_name);
    if (uint64_t locked = __atomic_load_n(&tk.locked_calls, __ATOMIC_RELAXED))
      out.str(" (").udec(locked).str(" in lock regions)");
    logLine(1, buf);
  }
}

/// At exit: toolkits whose UI thread no setter ever confirmed.
void noteUiThreadFallbacks() {
  if (!g_audit)
    return;
  for (uint32_t k = 0; k < g_audit->toolkit_count; ++k) {
    AuditToolkit &tk = g_audit->toolkits[k];
    if (!__atomic_load_n(&tk.ui_fallback, __ATOMIC_ACQUIRE))
      continue;
    char buf[700];
    Out out(buf, sizeof(buf));
    out.str(tk.name).str(": its ").str(tk.ui_thread_name).str(" was never determined");
    if (tk.setters[0])
      out.str(" (none of ").str(tk.setters).str(" ran)");
    out.str("; its UI calls (the first: '").str(tk.early_call ? tk.early_call : "?");
    out.str("') were checked against the main thread");
    logLine(0, buf);
  }
}

} // namespace

namespace {

/// How deep each thread is in each toolkit's lock regions (Fl::lock ...
/// Fl::unlock, gdk_threads_enter ... gdk_threads_leave, a guard object's
/// life): UI calls of that toolkit made while it is above 0 are allowed.
/// Counted before the call itself runs (the stub's slow path comes first):
/// a thread blocked in Fl::lock() makes no calls until it holds the lock,
/// and after Fl::unlock() has been entered it makes none until it returns.
__thread uint32_t t_region_depth[kAuditMaxToolkits] __attribute__((tls_model("initial-exec")));

void regionCall(const AuditStub *stub) {
  uint32_t &depth = t_region_depth[stub->toolkit % kAuditMaxToolkits];
  if (stub->flags & kStubRegionEnter)
    ++depth;
  else if (depth) // an unmatched leave is the toolkit's business
    --depth;
}

} // namespace

void toolkitCall(const AuditStub *stub, uintptr_t call_site, uintptr_t first_arg) {
  AuditShared *shared = g_audit;
  if (!shared)
    return;
  if (stub->flags & (kStubRegionEnter | kStubRegionLeave)) {
    regionCall(stub);
    if (!(stub->flags & kStubSetsUiThread)) // never a UI call (classify)
      return;
  }
  if (t_in_runtime)
    return;
  AuditToolkit &tk = shared->toolkits[stub->toolkit];
  uint64_t self = reinterpret_cast<uint64_t>(pthread_self());
  uint64_t ui = __atomic_load_n(stub->toolkit_ui, __ATOMIC_ACQUIRE);
  bool sets = (stub->flags & kStubSetsUiThread) ||
              (g_first_ui_call && !ui && (stub->flags & kStubIsUi));
  if (sets && (!ui || __atomic_load_n(&tk.ui_fallback, __ATOMIC_ACQUIRE))) {
    // The first setter decides, and confirms or replaces the stand-in main
    // thread of UI calls made before it.
    uint64_t before = ui;
    if (__atomic_compare_exchange_n(stub->toolkit_ui, &ui, self, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
      __atomic_store_n(&tk.ui_fallback, 0, __ATOMIC_RELEASE);
      tk.set_by = stub->api;
      RuntimeScope scope;
      if (before && before != self)
        logLine(0, tk.name, ": UI thread set by ", stub->api,
                " on another thread than the main thread, which UI calls before it were "
                "checked against");
      else
        logLine(1, tk.name, " UI thread set by ", stub->api);
    }
    return;
  }
  if (!(stub->flags & kStubIsUi) || !runtimeReady())
    return;
  if (!ui)
    ui = uiThreadFallback(tk, stub->toolkit_ui, stub->api);
  if (!ui || ui == self)
    return;
  __atomic_fetch_add(&tk.off_thread_calls, 1, __ATOMIC_RELAXED);
  {
    RuntimeScope scope;
    needVtables(); // a thread not started by the app makes UI calls too
  }
  // Inside a lock region of this toolkit: allowed on any thread.
  if (t_region_depth[stub->toolkit % kAuditMaxToolkits]) {
    __atomic_fetch_add(&tk.locked_calls, 1, __ATOMIC_RELAXED);
    return;
  }
  // A virtual call from inside the toolkit (through a patched vtable).
  uint32_t ranges = __atomic_load_n(&shared->range_count, __ATOMIC_ACQUIRE);
  for (uint32_t i = 0; i < ranges; ++i)
    if (call_site >= shared->ranges[i].start && call_site < shared->ranges[i].end)
      return;
  RuntimeScope scope;
  ThreadState *t = currentThread();
  if (!t)
    return;
  StackTrace st;
  captureStack(st);
  reportUiCall(ReportKind::UiCallOffThread, t, stub->api, 0, st, stub, ui, first_arg);
}

const AuditShared *auditState() { return g_audit; }

void needVtables() {
  AuditShared *shared = g_audit;
  if (!shared || __atomic_load_n(&shared->vtables_patched, __ATOMIC_ACQUIRE) ||
      !shared->patch_vtables)
    return;
  logLine(1, "patching the toolkits' vtables: a second thread may make UI calls");
  shared->patch_vtables();
}

void needVtablesForThread(const StackTrace &created) {
  AuditShared *shared = g_audit;
  if (!shared || !__atomic_load_n(&shared->toolkit_objects, __ATOMIC_ACQUIRE) ||
      __atomic_load_n(&shared->vtables_patched, __ATOMIC_ACQUIRE))
    return;
  // A library's own threads (Qt's event reader, GLib's worker) do not run
  // the app's code; the app's first thread does.
  if (ownedByApp(threadOwner(created, "", g_thread_spec, processFrameOracle())))
    needVtables();
}

void endRun(uint64_t ctx) {
  if (!runtimeReady() || t_in_runtime || !ctx)
    return;
  RuntimeScope scope;
  ThreadState *self = currentThread();
  StackTrace where;
  captureStack(where);
  if (g_open_ui_groups.load(std::memory_order_relaxed)) {
    // The run's UI-call reports come before its leaks.
    pthread_mutex_lock(&g_report_mu);
    flushUiGroupsOf(0, true);
    pthread_mutex_unlock(&g_report_mu);
  }
  if (!g_runs.end(ctx, where)) {
    logLine(1, "run_end of a run that is not live (ignored)");
    return;
  }
  if (self && self->ctx.load(std::memory_order_relaxed) == ctx)
    self->ctx.store(0, std::memory_order_relaxed);
  logThread(1, "run ended on ", self ? self->uid : 0, "; waiting for its threads");

  auto leakCandidate = [&](ThreadState &t) {
    return &t != self && !t.leak_reported &&
           (t.status == ThreadStatus::Running || t.status == ThreadStatus::Starting) &&
           t.ctx.load(std::memory_order_relaxed) != ctx && t.origin_run == ctx &&
           !t.daemon.load(std::memory_order_relaxed) && g_flags.report_thread_leaks;
  };
  // Who started the run's threads, decided outside the registry lock
  // (dladdr takes the loader's lock, which a thread creating a thread from
  // a library constructor holds while it waits for ours).
  pthread_mutex_lock(&g_report_mu);
  int candidates = 0;
  g_registry.lock();
  for (int i = 0; i < g_registry.highWater() && candidates < kMaxSnapshots; ++i) {
    ThreadState &t = g_registry.slot(i);
    if (leakCandidate(t) && !t.owner) {
      snapshotLocked(t, g_snaps[candidates]);
      g_snap_slot[candidates] = i;
      ++candidates;
    }
  }
  g_registry.unlock();
  for (int i = 0; i < candidates; ++i)
    g_snap_owner[i] = static_cast<uint8_t>(
        static_cast<int>(threadOwner(g_snaps[i].created, "", g_thread_spec, processFrameOracle())) +
        1);
  g_registry.lock();
  for (int i = 0; i < candidates; ++i) {
    ThreadState &t = g_registry.slot(g_snap_slot[i]);
    if (t.uid == g_snaps[i].uid && t.status != ThreadStatus::Free)
      t.owner = g_snap_owner[i];
  }
  g_registry.unlock();
  pthread_mutex_unlock(&g_report_mu);

  auto pending = [&](ThreadState &t) {
    if (&t == self || t.leak_reported)
      return 0;
    if (t.status != ThreadStatus::Running && t.status != ThreadStatus::Starting)
      return 0;
    if (t.ctx.load(std::memory_order_relaxed) == ctx)
      return 1; // context-leak
    if (leakCandidate(t) && ownedByApp(static_cast<ThreadOwner>(t.owner - 1)) &&
        !g_thread_spec.matches(ThreadSpec::Kind::LibraryName, t.name))
      return 2; // thread-leak
    return 0;
  };

  struct timespec deadline = deadlineAfter(g_flags.linger_ms);
  g_registry.lock();
  for (;;) {
    int n = 0;
    for (int i = 0; i < g_registry.highWater(); ++i)
      n += pending(g_registry.slot(i)) ? 1 : 0;
    if (n == 0 || past(deadline))
      break;
    g_registry.waitForExit(deadline);
  }
  g_registry.unlock();

  pthread_mutex_lock(&g_report_mu);
  int count = 0;
  g_registry.lock();
  for (int i = 0; i < g_registry.highWater() && count < kMaxSnapshots; ++i) {
    ThreadState &t = g_registry.slot(i);
    int p = pending(t);
    if (!p)
      continue;
    snapshotLocked(t, g_snaps[count]);
    g_snap_kind[count] = p;
    g_snap_done[count] = false;
    g_snap_owner[count] = t.owner;
    t.leak_reported = true;
    ++count;
  }
  g_registry.unlock();

  for (int i = 0; i < count; ++i) {
    if (g_snap_kind[i] == 2) {
      // Again with the name the kernel has (a thread named without
      // pthread_setname_np).
      ThreadOwner owner = ownerOf(g_snaps[i], g_snap_owner[i]);
      if (!ownedByApp(owner)) {
        logLibraryThread(g_snaps[i], owner);
        continue;
      }
      addLeak(ReportKind::ThreadLeak, LeakWhen::RunEnd, g_snaps[i],
              g_snaps[i].created.hash(), ctx, g_flags.linger_ms, 0, nullptr);
      continue;
    }
    if (g_snap_done[i])
      continue;
    // Context leaks of this run end, grouped by creation stack.
    uint64_t h = g_snaps[i].created.hash();
    int similar = 0;
    for (int j = i; j < count; ++j) {
      if (g_snap_kind[j] == 1 && !g_snap_done[j] && g_snaps[j].created.hash() == h) {
        g_snap_done[j] = true;
        ++similar;
      }
    }
    if (!siteAllows(siteKey(ReportKind::ContextLeak, g_snaps[i].created)))
      continue;
    Report &r = g_report;
    r.clear();
    r.kind = ReportKind::ContextLeak;
    r.pid = getpid();
    r.count = similar;
    r.linger_ms = g_flags.linger_ms;
    describe(g_snaps[i], r.thread);
    r.stack = r.thread.created;
    runInfo(r, ctx);
    emit(r);
  }
  pthread_mutex_unlock(&g_report_mu);
}

int finalCheck() {
  if (!runtimeReady())
    return 0;
  RuntimeScope scope;
  ThreadState *self = t_self;
  pthread_mutex_lock(&g_report_mu);
  flushUiGroupsOf(0, true);
  if (g_flags.report_thread_leaks) {
    // In batches of snapshots, each classified outside the registry lock
    // (see endRun); a slot taken once is marked and not taken again.
    for (int next = 0;;) {
      int count = 0;
      uint8_t cached[kMaxSnapshots];
      g_registry.lock();
      for (; next < g_registry.highWater() && count < kMaxSnapshots; ++next) {
        ThreadState &t = g_registry.slot(next);
        if (t.status == ThreadStatus::Free || &t == self || t.is_main || t.external ||
            t.detached || t.joining || t.leak_reported)
          continue;
        snapshotLocked(t, g_snaps[count]);
        cached[count] = t.owner;
        t.leak_reported = true;
        ++count;
      }
      g_registry.unlock();
      for (int i = 0; i < count; ++i) {
        const Snapshot &s = g_snaps[i];
        ThreadOwner owner = ownerOf(s, cached[i]);
        if (!ownedByApp(owner)) {
          logLibraryThread(s, owner);
          continue;
        }
        addLeak(ReportKind::ThreadLeak, LeakWhen::Exit, s,
                s.created.hash() ^ (s.running ? 0 : 0x9e3779b97f4a7c15ull), 0, 0, 0, nullptr);
      }
      if (count < kMaxSnapshots)
        break;
    }
  }
  if (g_flags.report_executor_leaks) {
    g_executors.lock();
    for (int i = 0; i < g_executors.highWater(); ++i) {
      const ExecutorTable::Record &e = g_executors.record(i);
      if (!e.id)
        continue;
      Snapshot s;
      std::memset(&s, 0, sizeof(s));
      s.uid = e.creator_uid;
      s.running = true;
      s.created = e.created;
      addLeak(ReportKind::ExecutorLeak, LeakWhen::Exit, s, e.created.hash(), 0, 0,
              e.id, e.kind);
    }
    g_executors.unlock();
  }
  flushLeakGroups();
  noteUiThreadFallbacks();
  logCoverage();
  int n = g_reported.load();
  if (n > 0) {
    char buf[128];
    Out out(buf, sizeof(buf));
    out.str("uisan: reported ").dec(n).str(n == 1 ? " warning\n" : " warnings\n");
    out.flushTo(g_log_fd);
  }
  const char *log = g_flags.log_path.c_str();
  if (std::strcmp(log, "stderr") && std::strcmp(log, "stdout")) {
    // The reports are not on the terminal: say where they are.
    char buf[2400];
    Out out(buf, sizeof(buf));
    if (n == 0)
      out.str("uisan: no reports; the log is ").str(log);
    else
      out.str("uisan: ").dec(n).str(n == 1 ? " report" : " reports").str(" written to ").str(log);
    if (n && g_json_fd >= 0)
      out.str(" (and as JSON lines to ").str(g_flags.json_path.c_str()).str(")");
    out.str("\n");
    out.flushTo(g_err_fd);
  }
  pthread_mutex_unlock(&g_report_mu);
  return n;
}

} // namespace uisan
