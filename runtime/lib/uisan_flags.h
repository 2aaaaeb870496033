// uisan_flags.h - the runtime's options (UISAN_OPTIONS), parsed without
// allocation so the same parser runs in libuisan's constructor and in
// uisan-run before the app starts.
#ifndef UISAN_FLAGS_H
#define UISAN_FLAGS_H

#include <cstddef>

namespace uisan {

/// A string option's value, stored inline so Flags can be copied freely.
struct FlagString {
  char value[1024];
  const char *c_str() const { return value; }
  bool empty() const { return value[0] == '\0'; }
};

/// Every option, one member per UISAN_FLAG line.
struct Flags {
#define UISAN_FLAG_TYPE_bool bool
#define UISAN_FLAG_TYPE_int int
#define UISAN_FLAG_TYPE_str FlagString
#define UISAN_FLAG(type, name, def, lo, hi, help) UISAN_FLAG_TYPE_##type name;
#include "uisan_flags.inc"
#undef UISAN_FLAG
  /// All options at their defaults.
  void setDefaults();
};

/// Why an option string was rejected: names the option and the valid range.
struct FlagError {
  char message[512];
};

/// Parses `text` ("a=1:b=x", ':' or whitespace separated) over `flags`.
/// Returns false and fills `error` at the first bad option; options before
/// it have been applied.
bool parseFlags(const char *text, Flags &flags, FlagError &error);

/// Writes the help text (every option, its default, range and current
/// value) to `fd`.
void printFlagsHelp(const Flags &flags, int fd);

/// Exit status of a process whose UISAN_OPTIONS are invalid (documented).
constexpr int kBadOptionsExitCode = 2;

} // namespace uisan

#endif
