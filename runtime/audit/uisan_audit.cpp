// uisan_audit.cpp - libuisan_audit.so, the LD_AUDIT module behind uisan-run's
// toolkit checks (see uisan_audit_abi.h for the stubs it hands out).
//
// The dynamic loader calls it for every object it loads (la_objopen) and
// for every symbol binding between audited objects (la_symbind64, at
// relocation for bind-now objects, glibc >= 2.35). Toolkit libraries, as
// the spec names them, are audited as binding targets only, so their
// calls among themselves are never seen; every other object of the
// application's namespace is audited as a caller. A binding to a UI API
// gets a stub; any other binding is returned unchanged.
//
// It runs in a namespace of its own, inside the loader's callbacks: no
// allocation beyond one mapping, no C++ runtime, nothing that could
// re-enter the loader.
#include "uisan_audit_abi.h"
#include "uisan_audit_elf.h"
#include "uisan_audit_names.h"
#include "uisan_out.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

using namespace uisan;
using namespace uisan::audit;

namespace {

constexpr size_t kPage = 4096;
constexpr int kMaxObjects = 2048;
constexpr uint32_t kCacheSize = 1u << 15; // > 2 * kAuditMaxStubs

/// What the module knows of one loaded object; its address is the cookie.
struct Object {
  const struct link_map *map;
  int toolkit; // -1: not a toolkit library
  bool ui_thread_only; // holds only calls that set the UI thread (libgio)
  bool runtime; // libuisan.so
  bool caller;  // its calls are checked
  bool patched; // its vtables went through patchVtables()
  uint32_t generation;
};

/// A decision already taken for a bound address.
struct CacheEntry {
  uintptr_t address; // 0: empty
  const Object *object;
  uint32_t generation;
  int32_t stub; // -1: not a UI API
};

Spec g_spec;
bool g_enabled;
bool g_attached; // libuisan.so attached: start-up objects are relocated
bool g_trace; // UISAN_AUDIT_TRACE=1: log every stub to stderr
AuditShared *g_shared;
AuditStub *g_stubs;
unsigned char *g_code; // page 0: the pass-through; stubs from page 1
uint32_t g_code_pages; // pages of stubs generated so far
Object g_objects[kMaxObjects];
int g_object_count;
CacheEntry g_cache[kCacheSize];
RttiHierarchy g_rtti;
char g_strings[1 << 20]; // the stubs' names (qualified and as bound)
size_t g_strings_used;
std::atomic_flag g_lock = ATOMIC_FLAG_INIT; // lazy binding may run on many threads

struct Lock {
  Lock() {
    while (g_lock.test_and_set(std::memory_order_acquire))
      sched_yield();
  }
  ~Lock() { g_lock.clear(std::memory_order_release); }
};

void warn(const char *a, const char *b = "") {
  char buf[512];
  Out out(buf, sizeof(buf));
  out.str("uisan: audit: ").str(a).str(b).str("\n");
  out.flushTo(2);
}

/// `text` into the fixed buffer `out` of `cap` bytes, cut to fit.
void copyText(char *out, size_t cap, const char *text) {
  Out o(out, cap);
  o.str(text);
}

/// The spec from uisan-run, read from the process's initial environment:
/// the loader calls la_version before this namespace's libc is set up.
bool readEnv(const char *key, char *buf, size_t cap) {
  int fd = open("/proc/self/environ", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  static char env[1 << 18];
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, env + n, sizeof(env) - 1 - n);
    if (r <= 0)
      break;
    n += static_cast<size_t>(r);
    if (n == sizeof(env) - 1)
      break;
  }
  close(fd);
  env[n] = '\0';
  size_t key_len = std::strlen(key);
  for (size_t i = 0; i < n;) {
    const char *var = env + i;
    size_t len = std::strlen(var);
    if (!std::strncmp(var, key, key_len) && var[key_len] == '=') {
      copyText(buf, cap, var + key_len + 1);
      return true;
    }
    i += len + 1;
  }
  return false;
}

size_t roundUp(size_t n) { return (n + kPage - 1) & ~(kPage - 1); }

void put32(unsigned char *&p, int32_t v) {
  std::memcpy(p, &v, 4);
  p += 4;
}

int32_t rel(const void *target, const unsigned char *next) {
  return static_cast<int32_t>(reinterpret_cast<intptr_t>(target) -
                              reinterpret_cast<intptr_t>(next));
}

unsigned char *stubCode(uint32_t i) { return g_code + kPage + i * kAuditStubCodeSize; }

/// Writes the code of one stub (see uisan_audit_abi.h).
void emitStub(uint32_t i) {
  unsigned char *s = stubCode(i), *p = s;
  if (g_shared->count_calls) {
    *p++ = 0xf0; *p++ = 0x48; *p++ = 0xff; *p++ = 0x05; // lock incq calls(%rip)
    put32(p, rel(&g_stubs[i].calls, p + 4));
  }
  const unsigned char tp[] = {0x64, 0x4c, 0x8b, 0x1c, 0x25, 0x10, 0, 0, 0}; // mov %fs:0x10,%r11
  std::memcpy(p, tp, sizeof(tp));
  p += sizeof(tp);
  *p++ = 0x4c; *p++ = 0x8b; *p++ = 0x15; // mov ui_slot(%rip),%r10
  put32(p, rel(&g_stubs[i].ui_slot, p + 4));
  *p++ = 0x4d; *p++ = 0x3b; *p++ = 0x1a; // cmp (%r10),%r11
  *p++ = 0x75; *p++ = 0x06;              // jne 1f
  *p++ = 0xff; *p++ = 0x25;              // jmp *real(%rip)
  put32(p, rel(&g_stubs[i].real, p + 4));
  *p++ = 0x4c; *p++ = 0x8d; *p++ = 0x1d; // 1: lea record(%rip),%r11
  put32(p, rel(&g_stubs[i], p + 4));
  *p++ = 0xff; *p++ = 0x25;              // jmp *slow_path(%rip)
  put32(p, rel(&g_shared->slow_path, p + 4));
  while (p < s + kAuditStubCodeSize)
    *p++ = 0xcc;
}

/// Makes sure the page holding stub `i` exists; pages are written once,
/// before any of their stubs is handed out, and never again.
bool ensureCode(uint32_t i) {
  constexpr uint32_t kPerPage = kPage / kAuditStubCodeSize;
  uint32_t page = i / kPerPage;
  if (page < g_code_pages)
    return true;
  unsigned char *start = g_code + kPage + page * kPage;
  if (mprotect(start, kPage, PROT_READ | PROT_WRITE) != 0)
    return false;
  for (uint32_t k = page * kPerPage; k < (page + 1) * kPerPage; ++k)
    emitStub(k);
  if (mprotect(start, kPage, PROT_READ | PROT_EXEC) != 0)
    return false;
  g_code_pages = page + 1;
  return true;
}

bool createRegion() {
  size_t header = roundUp(sizeof(AuditShared));
  size_t data = roundUp(sizeof(AuditStub) * kAuditMaxStubs);
  size_t code = kPage + roundUp(kAuditStubCodeSize * kAuditMaxStubs);
  void *m = mmap(nullptr, header + data + code, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED)
    return false;
  auto *base = static_cast<unsigned char *>(m);
  g_shared = reinterpret_cast<AuditShared *>(base);
  g_stubs = reinterpret_cast<AuditStub *>(base + header);
  g_shared->stubs = g_stubs;
  g_code = base + header + data;
  // Page 0 of the code: the pass-through used until libuisan.so attaches.
  const unsigned char pass[] = {0x41, 0xff, 0x23}; // jmp *(%r11): AuditStub::real
  std::memcpy(g_code, pass, sizeof(pass));
  if (mprotect(g_code, code, PROT_NONE) != 0 || mprotect(g_code, kPage, PROT_READ | PROT_EXEC))
    return false;
  g_shared->abi_version = kAuditAbiVersion;
  g_shared->slow_path = g_code;
  return true;
}

/// Whether a class is a UI class of a toolkit, once per class: the RTTI
/// walk is the costly part of a decision, and a class has many methods.
struct ClassVerdict {
  uint32_t hash;
  int16_t toolkit;
  bool ui;
  const char *owner; // nullptr: empty
};
constexpr uint32_t kClassCacheSize = 1u << 14;
ClassVerdict g_class_cache[kClassCacheSize];

const char *keep(const char *text);

bool cachedAny(const void *self, const QualifiedName &owner, ClassHierarchy::Visitor visit,
               void *ctx);

/// The class hierarchy from the objects' RTTI, uncached.
bool walkRtti(const QualifiedName &owner, ClassHierarchy::Visitor visit, void *ctx) {
  ClassHierarchy rtti = g_rtti.view();
  return rtti.any(rtti.self, owner, visit, ctx);
}

/// The ClassHierarchy classify() sees for `toolkit` (held by the caller for
/// as long as the hierarchy is used): verdicts are cached per class and
/// toolkit. (The visitor of one toolkit always decides the same for the
/// same owner, so its answer can be reused.)
ClassHierarchy cachedHierarchy(const int &toolkit) { return {cachedAny, &toolkit}; }

bool cachedAny(const void *self, const QualifiedName &owner, ClassHierarchy::Visitor visit,
               void *ctx) {
  int toolkit = *static_cast<const int *>(self);
  if (!owner.owner_mangled[0])
    return walkRtti(owner, visit, ctx);
  uint32_t h = 2166136261u;
  for (const char *p = owner.owner_mangled; *p; ++p)
    h = (h ^ static_cast<unsigned char>(*p)) * 16777619u;
  h ^= static_cast<uint32_t>(toolkit) * 0x9e3779b9u;
  for (uint32_t n = 0, i = h & (kClassCacheSize - 1); n < kClassCacheSize;
       ++n, i = (i + 1) & (kClassCacheSize - 1)) {
    ClassVerdict &v = g_class_cache[i];
    if (v.owner && v.hash == h && v.toolkit == toolkit &&
        !std::strcmp(v.owner, owner.owner_mangled))
      return v.ui;
    if (!v.owner) {
      bool ui = walkRtti(owner, visit, ctx);
      const char *kept = keep(owner.owner_mangled);
      if (kept[0])
        v = {h, static_cast<int16_t>(toolkit), ui, kept};
      return ui;
    }
  }
  return walkRtti(owner, visit, ctx); // cache full
}

int32_t stubFor(uintptr_t address, const Object *def, const char *symbol);

/// Function symbols of the toolkit libraries by address, for the vtables.
struct FunctionTable {
  struct Entry {
    uintptr_t address;
    const char *name;
    Object *object;
  } *entries;
  uint32_t mask;

  Entry *find(uintptr_t a) const {
    for (uint32_t h = static_cast<uint32_t>((a >> 4) * 2654435761u) & mask;; h = (h + 1) & mask)
      if (entries[h].address == a || entries[h].address == 0)
        return entries[h].address ? &entries[h] : nullptr;
  }
};

struct SymbolWalk {
  Object *object;
  FunctionTable *table; // null: count only
  uint32_t count;
};

void addFunction(const ElfW(Sym) &sym, const char *name, void *ctx) {
  auto *w = static_cast<SymbolWalk *>(ctx);
  if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || name[0] != '_' || name[1] != 'Z')
    return;
  ++w->count;
  if (!w->table)
    return;
  uintptr_t a = w->object->map->l_addr + sym.st_value;
  uint32_t mask = w->table->mask;
  for (uint32_t h = static_cast<uint32_t>((a >> 4) * 2654435761u) & mask;; h = (h + 1) & mask) {
    FunctionTable::Entry &e = w->table->entries[h];
    if (e.address == a)
      return; // an alias: the first name serves
    if (!e.address) {
      e = {a, name, w->object};
      return;
    }
  }
}

struct VtableWalk {
  Object *object;
  const FunctionTable *table;
  ObjectLayout layout, main_layout;
};

const struct link_map *g_main_map; // the executable: where copy relocations put data

/// Points the slots holding UI functions at their stubs. The caller made
/// the pages writable (setRelroWritable).
void patchSlots(uintptr_t *slots, size_t n, const FunctionTable &table) {
  for (size_t i = 0; i < n; ++i) {
    FunctionTable::Entry *f = table.find(slots[i]);
    if (!f)
      continue;
    int32_t stub = stubFor(f->address, f->object, f->name);
    if (stub < 0)
      continue;
    __atomic_store_n(&slots[i], reinterpret_cast<uintptr_t>(stubCode(static_cast<uint32_t>(stub))),
                     __ATOMIC_RELEASE);
    ++g_shared->vtable_slots;
  }
}

/// Routes the UI functions in one vtable through their stubs: the
/// library's own, and the executable's copy if it has one (a non-PIC or
/// PIE executable that constructs the class inline gets the vtable by copy
/// relocation, and then everyone uses the copy).
void patchVtable(const ElfW(Sym) &sym, const char *name, void *ctx) {
  if (ELF64_ST_TYPE(sym.st_info) != STT_OBJECT || std::strncmp(name, "_ZTV", 4) || !sym.st_size)
    return;
  auto *w = static_cast<VtableWalk *>(ctx);
  // Only the vtables of UI classes: "_ZTV" + the class's mangled name.
  QualifiedName cls;
  char member[200];
  Out m(member, sizeof(member));
  m.str("_ZN");
  if (name[4] == 'N') { // nested: _ZTVN2ns3FooE -> _ZN2ns3Foo1xEv
    for (const char *c = name + 5; c < name + std::strlen(name) - 1; ++c)
      m.ch(*c);
  } else { // _ZTV6QLabel -> _ZN6QLabel1xEv
    m.str(name + 4);
  }
  m.str("1xEv");
  if (!qualifiedName(member, cls) ||
      !isUiClass(g_spec, w->object->toolkit, cls, cachedHierarchy(w->object->toolkit)))
    return;
  size_t n = sym.st_size / sizeof(uintptr_t);
  patchSlots(reinterpret_cast<uintptr_t *>(w->object->map->l_addr + sym.st_value), n, *w->table);
  if (g_main_map && w->main_layout.end)
    if (void *copy = lookupSymbol(g_main_map, name))
      patchSlots(static_cast<uintptr_t *>(copy), n, *w->table);
}

/// The pages wholly inside an object's RELRO segment are read-only once it
/// is relocated; vtables live there. One mprotect each way per object.
bool setRelroWritable(const ObjectLayout &layout, bool writable) {
  uintptr_t start = layout.relro_start & ~(kPage - 1), end = layout.relro_end & ~(kPage - 1);
  if (end <= start)
    return true;
  return mprotect(reinterpret_cast<void *>(start), end - start,
                  writable ? PROT_READ | PROT_WRITE : PROT_READ) == 0;
}


/// Patches the vtables of the toolkit libraries loaded at start-up, which
/// are relocated by the time libuisan.so attaches.
void patchVtables() {
  SymbolWalk count{nullptr, nullptr, 0};
  for (int i = 0; i < g_object_count; ++i)
    if (g_objects[i].map && g_objects[i].toolkit >= 0 && !g_objects[i].ui_thread_only) {
      count.object = &g_objects[i];
      forEachSymbol(g_objects[i].map, addFunction, &count);
    }
  uint32_t size = 1024;
  while (size < count.count * 2)
    size <<= 1;
  size_t bytes = roundUp(size * sizeof(FunctionTable::Entry));
  void *m = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return;
  FunctionTable table{static_cast<FunctionTable::Entry *>(m), size - 1};
  SymbolWalk fill{nullptr, &table, 0};
  for (int i = 0; i < g_object_count; ++i)
    if (g_objects[i].map && g_objects[i].toolkit >= 0 && !g_objects[i].ui_thread_only) {
      fill.object = &g_objects[i];
      forEachSymbol(g_objects[i].map, addFunction, &fill);
    }
  if (g_trace) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    char line[120];
    Out out(line, sizeof(line));
    out.str("function table: ").udec(count.count).str(" functions, at ");
    out.dec(t.tv_sec * 1000 + t.tv_nsec / 1000000).str(" ms of CPU");
    warn(line);
  }
  for (int i = 0; i < g_object_count; ++i) {
    Object &o = g_objects[i];
    if (!o.map || o.toolkit < 0 || o.patched)
      continue;
    o.patched = true;
    VtableWalk w{&o, &table, {}, {}};
    if (!objectLayout(o.map, w.layout))
      continue;
    if (g_main_map)
      objectLayout(g_main_map, w.main_layout);
    bool main_ok = !w.main_layout.end || setRelroWritable(w.main_layout, true);
    if (!main_ok)
      w.main_layout = ObjectLayout{0, 0, 0, 0};
    if (setRelroWritable(w.layout, true)) {
      forEachSymbol(o.map, patchVtable, &w);
      setRelroWritable(w.layout, false);
    }
    if (w.main_layout.end)
      setRelroWritable(w.main_layout, false);
  }
  munmap(m, bytes);
}

/// AuditShared::patch_vtables: patches the start-up toolkit libraries'
/// vtables, once, when libuisan first needs them (see uisan_audit_abi.h).
void patchVtablesOnce() {
  Lock lock;
  if (__atomic_load_n(&g_shared->vtables_patched, __ATOMIC_ACQUIRE))
    return;
  struct timespec t0, t1;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
  patchVtables();
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
  __atomic_store_n(&g_shared->vtables_patched, 1, __ATOMIC_RELEASE);
  if (g_trace) {
    char line[120];
    long tenths = ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec)) / 100000;
    Out out(line, sizeof(line));
    out.str("vtables patched in ").dec(tenths / 10).ch('.').dec(tenths % 10).str(" ms of CPU, ");
    out.udec(g_shared->vtable_slots).str(" slots");
    warn(line);
  }
}

/// The module's stand-in for libuisan.so's __uisan_audit_attach. The
/// start-up objects are relocated by now; their vtables are patched later,
/// when libuisan calls patch_vtables.
AuditShared *attach(void *slow_path, uint64_t main_thread) {
  if (!g_shared)
    return nullptr;
  for (uint32_t k = 0; k < g_shared->toolkit_count; ++k)
    if (g_shared->toolkits[k].kind == AuditUiKind::Main && main_thread)
      __atomic_store_n(&g_shared->ui_thread[k], main_thread, __ATOMIC_RELEASE);
  if (slow_path)
    __atomic_store_n(&g_shared->slow_path, slow_path, __ATOMIC_RELEASE);
  Lock lock;
  g_attached = true;
  g_shared->patch_vtables = patchVtablesOnce;
  return g_shared;
}

const char *baseName(const char *path) {
  const char *slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

bool startsWith(const char *s, const char *prefix) {
  return !std::strncmp(s, prefix, std::strlen(prefix));
}

/// A copy of `text` that lives as long as the process ("" once full).
const char *keep(const char *text) {
  size_t n = std::strlen(text) + 1;
  if (g_strings_used + n > sizeof(g_strings))
    return "";
  char *p = g_strings + g_strings_used;
  std::memcpy(p, text, n);
  g_strings_used += n;
  return p;
}

/// The stub for `address`, bound into `def`, or -1 if it needs none.
int32_t stubFor(uintptr_t address, const Object *def, const char *symbol) {
  uint32_t h = static_cast<uint32_t>((address >> 4) * 2654435761u) & (kCacheSize - 1);
  for (uint32_t n = 0; n < kCacheSize; ++n, h = (h + 1) & (kCacheSize - 1)) {
    CacheEntry &e = g_cache[h];
    if (e.address == address && e.object == def && e.generation == def->generation)
      return e.stub;
    if (e.address != 0)
      continue;
    QualifiedName name;
    uint16_t flags = 0;
    // An object of ui_thread.libraries (below) needs no class rules, and
    // its classes' RTTI may point into objects not relocated yet
    // (libwx_baseu's, bound from libwx_baseu_xml at start-up): no walk.
    if (qualifiedName(symbol, name))
      flags = classify(g_spec, def->toolkit, symbol, name,
                       def->ui_thread_only ? ClassHierarchy{nullptr, nullptr}
                                           : cachedHierarchy(def->toolkit));
    // An object named by ui_thread.libraries holds UI-thread setters and
    // lock-region calls (wxMutexGuiEnter in libwx_baseu), nothing else.
    if (def->ui_thread_only)
      flags &= kStubSetsUiThread | kStubRegionEnter | kStubRegionLeave;
    int32_t stub = -1;
    if (flags) {
      uint32_t i = g_shared->stub_count;
      if (i < kAuditMaxStubs && ensureCode(i)) {
        AuditStub &s = g_stubs[i];
        s.real = reinterpret_cast<void *>(address);
        s.toolkit_ui = &g_shared->ui_thread[def->toolkit];
        // Setters and lock-region calls take the slow path on every thread.
        s.ui_slot = flags & (kStubSetsUiThread | kStubRegionEnter | kStubRegionLeave)
                        ? &g_shared->never
                        : s.toolkit_ui;
        s.api = keep(name.text);
        s.symbol = keep(symbol);
        s.toolkit = static_cast<uint16_t>(def->toolkit);
        s.flags = flags;
        s.index = i;
        __atomic_store_n(&g_shared->stub_count, i + 1, __ATOMIC_RELEASE);
        if (g_trace) {
          char line[400];
          Out out(line, sizeof(line));
          out.str("stub ").udec(i).str(": ").str(name.text).str(" [");
          out.str(flags & kStubIsUi ? "ui" : "").str(flags & kStubSetsUiThread ? " sets-ui-thread" : "");
          out.str(flags & kStubRegionEnter ? " region-enter" : "");
          out.str(flags & kStubRegionLeave ? " region-leave" : "");
          out.str("] (").str(symbol).str(")");
          warn(line);
        }
        stub = static_cast<int32_t>(i);
      } else {
        ++g_shared->stubs_exhausted;
      }
    }
    e = {address, def, def->generation, stub};
    return stub;
  }
  return -1; // cache full: leave the binding alone
}

} // namespace

extern "C" {

__attribute__((visibility("default"))) unsigned int la_version(unsigned int version) {
  if (version < 1)
    return 0;
  static char spec[1 << 16];
  if (!createRegion()) {
    warn("cannot map the stub area; UI calls into toolkits are not checked");
    return version;
  }
  char trace[8];
  g_trace = readEnv("UISAN_AUDIT_TRACE", trace, sizeof(trace)) && trace[0] == '1';
  if (readEnv("UISAN_AUDIT_SPEC", spec, sizeof(spec))) {
    char error[160];
    if (!g_spec.parse(spec, error, sizeof(error))) {
      copyText(g_shared->spec_error, sizeof(g_shared->spec_error), error);
      warn("UISAN_AUDIT_SPEC: ", error);
    }
  }
  g_shared->toolkit_count = static_cast<uint32_t>(g_spec.toolkit_count);
  g_shared->count_calls = g_spec.count_calls;
  for (int k = 0; k < g_spec.toolkit_count; ++k) {
    AuditToolkit &t = g_shared->toolkits[k];
    copyText(t.name, sizeof(t.name), g_spec.toolkits[k].name);
    copyText(t.ui_thread_name, sizeof(t.ui_thread_name), g_spec.toolkits[k].ui_thread_name);
    copyText(t.remedy, sizeof(t.remedy), g_spec.toolkits[k].remedy);
    t.kind = g_spec.toolkits[k].kind;
    size_t used = 0;
    for (int e = 0; e < g_spec.entry_count; ++e) {
      const SpecEntry &entry = g_spec.entries[e];
      if (entry.toolkit != k || entry.kind != EntryKind::SetsUiThread)
        continue;
      size_t n = std::strlen(entry.text);
      if (used + n + 3 >= sizeof(t.setters))
        break;
      if (used) {
        std::memcpy(t.setters + used, ", ", 2);
        used += 2;
      }
      std::memcpy(t.setters + used, entry.text, n + 1);
      used += n;
    }
  }
  g_enabled = g_spec.toolkit_count > 0;
  return version < LAV_CURRENT ? version : LAV_CURRENT;
}

__attribute__((visibility("default"))) unsigned int
la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie) {
  if (lmid != LM_ID_BASE || !g_shared)
    return 0;
  Lock lock;
  Object *slot = nullptr;
  for (int i = 0; i < g_object_count && !slot; ++i)
    if (!g_objects[i].map)
      slot = &g_objects[i]; // closed: reused under a new generation
  if (!slot && g_object_count < kMaxObjects)
    slot = &g_objects[g_object_count++];
  if (!slot)
    return 0;
  Object &o = *slot;
  o = Object{map, -1, false, false, false, false, o.generation + 1};
  *cookie = reinterpret_cast<uintptr_t>(&o);
  const char *path = map->l_name ? map->l_name : "";
  const char *base = baseName(path);
  if (!std::strcmp(base, "libuisan.so")) {
    o.runtime = true;
    return LA_FLG_BINDFROM | LA_FLG_BINDTO;
  }
  if (!g_enabled)
    return 0;
  if (startsWith(base, "libstdc++.so"))
    g_rtti.setRuntime(map);
  o.toolkit = g_spec.toolkitOfLibrary(path, &o.ui_thread_only);
  if (o.toolkit >= 0 && o.ui_thread_only) {
    // Only its UI-thread setters and lock-region calls get stubs: no
    // classes, no vtables, and calls from inside it are not the toolkit's.
    o.patched = true;
    return LA_FLG_BINDTO;
  }
  if (o.toolkit >= 0) {
    g_rtti.addObject(map);
    ++g_shared->toolkit_objects;
    ++g_shared->toolkits[o.toolkit].objects;
    // Its range, for "a call from inside the toolkit" (mapped by now).
    ObjectLayout layout;
    if (objectLayout(map, layout) && g_shared->range_count < AuditShared::kMaxRanges) {
      g_shared->ranges[g_shared->range_count] = {layout.start, layout.end};
      __atomic_store_n(&g_shared->range_count, g_shared->range_count + 1, __ATOMIC_RELEASE);
    }
    // Objects opened after start-up are not relocated yet here, and no
    // audit callback follows their relocation: their vtables stay as they
    // are (their PLT bindings are still checked).
    if (g_attached)
      o.patched = true;
    return LA_FLG_BINDTO;
  }
  // The loader, libc and uisan's own objects never call a toolkit.
  if (startsWith(base, "ld-linux") || startsWith(base, "libc.so") ||
      startsWith(base, "linux-vdso") || startsWith(base, "libuisan"))
    return 0;
  o.caller = true;
  if (!path[0] && !g_main_map)
    g_main_map = map;
  ++g_shared->objects_checked;
  return LA_FLG_BINDFROM;
}

__attribute__((visibility("default"))) unsigned int la_objclose(uintptr_t *cookie) {
  auto *o = reinterpret_cast<Object *>(*cookie);
  if (!o)
    return 0;
  Lock lock;
  if (o->toolkit >= 0 && !o->ui_thread_only)
    g_rtti.removeObject(o->map);
  // Cached decisions about its addresses die with it; its slot is reused
  // only through a new generation.
  ++o->generation;
  o->map = nullptr;
  o->toolkit = -1;
  o->caller = false;
  return 0;
}

__attribute__((visibility("default"))) uintptr_t
la_symbind64(Elf64_Sym *sym, unsigned int, uintptr_t *refcook, uintptr_t *defcook,
             unsigned int *flags, const char *symname) {
  *flags |= LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT;
  auto *ref = reinterpret_cast<const Object *>(*refcook);
  auto *def = reinterpret_cast<const Object *>(*defcook);
  if (!ref || !def || !g_shared)
    return sym->st_value;
  if (def->runtime) {
    if (!std::strcmp(symname, "__uisan_audit_attach"))
      return reinterpret_cast<uintptr_t>(&attach);
    return sym->st_value;
  }
  if (def->toolkit < 0 || !ref->caller || ELF64_ST_TYPE(sym->st_info) != STT_FUNC)
    return sym->st_value;
  Lock lock;
  ++g_shared->bindings_seen;
  int32_t stub = stubFor(sym->st_value, def, symname);
  return stub < 0 ? sym->st_value : reinterpret_cast<uintptr_t>(stubCode(static_cast<uint32_t>(stub)));
}

} // extern "C"
