#include "uisan_audit_elf.h"

#include <cstring>
#include <elf.h>

namespace uisan {
namespace audit {

namespace {

uint32_t gnuHash(const char *s) {
  uint32_t h = 5381;
  for (const unsigned char *p = reinterpret_cast<const unsigned char *>(s); *p; ++p)
    h = h * 33 + *p;
  return h;
}

uint32_t sysvHash(const char *s) {
  uint32_t h = 0;
  for (const unsigned char *p = reinterpret_cast<const unsigned char *>(s); *p; ++p) {
    h = (h << 4) + *p;
    uint32_t g = h & 0xf0000000u;
    if (g)
      h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

/// The dynamic loader rewrites most d_ptr entries to run-time addresses;
/// the vDSO's (and a few loaders') are left as link-time values.
uintptr_t dynAddress(const struct link_map *map, ElfW(Addr) value) {
  uintptr_t base = map->l_addr;
  return value < base ? base + value : value;
}

bool defined(const ElfW(Sym) &s) {
  unsigned type = ELF64_ST_TYPE(s.st_info);
  return s.st_shndx != SHN_UNDEF && (type == STT_OBJECT || type == STT_FUNC ||
                                     type == STT_GNU_IFUNC || type == STT_NOTYPE);
}

struct DynTables {
  const ElfW(Sym) *symtab = nullptr;
  const char *strtab = nullptr;
  const uint32_t *gnu = nullptr, *sysv = nullptr;
};

bool dynTables(const struct link_map *map, DynTables &t) {
  if (!map || !map->l_ld)
    return false;
  for (const ElfW(Dyn) *d = map->l_ld; d->d_tag != DT_NULL; ++d) {
    switch (d->d_tag) {
    case DT_SYMTAB:
      t.symtab = reinterpret_cast<const ElfW(Sym) *>(dynAddress(map, d->d_un.d_ptr));
      break;
    case DT_STRTAB:
      t.strtab = reinterpret_cast<const char *>(dynAddress(map, d->d_un.d_ptr));
      break;
    case DT_GNU_HASH:
      t.gnu = reinterpret_cast<const uint32_t *>(dynAddress(map, d->d_un.d_ptr));
      break;
    case DT_HASH:
      t.sysv = reinterpret_cast<const uint32_t *>(dynAddress(map, d->d_un.d_ptr));
      break;
    default:
      break;
    }
  }
  return t.symtab && t.strtab;
}

/// The number of dynamic symbols (the hash tables know it).
uint32_t symbolCount(const DynTables &t) {
  if (t.sysv)
    return t.sysv[1];
  if (!t.gnu)
    return 0;
  uint32_t nbuckets = t.gnu[0], symoffset = t.gnu[1], bloom_size = t.gnu[2];
  const uint32_t *buckets = t.gnu + 4 + bloom_size * (sizeof(ElfW(Addr)) / 4);
  const uint32_t *chain = buckets + nbuckets;
  uint32_t last = 0;
  for (uint32_t b = 0; b < nbuckets; ++b)
    if (buckets[b] > last)
      last = buckets[b];
  if (last < symoffset)
    return symoffset;
  while (!(chain[last - symoffset] & 1))
    ++last;
  return last + 1;
}

} // namespace

void forEachSymbol(const struct link_map *map,
                   void (*fn)(const ElfW(Sym) &sym, const char *name, void *ctx), void *ctx) {
  DynTables t;
  if (!dynTables(map, t))
    return;
  uint32_t n = symbolCount(t);
  for (uint32_t i = 1; i < n; ++i)
    if (defined(t.symtab[i]))
      fn(t.symtab[i], t.strtab + t.symtab[i].st_name, ctx);
}

bool objectLayout(const struct link_map *map, ObjectLayout &out) {
  out = ObjectLayout{0, 0, 0, 0};
  // The first PT_LOAD of a shared object maps its ELF and program headers.
  auto *eh = reinterpret_cast<const ElfW(Ehdr) *>(map->l_addr);
  if (!map->l_addr || std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_phentsize != sizeof(ElfW(Phdr)))
    return false;
  auto *ph = reinterpret_cast<const ElfW(Phdr) *>(map->l_addr + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; ++i) {
    uintptr_t a = map->l_addr + ph[i].p_vaddr, b = a + ph[i].p_memsz;
    if (ph[i].p_type == PT_LOAD) {
      if (!out.start || a < out.start)
        out.start = a;
      if (b > out.end)
        out.end = b;
    } else if (ph[i].p_type == PT_GNU_RELRO) {
      out.relro_start = a;
      out.relro_end = b;
    }
  }
  return out.end > out.start;
}

void *lookupSymbol(const struct link_map *map, const char *name) {
  DynTables t;
  if (!dynTables(map, t))
    return nullptr;
  const ElfW(Sym) *symtab = t.symtab;
  const char *strtab = t.strtab;
  const uint32_t *gnu = t.gnu, *sysv = t.sysv;
  auto match = [&](uint32_t i) -> void * {
    const ElfW(Sym) &s = symtab[i];
    if (defined(s) && !std::strcmp(strtab + s.st_name, name))
      return reinterpret_cast<void *>(map->l_addr + s.st_value);
    return nullptr;
  };
  if (gnu) {
    uint32_t nbuckets = gnu[0], symoffset = gnu[1], bloom_size = gnu[2];
    if (!nbuckets)
      return nullptr;
    const uint32_t *buckets = gnu + 4 + bloom_size * (sizeof(ElfW(Addr)) / 4);
    const uint32_t *chain = buckets + nbuckets;
    uint32_t h = gnuHash(name);
    uint32_t i = buckets[h % nbuckets];
    if (i < symoffset)
      return nullptr;
    for (;; ++i) {
      uint32_t h2 = chain[i - symoffset];
      if ((h | 1) == (h2 | 1))
        if (void *p = match(i))
          return p;
      if (h2 & 1)
        return nullptr;
    }
  }
  if (sysv) {
    uint32_t nbucket = sysv[0];
    if (!nbucket)
      return nullptr;
    const uint32_t *bucket = sysv + 2, *chain = bucket + nbucket;
    for (uint32_t i = bucket[sysvHash(name) % nbucket]; i; i = chain[i])
      if (void *p = match(i))
        return p;
  }
  return nullptr;
}

void RttiHierarchy::setRuntime(const struct link_map *libstdcxx) {
  runtime_ = libstdcxx;
  si_vptr_ = vmi_vptr_ = 0;
}

void RttiHierarchy::addObject(const struct link_map *map) {
  if (count_ < kMaxObjects)
    objects_[count_++] = map;
}

void RttiHierarchy::removeObject(const struct link_map *map) {
  for (int i = 0; i < count_; ++i)
    if (objects_[i] == map) {
      objects_[i] = objects_[--count_];
      return;
    }
  if (map == runtime_)
    setRuntime(nullptr);
}

bool RttiHierarchy::walk(const void *ti, ClassHierarchy::Visitor visit, void *ctx,
                         int depth) const {
  if (!ti || depth > 32)
    return false;
  // type_info: { vptr, const char *name }; then, for a class with one
  // public non-virtual base at offset 0: { const type_info *base }; for
  // any other class with bases: { unsigned flags, unsigned count,
  // { const type_info *base, long offset_flags }[count] }.
  auto words = static_cast<const uintptr_t *>(ti);
  char name[256];
  if (demangleClassName(reinterpret_cast<const char *>(words[1]), name, sizeof(name)) &&
      visit(name, ctx))
    return true;
  if (si_vptr_ && words[0] == si_vptr_)
    return walk(reinterpret_cast<const void *>(words[2]), visit, ctx, depth + 1);
  if (vmi_vptr_ && words[0] == vmi_vptr_) {
    auto counts = reinterpret_cast<const unsigned *>(&words[2]);
    unsigned n = counts[1] > 64 ? 64 : counts[1];
    for (unsigned i = 0; i < n; ++i)
      if (walk(reinterpret_cast<const void *>(words[3 + 2 * i]), visit, ctx, depth + 1))
        return true;
  }
  return false;
}

bool RttiHierarchy::anyThunk(const void *self, const QualifiedName &owner,
                             ClassHierarchy::Visitor visit, void *ctx) {
  auto *h = static_cast<const RttiHierarchy *>(self);
  if (h->runtime_ && !h->si_vptr_) {
    auto vt = [&](const char *sym) {
      auto p = reinterpret_cast<uintptr_t>(lookupSymbol(h->runtime_, sym));
      return p ? p + 2 * sizeof(void *) : 0;
    };
    h->si_vptr_ = vt("_ZTVN10__cxxabiv120__si_class_type_infoE");
    h->vmi_vptr_ = vt("_ZTVN10__cxxabiv121__vmi_class_type_infoE");
  }
  const void *ti = nullptr;
  if (owner.owner_mangled[0]) {
    char sym[200] = "_ZTI";
    std::strncat(sym, owner.owner_mangled, sizeof(sym) - 5);
    for (int i = 0; i < h->count_ && !ti; ++i)
      ti = lookupSymbol(h->objects_[i], sym);
  }
  if (ti)
    return h->walk(ti, visit, ctx, 0);
  // No RTTI for the class (not polymorphic, or not exported): its own name.
  char name[256];
  size_t n = static_cast<size_t>(owner.owner_end);
  if (n >= sizeof(name))
    return false;
  std::memcpy(name, owner.text, n);
  name[n] = '\0';
  return visit(name, ctx);
}

} // namespace audit
} // namespace uisan
