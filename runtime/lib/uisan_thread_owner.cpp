#include "uisan_thread_owner.h"
#include "uisan_audit_names.h"
#include "uisan_lines.h"
#include "uisan_out.h"

#include <cstring>
#include <dlfcn.h>
#include <link.h>

namespace uisan {

namespace {

struct KindWord {
  const char *word;
  ThreadSpec::Kind kind;
};
const KindWord kKinds[] = {
    {"spawner", ThreadSpec::Kind::Spawner},
    {"library-thread-name", ThreadSpec::Kind::LibraryName},
    {"library-thread-creator", ThreadSpec::Kind::LibraryCreator},
};

bool fail(char *error, size_t cap, int line, const char *why) {
  Out out(error, cap);
  out.str("line ").dec(line).str(": ").str(why);
  return false;
}

} // namespace

bool ThreadSpec::parse(const char *text, char *error, size_t cap) {
  count_ = 0;
  if (cap)
    error[0] = '\0';
  Lines lines(text);
  const char *b, *e;
  while (lines.next(b, e)) {
    int line = lines.number();
    while (b < e && (*b == ' ' || *b == '\t'))
      ++b;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
      --e;
    if (b == e || *b == '#')
      continue;
    const char *space = static_cast<const char *>(std::memchr(b, ' ', e - b));
    if (!space)
      return fail(error, cap, line, "expected 'KIND PATTERN'");
    const KindWord *kind = nullptr;
    for (const KindWord &k : kKinds)
      if (std::strlen(k.word) == static_cast<size_t>(space - b) &&
          !std::strncmp(k.word, b, space - b))
        kind = &k;
    if (!kind)
      return fail(error, cap, line,
                  "unknown item; expected spawner, library-thread-name or library-thread-creator");
    const char *pattern = space + 1;
    size_t len = static_cast<size_t>(e - pattern);
    if (!len || len >= sizeof(entries_[0].pattern))
      return fail(error, cap, line, "pattern empty or longer than 126 characters");
    if (count_ == kMaxEntries)
      return fail(error, cap, line, "too many items (at most 256)");
    Entry &entry = entries_[count_++];
    entry.kind = kind->kind;
    std::memcpy(entry.pattern, pattern, len);
    entry.pattern[len] = '\0';
  }
  return true;
}

bool ThreadSpec::matches(Kind kind, const char *name) const {
  if (!name || !name[0])
    return false;
  for (int i = 0; i < count_; ++i)
    if (entries_[i].kind == kind && audit::globMatches(entries_[i].pattern, name))
      return true;
  return false;
}

ThreadOwner threadOwner(const StackTrace &created, const char *name, const ThreadSpec &spec,
                        const FrameOracle &frames) {
  if (created.size == 0)
    return spec.matches(ThreadSpec::Kind::LibraryName, name) ? ThreadOwner::LibraryByName
                                                             : ThreadOwner::Unknown;
  int first_app = -1;
  for (int i = 0; i < created.size && first_app < 0; ++i)
    if (frames.is_app(frames.self, created.pc[i]))
      first_app = i;
  if (first_app < 0)
    return ThreadOwner::Library;
  ThreadOwner owner;
  char function[256];
  if (first_app <= 1) {
    // Created in the app's own code (it called pthread_create), or by the
    // library function it called, itself (std::thread, QThread::start).
    owner = ThreadOwner::App;
  } else if (frames.function(frames.self, created.pc[first_app - 1], function, sizeof(function)) &&
             spec.matches(ThreadSpec::Kind::Spawner, function)) {
    // Deeper in a library: the app's when what the app called starts
    // threads for its caller (g_thread_new, QThreadPool::start).
    owner = ThreadOwner::AppSpawner;
  } else {
    return ThreadOwner::Library;
  }
  // The pack's creators and names overrule a verdict for the app.
  for (int i = 0; i < first_app; ++i)
    if (frames.function(frames.self, created.pc[i], function, sizeof(function)) &&
        spec.matches(ThreadSpec::Kind::LibraryCreator, function))
      return ThreadOwner::LibraryByCreator;
  if (spec.matches(ThreadSpec::Kind::LibraryName, name))
    return ThreadOwner::LibraryByName;
  return owner;
}

const char *threadOwnerName(ThreadOwner owner) {
  switch (owner) {
  case ThreadOwner::App:
    return "the app's (created in its code)";
  case ThreadOwner::AppSpawner:
    return "the app's (a spawner it called)";
  case ThreadOwner::Library:
    return "a library's (created inside libraries)";
  case ThreadOwner::LibraryByName:
    return "a library's (named in a rule pack)";
  case ThreadOwner::LibraryByCreator:
    return "a library's (its creator is named in a rule pack)";
  case ThreadOwner::Unknown:
    return "the app's (no creation stack to decide by)";
  }
  return "?";
}

namespace {

bool processIsApp(const void *, uintptr_t pc) { return classifyAddress(pc) == CodeOrigin::User; }

/// The exported function whose code holds the call before return address
/// `pc`, as a qualified name. dladdr alone names the nearest preceding
/// symbol, which for a static function is some unrelated one; the symbol's
/// size says whether `pc` is really inside it.
bool processFunction(const void *, uintptr_t pc, char *out, size_t cap) {
  Dl_info info;
  void *entry = nullptr;
  if (!pc || !dladdr1(reinterpret_cast<void *>(pc - 1), &info, &entry, RTLD_DL_SYMENT) ||
      !info.dli_sname || !info.dli_saddr || !entry)
    return false;
  const auto *sym = static_cast<const ElfW(Sym) *>(entry);
  uintptr_t start = reinterpret_cast<uintptr_t>(info.dli_saddr);
  if (pc - 1 < start || pc - 1 >= start + sym->st_size)
    return false;
  audit::QualifiedName name;
  if (!audit::qualifiedName(info.dli_sname, name))
    return false;
  Out o(out, cap);
  o.str(name.text);
  return true;
}

} // namespace

FrameOracle processFrameOracle() { return {processIsApp, processFunction, nullptr}; }

} // namespace uisan
