#include "uisan_suppressions.h"
#include "uisan_out.h"

#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace uisan {
namespace {

// A pattern is literal segments joined by '*'. Matching each segment at its
// leftmost place after the previous one is exact for such patterns, and with
// memmem (two-way search, linear) it costs O(pattern + text). Backtracking
// on the last '*' instead costs O(pattern x text) per start position: a
// file of long patterns like 'aaa...b' or 'a*a*...b' then held up every
// report for many seconds (found with suppressions_fuzzer's full frames).
bool segmentAt(const char *t, const char *te, const char *s, const char *se) {
  size_t n = static_cast<size_t>(se - s);
  return n <= static_cast<size_t>(te - t) && std::memcmp(t, s, n) == 0;
}

// The first place of [s, se) in [t, te), or nullptr.
const char *find(const char *t, const char *te, const char *s, const char *se) {
  size_t n = static_cast<size_t>(se - s);
  if (n == 1) // the common '*x*' piece; memchr is much cheaper than memmem
    return static_cast<const char *>(std::memchr(t, *s, te - t));
  return static_cast<const char *>(memmem(t, static_cast<size_t>(te - t), s, n));
}

bool globMatch(const char *p, const char *pe, const char *t, const char *te,
               bool anchored_begin, bool anchored_end) {
  if (anchored_begin) {
    const char *star = static_cast<const char *>(std::memchr(p, '*', pe - p));
    const char *se = star ? star : pe;
    if (!segmentAt(t, te, p, se))
      return false;
    t += se - p;
    if (!star)
      return !anchored_end || t == te;
    p = star + 1;
  }
  // From here on the pattern follows a '*' (explicit, or the implicit one
  // of an unanchored pattern): every segment but the last floats.
  for (;;) {
    const char *star = static_cast<const char *>(std::memchr(p, '*', pe - p));
    if (!star)
      break;
    if (star > p) {
      const char *at = find(t, te, p, star);
      if (!at)
        return false;
      t = at + (star - p);
    }
    p = star + 1;
  }
  // The last segment ends the text, after what the others took.
  if (anchored_end)
    return pe - p <= te - t && segmentAt(te - (pe - p), te, p, pe);
  return p == pe || find(t, te, p, pe);
}

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
  return globMatch(p, pe, text, text + std::strlen(text), anchored_begin,
                   anchored_end);
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
