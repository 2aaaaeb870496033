#include "uisan_flags.h"
#include "uisan_out.h"

#include <cstdlib>
#include <cstring>

namespace uisan {

void Flags::setDefaults() {
#define UISAN_FLAG_SET_bool(name, def) name = def;
#define UISAN_FLAG_SET_int(name, def) name = def;
#define UISAN_FLAG_SET_str(name, def)                                          \
  std::strncpy(name.value, def, sizeof(name.value) - 1);                       \
  name.value[sizeof(name.value) - 1] = '\0';
#define UISAN_FLAG(type, name, def, lo, hi, help) UISAN_FLAG_SET_##type(name, def)
#include "uisan_flags.inc"
#undef UISAN_FLAG
}

namespace {

void setError(FlagError &error, const char *a, const char *b = "",
              const char *c = "", const char *d = "", const char *e = "") {
  Out out(error.message, sizeof(error.message));
  out.str(a).str(b).str(c).str(d).str(e);
}

bool parseBool(const char *v, bool &out) {
  if (!std::strcmp(v, "1") || !std::strcmp(v, "true") || !std::strcmp(v, "yes")) {
    out = true;
    return true;
  }
  if (!std::strcmp(v, "0") || !std::strcmp(v, "false") || !std::strcmp(v, "no")) {
    out = false;
    return true;
  }
  return false;
}

bool parseInt(const char *v, long lo, long hi, int &out) {
  if (!*v)
    return false;
  char *end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n < lo || n > hi)
    return false;
  out = static_cast<int>(n);
  return true;
}

bool setBool(const char *name, const char *v, bool &out, FlagError &error) {
  if (parseBool(v, out))
    return true;
  setError(error, "bad value '", v, "' for option '", name,
           "': expected 0, 1, true, false, yes or no");
  return false;
}

bool setInt(const char *name, const char *v, long lo, long hi, int &out,
            FlagError &error) {
  if (parseInt(v, lo, hi, out))
    return true;
  char range[64];
  Out r(range, sizeof(range));
  r.str("an integer in [").dec(lo).str(", ").dec(hi).str("]");
  setError(error, "bad value '", v, "' for option '", name, "': expected ");
  Out more(error.message + std::strlen(error.message),
           sizeof(error.message) - std::strlen(error.message));
  more.str(range);
  return false;
}

bool setStr(const char *name, const char *v, FlagString &out, FlagError &error) {
  if (std::strlen(v) >= sizeof(out.value)) {
    setError(error, "bad value for option '", name,
             "': expected a string of at most 1023 characters");
    return false;
  }
  std::strcpy(out.value, v);
  return true;
}

bool applyFlag(Flags &flags, const char *name, const char *value,
               FlagError &error) {
#define UISAN_FLAG_APPLY_bool(n, lo, hi) return setBool(#n, value, flags.n, error);
#define UISAN_FLAG_APPLY_int(n, lo, hi)                                        \
  return setInt(#n, value, lo, hi, flags.n, error);
#define UISAN_FLAG_APPLY_str(n, lo, hi) return setStr(#n, value, flags.n, error);
#define UISAN_FLAG(type, n, def, lo, hi, help)                                 \
  if (!std::strcmp(name, #n)) {                                                \
    UISAN_FLAG_APPLY_##type(n, lo, hi)                                         \
  }
#include "uisan_flags.inc"
#undef UISAN_FLAG
  setError(error, "unknown option '", name,
           "'; run with UISAN_OPTIONS=help=1 for the list");
  return false;
}

bool isSeparator(char c) {
  return c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

bool parseFlags(const char *text, Flags &flags, FlagError &error) {
  error.message[0] = '\0';
  if (!text)
    return true;
  const char *p = text;
  while (*p) {
    while (*p && isSeparator(*p))
      ++p;
    if (!*p)
      break;
    const char *start = p;
    while (*p && !isSeparator(*p))
      ++p;
    char token[1200];
    size_t len = static_cast<size_t>(p - start);
    if (len >= sizeof(token)) {
      setError(error, "option too long in UISAN_OPTIONS");
      return false;
    }
    std::memcpy(token, start, len);
    token[len] = '\0';
    char *eq = std::strchr(token, '=');
    if (!eq || eq == token) {
      setError(error, "malformed option '", token, "': expected name=value");
      return false;
    }
    *eq = '\0';
    if (!applyFlag(flags, token, eq + 1, error))
      return false;
  }
  return true;
}

void printFlagsHelp(const Flags &flags, int fd) {
  char buf[512];
  {
    Out out(buf, sizeof(buf));
    out.str("uisan: options (UISAN_OPTIONS=name=value:name=value):\n");
    out.flushTo(fd);
  }
#define UISAN_FLAG_VALUE_bool(out, n) out.str(flags.n ? "1" : "0");
#define UISAN_FLAG_VALUE_int(out, n) out.dec(flags.n);
#define UISAN_FLAG_VALUE_str(out, n) out.str("'").str(flags.n.c_str()).str("'");
#define UISAN_FLAG_RANGE_bool(out, lo, hi) out.str(" (0|1)");
#define UISAN_FLAG_RANGE_int(out, lo, hi)                                      \
  out.str(" [").dec(lo).str(", ").dec(hi).str("]");
#define UISAN_FLAG_RANGE_str(out, lo, hi) out.str(" (string)");
#define UISAN_FLAG(type, n, def, lo, hi, help)                                 \
  {                                                                            \
    Out out(buf, sizeof(buf));                                                 \
    out.str("  ").str(#n);                                                     \
    UISAN_FLAG_RANGE_##type(out, lo, hi) out.str(" = ");                       \
    UISAN_FLAG_VALUE_##type(out, n) out.str("\n      ").str(help).str("\n");   \
    out.flushTo(fd);                                                           \
  }
#include "uisan_flags.inc"
#undef UISAN_FLAG
}

} // namespace uisan
