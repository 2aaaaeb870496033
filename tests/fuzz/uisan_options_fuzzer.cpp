// uisan_options_fuzzer: UISAN_OPTIONS as the runtime parses it, in
// libuisan's constructor and in uisan-run, before anything else runs.
//
// Besides "no crash", it checks what the runtime relies on: a rejected
// string always says why, an accepted one leaves every int inside its
// documented range and every string terminated, and the options print
// (help=1) and reparse to the same values.
#include "uisan_flags.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

void fail(const char *what) {
  std::fprintf(stderr, "uisan_options_fuzzer: %s\n", what);
  std::abort();
}

bool terminated(const char *s, size_t cap) { return ::strnlen(s, cap) < cap; }

// Every option as name=value, in the form parseFlags reads back.
std::string render(const uisan::Flags &f) {
  std::string s;
#define UISAN_FLAG_RENDER_bool(n) s += f.n ? "1" : "0";
#define UISAN_FLAG_RENDER_int(n) s += std::to_string(f.n);
#define UISAN_FLAG_RENDER_str(n) s += f.n.c_str();
#define UISAN_FLAG(type, n, def, lo, hi, help)                                 \
  s += #n "=";                                                                 \
  UISAN_FLAG_RENDER_##type(n) s += ':';
#include "uisan_flags.inc"
#undef UISAN_FLAG
  return s;
}

bool same(const uisan::Flags &a, const uisan::Flags &b) {
#define UISAN_FLAG_SAME_bool(n) (a.n == b.n)
#define UISAN_FLAG_SAME_int(n) (a.n == b.n)
#define UISAN_FLAG_SAME_str(n) (std::strcmp(a.n.c_str(), b.n.c_str()) == 0)
#define UISAN_FLAG(type, n, def, lo, hi, help)                                 \
  if (!UISAN_FLAG_SAME_##type(n))                                              \
    return false;
#include "uisan_flags.inc"
#undef UISAN_FLAG
  return true;
}

void checkValid(const uisan::Flags &f) {
#define UISAN_FLAG_VALID_bool(n, lo, hi)
#define UISAN_FLAG_VALID_int(n, lo, hi)                                        \
  if (f.n < (lo) || f.n > (hi))                                                \
    fail("int option '" #n "' outside its range");
#define UISAN_FLAG_VALID_str(n, lo, hi)                                        \
  if (!terminated(f.n.value, sizeof(f.n.value)))                               \
    fail("string option '" #n "' not terminated");
#define UISAN_FLAG(type, n, def, lo, hi, help) UISAN_FLAG_VALID_##type(n, lo, hi)
#include "uisan_flags.inc"
#undef UISAN_FLAG
}

int devNull = -1;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  devNull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // UISAN_OPTIONS is a C string: nothing after a NUL reaches the parser.
  std::string text(reinterpret_cast<const char *>(data), size);

  uisan::Flags flags;
  flags.setDefaults();
  uisan::FlagError error;
  std::memset(error.message, 'x', sizeof(error.message));
  bool ok = uisan::parseFlags(text.c_str(), flags, error);
  if (!terminated(error.message, sizeof(error.message)))
    fail("error message not terminated");
  if (ok != (error.message[0] == '\0'))
    fail(ok ? "accepted, with an error message" : "rejected without a reason");
  // Options before a bad one are applied (documented), so both must hold.
  checkValid(flags);
  if (devNull >= 0)
    uisan::printFlagsHelp(flags, devNull);

  // Values never contain a separator, so the rendering reparses exactly.
  uisan::Flags again;
  again.setDefaults();
  std::string rendered = render(flags);
  if (!uisan::parseFlags(rendered.c_str(), again, error))
    fail("the options' own rendering was rejected");
  if (!same(flags, again))
    fail("the options' rendering reparsed to other values");
  return 0;
}
