#include "uisan_suppressions.h"
#include "uisan_out.h"

#include "uisan/rules/Wildcard.h"

#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace uisan {
namespace {

bool frameMatches(const char *pattern, const Frame &f) {
  return suppressionPatternMatches(pattern, f.function) ||
         suppressionPatternMatches(pattern, f.file) ||
         suppressionPatternMatches(pattern, f.module);
}

bool stackMatches(const char *pattern, const Stack &s) {
  for (int i = 0; i < s.size; ++i)
    if (frameMatches(pattern, s.frames[i]))
      return true;
  return false;
}

} // namespace

bool suppressionPatternMatches(const char *pattern, const char *text) {
  if (!text || !*text)
    return false;
  bool anchored_begin = pattern[0] == '^';
  const char *p = pattern + (anchored_begin ? 1 : 0);
  size_t n = std::strlen(p);
  bool anchored_end = n && p[n - 1] == '$';
  const char *pe = p + n - (anchored_end ? 1 : 0);
  // A lone '$' has never matched anything (only non-empty suffixes were
  // tried); keep it that way rather than have it suppress every report.
  if (!anchored_begin && p == pe && anchored_end)
    return false;
  // The rule packs' matcher (linear, allocation-free), with '?' literal as
  // suppressions have always read it, and the anchors as flags.
  unsigned flags = (anchored_begin ? wildcard::kAnchorBegin : 0u) |
                   (anchored_end ? wildcard::kAnchorEnd : 0u);
  return wildcard::match(p, static_cast<size_t>(pe - p), text, std::strlen(text), flags);
}

bool Suppressions::parse(const char *text, const char *source, char *error,
                         size_t error_cap) {
  int line_no = 0;
  const char *p = text;
  while (*p) {
    ++line_no;
    const char *end = std::strchr(p, '\n');
    if (!end)
      end = p + std::strlen(p);
    const char *b = p, *e = end;
    while (b < e && (*b == ' ' || *b == '\t'))
      ++b;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
      --e;
    p = *end ? end + 1 : end;
    if (b == e || *b == '#')
      continue;
    const char *colon = static_cast<const char *>(std::memchr(b, ':', e - b));
    Out err(error, error_cap);
    if (!colon || colon + 1 == e) {
      err.str(source).str(":").dec(line_no).str(": expected 'kind:pattern', e.g. 'thread-leak:my_pool_start'");
      return false;
    }
    ReportKind kind;
    if (!parseReportKind(b, colon - b, kind)) {
      err.str(source).str(":").dec(line_no).str(": unknown report kind '");
      for (const char *c = b; c < colon; ++c)
        err.ch(*c);
      err.str("'; expected ui-call-off-thread, context-leak, stale-context, thread-leak or executor-leak");
      return false;
    }
    size_t len = static_cast<size_t>(e - colon - 1);
    if (count_ >= kMaxEntries || len >= sizeof(entries_[0].pattern)) {
      err.str(source).str(":").dec(line_no).str(": too many suppressions or pattern too long (max 256 entries of 255 characters)");
      return false;
    }
    entries_[count_].kind = kind;
    std::memcpy(entries_[count_].pattern, colon + 1, len);
    entries_[count_].pattern[len] = '\0';
    ++count_;
  }
  if (error_cap)
    error[0] = '\0';
  return true;
}

bool Suppressions::load(const char *path, char *error, size_t error_cap) {
  static char text[65536];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  Out err(error, error_cap);
  if (fd < 0) {
    err.str("cannot open suppressions file '").str(path).str("'");
    return false;
  }
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, text + len, sizeof(text) - 1 - len);
    if (n <= 0)
      break;
    len += static_cast<size_t>(n);
    if (len + 1 >= sizeof(text))
      break;
  }
  close(fd);
  text[len] = '\0';
  return parse(text, path, error, error_cap);
}

bool Suppressions::matchesName(ReportKind kind, const char *name) const {
  for (int i = 0; i < count_; ++i)
    if (entries_[i].kind == kind && suppressionPatternMatches(entries_[i].pattern, name)) {
      ++hits_[i];
      return true;
    }
  return false;
}

bool Suppressions::matches(const Report &r) const {
  for (int i = 0; i < count_; ++i) {
    const Entry &e = entries_[i];
    if (e.kind != r.kind)
      continue;
    if (suppressionPatternMatches(e.pattern, r.what) ||
        suppressionPatternMatches(e.pattern, r.thread.name) ||
        stackMatches(e.pattern, r.stack) ||
        stackMatches(e.pattern, r.thread.created)) {
      ++hits_[i];
      return true;
    }
  }
  return false;
}

} // namespace uisan
