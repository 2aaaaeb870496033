// uisan_audit_elf.h - reading loaded objects from the audit module: a
// dynamic-symbol lookup on a link_map, and the class hierarchy as the
// objects' own RTTI (std::type_info records) describes it.
#ifndef UISAN_AUDIT_ELF_H
#define UISAN_AUDIT_ELF_H

#include "uisan_audit_names.h"

#include <link.h>

namespace uisan {
namespace audit {

/// The address of the defined dynamic symbol `name` in `map`, or nullptr.
/// Uses DT_GNU_HASH (or DT_HASH); the object must be relocated.
void *lookupSymbol(const struct link_map *map, const char *name);

/// Calls `fn(sym, name, ctx)` for every defined dynamic symbol of `map`
/// (st_value not yet relocated: add map->l_addr).
void forEachSymbol(const struct link_map *map,
                   void (*fn)(const ElfW(Sym) &sym, const char *name, void *ctx), void *ctx);

/// Where `map`'s segments are in memory: its loaded range and its RELRO
/// range (read-only once relocated); false if its headers are not mapped.
struct ObjectLayout {
  uintptr_t start, end;
  uintptr_t relro_start, relro_end; // 0, 0: none
};
bool objectLayout(const struct link_map *map, ObjectLayout &out);

/// Walks the type_info records of the C++ ABI the objects use.
class RttiHierarchy {
public:
  static constexpr int kMaxObjects = 64;

  /// `libstdcxx`: the object defining the type_info classes' vtables.
  void setRuntime(const struct link_map *libstdcxx);
  /// Objects searched for a class's typeinfo symbol ("_ZTI...").
  void addObject(const struct link_map *map);
  void removeObject(const struct link_map *map);
  /// The ClassHierarchy for classify().
  ClassHierarchy view() const { return {&anyThunk, this}; }

private:
  static bool anyThunk(const void *self, const QualifiedName &owner,
                       ClassHierarchy::Visitor visit, void *ctx);
  bool walk(const void *type_info, ClassHierarchy::Visitor visit, void *ctx, int depth) const;

  const struct link_map *objects_[kMaxObjects] = {};
  int count_ = 0;
  const struct link_map *runtime_ = nullptr;
  // Addresses type_info records of single- and multiple-inheritance
  // classes point at (vtable + 2 words); 0 until resolved.
  mutable uintptr_t si_vptr_ = 0, vmi_vptr_ = 0;
};

} // namespace audit
} // namespace uisan

#endif
