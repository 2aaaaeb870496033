#include "uisan_stacktrace.h"
#include "uisan_audit_names.h"
#include "uisan_runtime.h"

#include <atomic>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <unwind.h>

namespace uisan {

uint64_t StackTrace::hash() const {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < size; ++i) {
    h ^= pc[i];
    h *= 1099511628211ull;
  }
  return h;
}

namespace {

uintptr_t g_runtime_begin, g_runtime_end;

// The sanitizer runtimes' code (ASan, TSan, ... of a sanitizer-built app,
// preloaded ahead of libuisan): their interceptors stand between the app and
// ours, so their frames lead every stack libuisan captures in the app's
// calls; like libuisan's own, they are not where the app made the call.
struct CodeRange {
  uintptr_t begin, end;
};
constexpr int kMaxInterposerRanges = 8;
CodeRange g_interposers[kMaxInterposerRanges];
int g_interposer_count;

// libunwind's unw_backtrace (with its per-thread trace cache) is ~10x faster
// than libgcc's _Unwind_Backtrace, which matters on every pthread_create.
// It is dlopen'ed RTLD_LOCAL so that its _Unwind_* and backtrace symbols
// never interpose on the app's (exceptions keep using libgcc).
using UnwBacktraceFn = int (*)(void **, int);
UnwBacktraceFn g_unw_backtrace;
constexpr int kMaxFrameworkModules = 32;
std::atomic<uintptr_t> g_framework_base[kMaxFrameworkModules];
std::atomic<int> g_framework_count;

/// What the libgcc unwind callback fills in.
struct UnwindState {
  StackTrace *out;
  bool skipping;
  int max;
};

_Unwind_Reason_Code unwindOne(struct _Unwind_Context *ctx, void *arg) {
  auto *st = static_cast<UnwindState *>(arg);
  uintptr_t pc = _Unwind_GetIP(ctx);
  if (!pc)
    return _URC_END_OF_STACK;
  if (st->skipping && isRuntimeAddress(pc))
    return _URC_NO_REASON;
  st->skipping = false;
  if (st->out->size >= st->max)
    return _URC_END_OF_STACK;
  st->out->pc[st->out->size++] = pc;
  return _URC_NO_REASON;
}

/// dl_iterate_phdr query: the executable segment containing `addr`.
struct RangeQuery {
  uintptr_t addr;
  uintptr_t begin, end;
};

int findRange(struct dl_phdr_info *info, size_t, void *arg) {
  auto *q = static_cast<RangeQuery *>(arg);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
      continue;
    uintptr_t b = info->dlpi_addr + ph.p_vaddr;
    uintptr_t e = b + ph.p_memsz;
    if (q->addr >= b && q->addr < e) {
      q->begin = b;
      q->end = e;
      return 1;
    }
  }
  return 0;
}

bool isSystemPath(const char *path) {
  return !std::strncmp(path, "/lib/", 5) || !std::strncmp(path, "/lib64/", 7) ||
         !std::strncmp(path, "/usr/lib/", 9) ||
         !std::strncmp(path, "/usr/lib64/", 11);
}

const char *g_program = "";
const char *g_app_modules = "";

const char *baseName(const char *path) {
  const char *slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/// `lib<program>` followed by the end, '.', '-' or '_' ("libgnote-43.so").
bool namedAfterProgram(const char *base) {
  size_t n = std::strlen(g_program);
  if (!n || std::strncmp(base, "lib", 3) || std::strncmp(base + 3, g_program, n))
    return false;
  char next = base[3 + n];
  return next == '\0' || next == '.' || next == '-' || next == '_';
}

/// A directory of the path is named after the program (".../filezilla/...").
bool inProgramDirectory(const char *path) {
  size_t n = std::strlen(g_program);
  if (!n)
    return false;
  for (const char *p = std::strchr(path, '/'); p; p = std::strchr(p + 1, '/'))
    if (!std::strncmp(p + 1, g_program, n) && p[1 + n] == '/')
      return true;
  return false;
}

/// One of the ','-separated globs of app_modules matches.
bool listedAppModule(const char *path) {
  char pattern[256];
  for (const char *p = g_app_modules; *p;) {
    const char *end = std::strchr(p, ',');
    size_t n = end ? static_cast<size_t>(end - p) : std::strlen(p);
    if (n && n < sizeof(pattern)) {
      std::memcpy(pattern, p, n);
      pattern[n] = '\0';
      bool whole = std::memchr(pattern, '/', n) != nullptr;
      if (audit::globMatches(pattern, whole ? path : baseName(path)))
        return true;
    }
    p += n + (end ? 1 : 0);
  }
  return false;
}

} // namespace

void initUnwinder() {
  void *lib = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return;
  using SetCachingFn = int (*)(void *, int);
  auto set_caching = reinterpret_cast<SetCachingFn>(dlsym(lib, "_ULx86_64_set_caching_policy"));
  void **addr_space = static_cast<void **>(dlsym(lib, "_ULx86_64_local_addr_space"));
  auto bt = reinterpret_cast<UnwBacktraceFn>(dlsym(lib, "unw_backtrace"));
  if (!bt)
    return;
  if (set_caching && addr_space)
    set_caching(*addr_space, 2 /* UNW_CACHE_PER_THREAD: no lock, signal-safe */);
  g_unw_backtrace = bt;
}

const char *unwinderName() { return g_unw_backtrace ? "libunwind" : "libgcc"; }

__thread bool t_unwinder_ready __attribute__((tls_model("initial-exec")));

void prepareUnwinderForThread() {
  if (t_unwinder_ready)
    return;
  t_unwinder_ready = true;
  if (UnwBacktraceFn bt = g_unw_backtrace) {
    ++t_allocation_allowed;
    void *pcs[2];
    bt(pcs, 2);
    --t_allocation_allowed;
  }
}

namespace {

int findInterposers(struct dl_phdr_info *info, size_t, void *) {
  const char *name = info->dlpi_name ? info->dlpi_name : "";
  const char *slash = std::strrchr(name, '/');
  const char *base = slash ? slash + 1 : name;
  static const char *const kSanitizers[] = {"libasan.so", "libtsan.so", "libubsan.so",
                                            "libhwasan.so", "liblsan.so", "libclang_rt."};
  bool sanitizer = false;
  for (const char *s : kSanitizers)
    sanitizer |= !std::strncmp(base, s, std::strlen(s));
  if (!sanitizer)
    return 0;
  for (int i = 0; i < info->dlpi_phnum && g_interposer_count < kMaxInterposerRanges; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
      g_interposers[g_interposer_count++] = {info->dlpi_addr + ph.p_vaddr,
                                             info->dlpi_addr + ph.p_vaddr + ph.p_memsz};
  }
  return 0;
}

} // namespace

void initCodeOrigins() {
  RangeQuery q{reinterpret_cast<uintptr_t>(&initCodeOrigins), 0, 0};
  dl_iterate_phdr(findRange, &q);
  g_runtime_begin = q.begin;
  g_runtime_end = q.end;
  g_interposer_count = 0;
  dl_iterate_phdr(findInterposers, nullptr);
}

void setAppModules(const char *program, const char *extra) {
  g_program = program ? program : "";
  g_app_modules = extra ? extra : "";
}

bool isAppModulePath(const char *path) {
  if (!path || !path[0] || !isSystemPath(path))
    return true;
  return namedAfterProgram(baseName(path)) || inProgramDirectory(path) ||
         listedAppModule(path);
}

bool isSystemSourceFile(const char *file) {
  return !std::strncmp(file, "/usr/include/", 13) || !std::strncmp(file, "/usr/lib/", 9) ||
         !std::strncmp(file, "/usr/local/include/", 19);
}

bool isRuntimeAddress(uintptr_t pc) {
  if (pc >= g_runtime_begin && pc < g_runtime_end)
    return true;
  for (int i = 0; i < g_interposer_count; ++i)
    if (pc >= g_interposers[i].begin && pc < g_interposers[i].end)
      return true;
  return false;
}

void declareFrameworkModule(const void *address) {
  Dl_info info;
  if (!dladdr(address, &info))
    return;
  uintptr_t base = reinterpret_cast<uintptr_t>(info.dli_fbase);
  int n = g_framework_count.load();
  for (int i = 0; i < n; ++i)
    if (g_framework_base[i].load() == base)
      return;
  int slot = g_framework_count.fetch_add(1);
  if (slot < kMaxFrameworkModules)
    g_framework_base[slot].store(base);
}

CodeOrigin classifyAddress(uintptr_t pc) {
  if (isRuntimeAddress(pc))
    return CodeOrigin::Runtime;
  Dl_info info;
  struct link_map *lm = nullptr;
  if (!dladdr1(reinterpret_cast<void *>(pc), &info, reinterpret_cast<void **>(&lm),
               RTLD_DL_LINKMAP))
    return CodeOrigin::User;
  uintptr_t base = reinterpret_cast<uintptr_t>(info.dli_fbase);
  int n = g_framework_count.load();
  if (n > kMaxFrameworkModules)
    n = kMaxFrameworkModules;
  for (int i = 0; i < n; ++i)
    if (g_framework_base[i].load() == base)
      return CodeOrigin::Framework;
  // The executable (an empty name in its link map) is the app's wherever it
  // is installed.
  if (lm && lm->l_name && !lm->l_name[0])
    return CodeOrigin::User;
  if (info.dli_fname && !isAppModulePath(info.dli_fname))
    return CodeOrigin::System;
  return CodeOrigin::User;
}

void captureStack(StackTrace &out, int max_frames) {
  out.size = 0;
  if (max_frames <= 0)
    return;
  if (max_frames > kMaxStackFrames)
    max_frames = kMaxStackFrames;
  prepareUnwinderForThread();
  if (UnwBacktraceFn bt = g_unw_backtrace) {
    // A few more than asked for: the leading runtime frames are dropped.
    void *pcs[kMaxStackFrames + 8];
    int n = bt(pcs, max_frames + 8);
    int i = 0;
    while (i < n && isRuntimeAddress(reinterpret_cast<uintptr_t>(pcs[i])))
      ++i;
    for (; i < n && out.size < max_frames; ++i)
      out.pc[out.size++] = reinterpret_cast<uintptr_t>(pcs[i]);
    return;
  }
  UnwindState st{&out, true, max_frames < kMaxStackFrames ? max_frames : kMaxStackFrames};
  _Unwind_Backtrace(unwindOne, &st);
}

} // namespace uisan
