// uisan_suppressions.h - the suppressions file: `kind:pattern` lines; a
// report is dropped when the pattern matches the function, file or module
// of a frame of its stacks, the UI call's name or the thread's name. `*` is a wildcard and
// a pattern matches anywhere in the name unless anchored with ^ or $.
#ifndef UISAN_SUPPRESSIONS_H
#define UISAN_SUPPRESSIONS_H

#include "uisan_report.h"

#include <cstddef>

namespace uisan {

/// A parsed suppressions file; fixed capacity, no allocation.
class Suppressions {
public:
  static constexpr int kMaxEntries = 256;

  /// Parses `text` (the file's contents); `source` names it in errors.
  /// Returns false with `error` ("file:line: ...") at the first bad line.
  bool parse(const char *text, const char *source, char *error, size_t error_cap);
  /// Reads and parses a file.
  bool load(const char *path, char *error, size_t error_cap);
  bool matches(const Report &report) const;
  /// True when a line of `kind` matches the UI call's name alone: a call
  /// grouped into another's report is dropped by it as its own report
  /// would be.
  bool matchesName(ReportKind kind, const char *name) const;
  int size() const { return count_; }
  /// Hits per entry, for verbosity output.
  int hits(int i) const { return hits_[i]; }

private:
  struct Entry {
    ReportKind kind;
    char pattern[256];
  };
  Entry entries_[kMaxEntries];
  mutable int hits_[kMaxEntries];
  int count_; // zero-initialised: no constructor runs after libuisan's own
};

/// Glob match with `*`; implicitly unanchored unless ^/$ are used.
bool suppressionPatternMatches(const char *pattern, const char *text);

} // namespace uisan

#endif
