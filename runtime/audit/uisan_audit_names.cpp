#include "uisan_audit_names.h"

#include "uisan/rules/Wildcard.h"
#include "uisan_lines.h"
#include "uisan_out.h"

#include <cstring>

namespace uisan {
namespace audit {

bool globMatches(const char *p, const char *t) {
  // The rule packs' own matcher (rules/include/uisan/rules/Wildcard.h):
  // header-only and allocation-free, so the loader's callbacks may use it,
  // and the checker reads every pattern the same way.
  return wildcard::match(p, t, wildcard::kGlob);
}

namespace {

const char *skipSpace(const char *p) {
  while (*p == ' ' || *p == '\t')
    ++p;
  return p;
}

/// Copies the word at `p` (up to whitespace or end of line) into `out`.
const char *word(const char *p, char *out, size_t cap) {
  size_t n = 0;
  while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
    if (n + 1 < cap)
      out[n++] = *p;
    ++p;
  }
  out[n] = '\0';
  return p;
}

struct KindName {
  const char *name;
  EntryKind kind;
};
const KindName kKinds[] = {
    {"library", EntryKind::Library},   {"ui-thread-library", EntryKind::UiThreadLibrary},
    {"sets-ui-thread", EntryKind::SetsUiThread},
    {"class", EntryKind::Class},       {"class-only", EntryKind::ClassOnly},
    {"function", EntryKind::Function}, {"prefix", EntryKind::Prefix},
    {"except", EntryKind::Except},
    {"region-enter", EntryKind::RegionEnter}, {"region-leave", EntryKind::RegionLeave},
    {"region-guard", EntryKind::RegionGuard},
};

bool fail(char *error, size_t cap, int line, const char *why, const char *what) {
  Out out(error, cap);
  out.str("line ").dec(line).str(": ").str(why);
  if (what[0])
    out.str(" '").str(what).str("'");
  return false;
}

} // namespace

bool Spec::parse(const char *text, char *error, size_t cap) {
  toolkit_count = 0;
  entry_count = 0;
  count_calls = false;
  if (cap)
    error[0] = '\0';
  Lines lines(text);
  const char *p, *end;
  while (lines.next(p, end)) {
    int line = lines.number();
    const char *q = skipSpace(p);
    if (q == end || *q == '#' || *q == '\r')
      continue;
    char key[32], value[256];
    q = skipSpace(word(q, key, sizeof(key)));
    if (!std::strcmp(key, "toolkit")) {
      if (toolkit_count == kAuditMaxToolkits)
        return fail(error, cap, line, "too many toolkits", "");
      SpecToolkit &t = toolkits[toolkit_count];
      char kind[32];
      q = skipSpace(word(q, t.name, sizeof(t.name)));
      q = skipSpace(word(q, kind, sizeof(kind)));
      if (!t.name[0])
        return fail(error, cap, line, "toolkit line without a name", "");
      t.remedy[0] = '\0';
      if (!std::strcmp(kind, "main"))
        t.kind = AuditUiKind::Main;
      else if (!std::strcmp(kind, "first-caller"))
        t.kind = AuditUiKind::FirstCaller;
      else
        return fail(error, cap, line, "UI thread kind must be main or first-caller, not", kind);
      size_t n = static_cast<size_t>(end - q);
      while (n && (q[n - 1] == '\r' || q[n - 1] == ' '))
        --n;
      if (n >= sizeof(t.ui_thread_name))
        n = sizeof(t.ui_thread_name) - 1;
      std::memcpy(t.ui_thread_name, q, n);
      t.ui_thread_name[n] = '\0';
      if (!n)
        std::strcpy(t.ui_thread_name, "UI thread");
      ++toolkit_count;
      continue;
    }
    if (!std::strcmp(key, "count-calls")) {
      count_calls = true;
      continue;
    }
    if (!std::strcmp(key, "remedy")) {
      if (!toolkit_count)
        return fail(error, cap, line, "item before any toolkit line:", key);
      SpecToolkit &t = toolkits[toolkit_count - 1];
      size_t n = static_cast<size_t>(end - q);
      while (n && (q[n - 1] == '\r' || q[n - 1] == ' '))
        --n;
      if (n >= sizeof(t.remedy))
        n = sizeof(t.remedy) - 1;
      std::memcpy(t.remedy, q, n);
      t.remedy[n] = '\0';
      continue;
    }
    const KindName *kind = nullptr;
    for (const KindName &k : kKinds)
      if (!std::strcmp(key, k.name))
        kind = &k;
    if (!kind)
      return fail(error, cap, line, "unknown item", key);
    if (!toolkit_count)
      return fail(error, cap, line, "item before any toolkit line:", key);
    word(q, value, sizeof(value));
    if (!value[0])
      return fail(error, cap, line, "item without a value:", key);
    if (std::strlen(value) >= sizeof(entries[0].text))
      return fail(error, cap, line, "value too long:", value);
    if (entry_count == kMaxEntries)
      return fail(error, cap, line, "too many items", "");
    SpecEntry &e = entries[entry_count++];
    e.kind = kind->kind;
    e.toolkit = static_cast<uint8_t>(toolkit_count - 1);
    e.signature = kind->kind == EntryKind::Except && isSignaturePattern(value);
    std::strcpy(e.text, value);
  }
  return true;
}

int Spec::toolkitOfLibrary(const char *path, bool *ui_thread_only) const {
  const char *slash = std::strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  for (int i = 0; i < entry_count; ++i) {
    const SpecEntry &e = entries[i];
    bool setters = e.kind == EntryKind::UiThreadLibrary;
    if (e.kind != EntryKind::Library && !(setters && ui_thread_only))
      continue;
    if (globMatches(e.text, std::strchr(e.text, '/') ? path : base)) {
      if (ui_thread_only)
        *ui_thread_only = setters;
      return e.toolkit;
    }
  }
  return -1;
}

namespace {

/// Appends to a bounded string; false once it would overflow.
struct Buf {
  char *s;
  size_t cap, n;
  bool ok = true;
  void add(const char *p, size_t len) {
    if (!ok || n + len + 1 > cap) {
      ok = false;
      return;
    }
    std::memcpy(s + n, p, len);
    n += len;
    s[n] = '\0';
  }
  void add(const char *p) { add(p, std::strlen(p)); }
};

struct Part {
  const char *p;
  size_t len;
};

/// <source-name> ::= <positive length> <identifier>
bool sourceName(const char *&p, Part &out) {
  size_t len = 0;
  if (*p < '1' || *p > '9')
    return false;
  while (*p >= '0' && *p <= '9') {
    len = len * 10 + static_cast<size_t>(*p - '0');
    if (len > 1024)
      return false;
    ++p;
  }
  if (std::strlen(p) < len)
    return false;
  out = {p, len};
  p += len;
  return true;
}

/// The operator names a UI API may plausibly have.
const char *operatorName(const char *p) {
  static const char *const kOps[][2] = {
      {"aS", "operator="},  {"eq", "operator=="}, {"ne", "operator!="}, {"lt", "operator<"},
      {"gt", "operator>"},  {"ix", "operator[]"}, {"cl", "operator()"}, {"ls", "operator<<"},
      {"rs", "operator>>"}, {"pL", "operator+="}, {"mI", "operator-="}, {"nt", "operator!"},
  };
  for (const auto &op : kOps)
    if (p[0] == op[0][0] && p[1] == op[0][1])
      return op[1];
  return nullptr;
}

/// Parses the components of an <unqualified-name> sequence ending at 'E'
/// (nested) or after one name (not nested). Ctor/dtor names become the
/// class name / "~" + class name, held in `special`.
bool parseParts(const char *&p, bool nested, Part *parts, int &count, char *special,
                size_t special_cap) {
  count = 0;
  for (;;) {
    if (nested && *p == 'E') {
      ++p;
      return count > 0;
    }
    if (count == QualifiedName::kMaxParts)
      return false;
    Part part;
    if (*p >= '1' && *p <= '9') {
      if (!sourceName(p, part))
        return false;
    } else if (p[0] == 'S' && p[1] == 't' && count == 0) {
      part = {"std", 3};
      p += 2;
    } else if (p[0] == 'C' && (p[1] == '1' || p[1] == '2' || p[1] == '3') && count > 0) {
      part = parts[count - 1];
      p += 2;
    } else if (p[0] == 'D' && (p[1] == '0' || p[1] == '1' || p[1] == '2') && count > 0) {
      Part owner = parts[count - 1];
      if (owner.len + 2 > special_cap)
        return false;
      special[0] = '~';
      std::memcpy(special + 1, owner.p, owner.len);
      part = {special, owner.len + 1};
      p += 2;
    } else if (const char *op = p[0] && p[1] ? operatorName(p) : nullptr) {
      part = {op, std::strlen(op)};
      p += 2;
    } else {
      return false; // templates, substitutions, local names, ...
    }
    parts[count++] = part;
    if (!nested)
      return true;
  }
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

bool qualifiedName(const char *symbol, QualifiedName &out) {
  out.text[0] = '\0';
  out.owner_mangled[0] = '\0';
  out.parts = 0;
  out.owner_end = 0;
  if (!symbol || !symbol[0])
    return false;
  if (symbol[0] != '_' || symbol[1] != 'Z') {
    // A C function.
    size_t n = std::strlen(symbol);
    if (n >= sizeof(out.text))
      return false;
    std::memcpy(out.text, symbol, n + 1);
    out.parts = 1;
    return true;
  }
  const char *p = symbol + 2;
  if (*p == 'L') // internal linkage
    ++p;
  bool nested = *p == 'N';
  if (nested) {
    ++p;
    while (*p == 'r' || *p == 'V' || *p == 'K' || *p == 'R' || *p == 'O')
      ++p;
  } else if (!isDigit(*p) && !(p[0] == 'S' && p[1] == 't')) {
    return false; // special names (_ZTV, _ZTI, _ZThn thunks, ...)
  }
  Part parts[QualifiedName::kMaxParts];
  char special[160];
  int count = 0;
  if (p[0] == 'S' && p[1] == 't' && !nested) {
    // _ZSt<name>: std::<name>
    p += 2;
    Part name;
    if (!sourceName(p, name))
      return false;
    parts[0] = {"std", 3};
    parts[1] = name;
    count = 2;
  } else if (!parseParts(p, nested, parts, count, special, sizeof(special))) {
    return false;
  }
  Buf text{out.text, sizeof(out.text), 0};
  for (int i = 0; i < count; ++i) {
    if (i)
      text.add("::");
    text.add(parts[i].p, parts[i].len);
    if (i == count - 2)
      out.owner_end = static_cast<int>(text.n);
  }
  if (!text.ok)
    return false;
  out.parts = count;
  if (count > 1) {
    Buf m{out.owner_mangled, sizeof(out.owner_mangled), 0};
    if (count > 2)
      m.add("N");
    for (int i = 0; i < count - 1; ++i) {
      if (parts[i].p[0] == 's' && parts[i].len == 3 && !std::strncmp(parts[i].p, "std", 3) &&
          i == 0) {
        m.add("St");
        continue;
      }
      char len[24];
      Out digits(len, sizeof(len));
      digits.udec(parts[i].len);
      m.add(len);
      m.add(parts[i].p, parts[i].len);
    }
    if (count > 2)
      m.add("E");
    if (!m.ok)
      out.owner_mangled[0] = '\0';
  }
  return true;
}

bool demangleClassName(const char *mangled, char *out, size_t cap) {
  const char *p = mangled;
  if (*p == '*')
    ++p;
  bool nested = *p == 'N';
  if (nested)
    ++p;
  Part parts[QualifiedName::kMaxParts];
  char special[8];
  int count = 0;
  if (!parseParts(p, nested, parts, count, special, sizeof(special)) || *p)
    return false;
  Buf b{out, cap, 0};
  if (cap)
    out[0] = '\0';
  for (int i = 0; i < count; ++i) {
    if (i)
      b.add("::");
    b.add(parts[i].p, parts[i].len);
  }
  return b.ok;
}

namespace {

struct ClassQuery {
  const Spec *spec;
  int toolkit;
  bool first; // the owner itself (visited first)
  bool found;
};

bool visitClass(const char *name, void *ctx) {
  auto *q = static_cast<ClassQuery *>(ctx);
  bool owner = q->first;
  q->first = false;
  for (int i = 0; i < q->spec->entry_count; ++i) {
    const SpecEntry &e = q->spec->entries[i];
    if (e.toolkit != q->toolkit)
      continue;
    if ((e.kind == EntryKind::Class || (owner && e.kind == EntryKind::ClassOnly)) &&
        globMatches(e.text, name)) {
      q->found = true;
      return true;
    }
  }
  return false;
}

} // namespace

bool isUiClass(const Spec &spec, int toolkit, const QualifiedName &name,
               const ClassHierarchy &classes) {
  if (!name.owner_end || !classes.any)
    return false;
  ClassQuery q{&spec, toolkit, true, false};
  return classes.any(classes.self, name, visitClass, &q);
}

namespace {

/// The last component of a qualified name ("setText" of "QLabel::setText").
const char *lastPart(const QualifiedName &name) {
  return name.owner_end ? name.text + name.owner_end + 2 : name.text;
}

/// Whether `name` is a constructor ("Foo::Foo") or destructor ("Foo::~Foo")
/// of a class that glob `cls` matches.
bool isGuardMember(const char *cls, const QualifiedName &name, bool &destructor) {
  if (!name.owner_end || name.owner_end >= static_cast<int>(sizeof(name.text)))
    return false;
  char owner[sizeof(name.text)];
  std::memcpy(owner, name.text, static_cast<size_t>(name.owner_end));
  owner[name.owner_end] = '\0';
  const char *simple = std::strrchr(owner, ':');
  simple = simple ? simple + 1 : owner;
  const char *last = lastPart(name);
  destructor = last[0] == '~';
  if (std::strcmp(destructor ? last + 1 : last, simple))
    return false;
  return globMatches(cls, owner);
}

} // namespace

uint16_t classify(const Spec &spec, int toolkit, const char *symbol, const QualifiedName &name,
                  const ClassHierarchy &classes) {
  uint16_t flags = 0;
  bool excepted = false, has_class_rules = false;
  bool is_c = symbol[0] != '_' || symbol[1] != 'Z';
  // The signature, made only when a signature pattern asks for it.
  char signature[512];
  int have_signature = 0; // 0 not yet, 1 made, -1 unknown
  for (int i = 0; i < spec.entry_count; ++i) {
    const SpecEntry &e = spec.entries[i];
    if (e.toolkit != toolkit)
      continue;
    switch (e.kind) {
    case EntryKind::SetsUiThread:
      if (globMatches(e.text, name.text))
        flags |= kStubSetsUiThread;
      break;
    case EntryKind::Function:
      if (globMatches(e.text, name.text))
        flags |= kStubIsUi;
      break;
    case EntryKind::Prefix:
      if (is_c && !std::strncmp(name.text, e.text, std::strlen(e.text)))
        flags |= kStubIsUi;
      break;
    case EntryKind::Except:
      if (!e.signature) {
        excepted |= globMatches(e.text, name.text);
        break;
      }
      if (!have_signature)
        have_signature = symbolSignature(symbol, name, signature, sizeof(signature)) ? 1 : -1;
      excepted |= have_signature > 0 && globMatches(e.text, signature);
      break;
    case EntryKind::RegionEnter:
      if (globMatches(e.text, name.text))
        flags |= kStubRegionEnter;
      break;
    case EntryKind::RegionLeave:
      if (globMatches(e.text, name.text))
        flags |= kStubRegionLeave;
      break;
    case EntryKind::RegionGuard: {
      bool destructor = false;
      if (isGuardMember(e.text, name, destructor))
        flags |= destructor ? kStubRegionLeave : kStubRegionEnter;
      break;
    }
    case EntryKind::Class:
    case EntryKind::ClassOnly:
      has_class_rules = true;
      break;
    case EntryKind::Library:
    case EntryKind::UiThreadLibrary:
      break;
    }
  }
  if (!(flags & kStubIsUi) && has_class_rules && isUiClass(spec, toolkit, name, classes))
    flags |= kStubIsUi;
  // Entering or leaving a lock region is what makes UI calls safe; it is
  // never a UI call itself.
  if (excepted || (flags & (kStubRegionEnter | kStubRegionLeave)))
    flags &= static_cast<uint16_t>(~kStubIsUi);
  return flags;
}

bool isSignaturePattern(const char *text) {
  for (const char *p = text; *p; ++p) {
    if (!std::strncmp(p, "operator()", 10)) {
      p += 9;
      continue;
    }
    if (*p == '(')
      return true;
  }
  return false;
}

namespace {

/// Renders the parameter types of a mangled function the way Clang prints
/// canonical types (white space removed), with the substitution table the
/// mangling refers back to. Fixed buffers only.
struct SignatureParser {
  static constexpr int kMaxSubs = 32;
  const char *p;
  char pool[2048];
  size_t pool_used = 0;
  const char *subs[kMaxSubs];
  bool sub_simple[kMaxSubs]; // a builtin or class type, not a pointer or reference
  int sub_count = 0;

  void addSub(const char *text, size_t n, bool simple) {
    if (sub_count == kMaxSubs || pool_used + n + 1 > sizeof(pool)) {
      sub_count = kMaxSubs + 1; // overflowed: later back-references fail
      return;
    }
    char *s = pool + pool_used;
    std::memcpy(s, text, n);
    s[n] = '\0';
    pool_used += n + 1;
    sub_simple[sub_count] = simple;
    subs[sub_count++] = s;
  }

  static const char *builtin(const char *&q) {
    static const char *const kOne[][2] = {
        {"b", "bool"},          {"c", "char"},      {"a", "signedchar"}, {"h", "unsignedchar"},
        {"s", "short"},         {"t", "unsignedshort"}, {"i", "int"},    {"j", "unsignedint"},
        {"l", "long"},          {"m", "unsignedlong"},  {"x", "longlong"}, {"y", "unsignedlonglong"},
        {"n", "__int128"},      {"o", "unsigned__int128"}, {"f", "float"}, {"d", "double"},
        {"e", "longdouble"},    {"w", "wchar_t"},   {"v", "void"},       {"z", "..."},
    };
    static const char *const kTwo[][2] = {
        {"Ds", "char16_t"}, {"Di", "char32_t"}, {"Du", "char8_t"}, {"Dn", "std::nullptr_t"},
    };
    for (const auto &b : kTwo)
      if (q[0] == b[0][0] && q[1] == b[0][1]) {
        q += 2;
        return b[1];
      }
    for (const auto &b : kOne)
      if (q[0] == b[0][0]) {
        ++q;
        return b[1];
      }
    return nullptr;
  }

  /// <substitution> ::= S_ | S <seq-id> _  (seq-id base 36, 0-9A-Z)
  bool substitution(Buf &out, bool &simple) {
    const char *q = p + 1;
    int index = 0;
    if (*q != '_') {
      int seq = 0;
      while ((*q >= '0' && *q <= '9') || (*q >= 'A' && *q <= 'Z')) {
        seq = seq * 36 + (*q <= '9' ? *q - '0' : *q - 'A' + 10);
        if (seq > 1000)
          return false;
        ++q;
      }
      if (*q != '_' || q == p + 1)
        return false;
      index = seq + 1;
    }
    if (index >= sub_count || sub_count > kMaxSubs)
      return false;
    p = q + 1;
    out.add(subs[index]);
    simple = sub_simple[index];
    return true;
  }

  /// A class or enum name: <source-name>, St <source-name>, a nested name
  /// N ... E, each prefix of which is a substitution candidate.
  bool className(Buf &out) {
    if (*p >= '1' && *p <= '9') {
      Part part;
      if (!sourceName(p, part))
        return false;
      out.add(part.p, part.len);
      addSub(out.s + out.n - part.len, part.len, true);
      return out.ok;
    }
    if (p[0] == 'S' && p[1] == 't') {
      p += 2;
      Part part;
      if (!sourceName(p, part))
        return false;
      out.add("std::");
      out.add(part.p, part.len);
      addSub(out.s + out.n - part.len - 5, part.len + 5, true);
      return out.ok;
    }
    if (*p != 'N')
      return false;
    ++p;
    size_t start = out.n;
    for (int count = 0;; ++count) {
      if (*p == 'E') {
        ++p;
        return count > 0 && out.ok;
      }
      if (count)
        out.add("::");
      bool simple = true;
      if (count == 0 && p[0] == 'S' && p[1] == 't') {
        p += 2;
        out.add("std");
        continue; // "std" alone is no candidate
      }
      if (count == 0 && p[0] == 'S') {
        if (!substitution(out, simple))
          return false;
        continue; // already a candidate
      }
      Part part;
      if (!sourceName(p, part))
        return false; // templates, local names, ...
      out.add(part.p, part.len);
      if (out.ok) // "ns", then "ns::Foo"
        addSub(out.s + start, out.n - start, true);
    }
  }

  /// One <type>; `simple` says whether it is a builtin or class type (so
  /// a const before it prints first: "constchar", not "char*const").
  bool type(Buf &out, bool &simple) {
    if (const char *b = builtin(p)) {
      out.add(b);
      simple = true;
      return out.ok;
    }
    if (*p == 'r' || *p == 'V' || *p == 'K') {
      bool is_const = false, is_volatile = false;
      for (; *p == 'r' || *p == 'V' || *p == 'K'; ++p) {
        is_const |= *p == 'K';
        is_volatile |= *p == 'V';
      }
      char inner[512];
      Buf ib{inner, sizeof(inner), 0};
      inner[0] = '\0';
      bool inner_simple = true;
      if (!type(ib, inner_simple) || !ib.ok)
        return false;
      size_t start = out.n;
      if (inner_simple) {
        out.add(is_const ? "const" : "");
        out.add(is_volatile ? "volatile" : "");
        out.add(inner);
      } else {
        out.add(inner);
        out.add(is_const ? "const" : "");
        out.add(is_volatile ? "volatile" : "");
      }
      simple = inner_simple;
      if (out.ok)
        addSub(out.s + start, out.n - start, simple);
      return out.ok;
    }
    if (*p == 'P' || *p == 'R' || *p == 'O') {
      const char *suffix = *p == 'P' ? "*" : *p == 'R' ? "&" : "&&";
      ++p;
      if (*p == 'F' || *p == 'A' || *p == 'M')
        return false; // pointers to functions, arrays, members: "void(*)(int)"
      size_t start = out.n;
      bool inner_simple = true;
      if (!type(out, inner_simple))
        return false;
      out.add(suffix);
      simple = false;
      if (out.ok)
        addSub(out.s + start, out.n - start, false);
      return out.ok;
    }
    if (p[0] == 'S' && p[1] != 't') {
      if (!substitution(out, simple))
        return false;
      return *p != 'I' && out.ok; // a template's arguments follow: not rendered
    }
    simple = true;
    if (!className(out))
      return false;
    return *p != 'I' && out.ok;
  }
};

} // namespace

bool symbolSignature(const char *symbol, const QualifiedName &name, char *out, size_t cap) {
  if (cap)
    out[0] = '\0';
  if (!symbol || symbol[0] != '_' || symbol[1] != 'Z' || !name.parts)
    return false;
  const char *p = symbol + 2;
  if (*p == 'L')
    ++p;
  bool nested = *p == 'N', is_const = false;
  SignatureParser sp;
  Part parts[QualifiedName::kMaxParts];
  char special[160];
  int count = 0;
  if (nested) {
    ++p;
    for (; *p == 'r' || *p == 'V' || *p == 'K' || *p == 'R' || *p == 'O'; ++p)
      is_const |= *p == 'K';
    if (!parseParts(p, true, parts, count, special, sizeof(special)))
      return false;
    // Every prefix of the function's name is a substitution candidate
    // ("Gtk", "Gtk::Label" of Gtk::Label::set_text); "std" alone is not.
    char prefix[256];
    Buf b{prefix, sizeof(prefix), 0};
    prefix[0] = '\0';
    for (int i = 0; i + 1 < count; ++i) {
      if (i)
        b.add("::");
      b.add(parts[i].p, parts[i].len);
      bool is_std = i == 0 && parts[i].len == 3 && !std::strncmp(parts[i].p, "std", 3);
      if (b.ok && !is_std)
        sp.addSub(prefix, b.n, true);
    }
  } else if (p[0] == 'S' && p[1] == 't') {
    p += 2;
    Part part;
    if (!sourceName(p, part))
      return false;
  } else if (!parseParts(p, false, parts, count, special, sizeof(special))) {
    return false;
  }
  Buf o{out, cap, 0};
  o.add(name.text);
  o.add("(");
  sp.p = p;
  if (sp.p[0] == 'v' && sp.p[1] == '\0') {
    sp.p++;
  } else {
    for (int i = 0; *sp.p; ++i) {
      if (sp.p[0] == 'z' && !sp.p[1])
        break; // a varargs function: "...", which Clang's parameters leave out
      if (i)
        o.add(",");
      char one[512];
      Buf t{one, sizeof(one), 0};
      one[0] = '\0';
      const char *at = sp.p;
      bool simple = true;
      if (!sp.type(t, simple) || !t.ok) {
        o.add(at); // the rest, as mangled: only a '*' matches it
        sp.p = at + std::strlen(at);
        break;
      }
      o.add(one);
    }
  }
  o.add(")");
  if (is_const)
    o.add("const");
  return o.ok;
}

} // namespace audit
} // namespace uisan
