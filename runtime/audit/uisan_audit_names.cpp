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

uint16_t classify(const Spec &spec, int toolkit, const char *symbol, const QualifiedName &name,
                  const ClassHierarchy &classes) {
  uint16_t flags = 0;
  bool excepted = false, has_class_rules = false;
  bool is_c = symbol[0] != '_' || symbol[1] != 'Z';
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
      excepted |= globMatches(e.text, name.text);
      break;
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
  if (excepted)
    flags &= static_cast<uint16_t>(~kStubIsUi);
  return flags;
}

} // namespace audit
} // namespace uisan
