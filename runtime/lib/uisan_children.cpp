#include "uisan_children.h"
#include "uisan_out.h"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace uisan {

namespace {

bool isListSeparator(char c) { return c == ':' || c == ' '; }

bool named(const char *entry, size_t len, const char *const *names) {
  const char *base = entry;
  for (size_t i = 0; i < len; ++i)
    if (entry[i] == '/')
      base = entry + i + 1;
  size_t base_len = len - static_cast<size_t>(base - entry);
  for (const char *const *n = names; *n; ++n)
    if (std::strlen(*n) == base_len && !std::strncmp(base, *n, base_len))
      return true;
  return false;
}

/// Scrubs the variable `name` of uisan's libraries; unsets it if nothing
/// is left.
void scrub(const char *name) {
  static const char *const kOurs[] = {"libuisan.so", "libuisan_audit.so", nullptr};
  char *value = getenv(name);
  if (!value || !removeListEntries(value, kOurs) || value[0])
    return;
  unsetenv(name);
}

} // namespace

int removeListEntries(char *list, const char *const *names) {
  int removed = 0;
  char *out = list;
  const char *p = list;
  while (*p) {
    while (*p && isListSeparator(*p))
      ++p;
    const char *start = p;
    while (*p && !isListSeparator(*p))
      ++p;
    size_t len = static_cast<size_t>(p - start);
    if (!len)
      break;
    if (named(start, len, names)) {
      ++removed;
      continue;
    }
    if (out != list)
      *out++ = ':';
    std::memmove(out, start, len);
    out += len;
  }
  *out = '\0';
  return removed;
}

bool absoluteOutputPath(const char *path, const char *cwd, char *out, size_t cap) {
  Out o(out, cap);
  if (!path[0] || path[0] == '/' || !std::strcmp(path, "stderr") || !std::strcmp(path, "stdout"))
    o.str(path);
  else
    o.str(cwd).str(cwd[0] && cwd[std::strlen(cwd) - 1] == '/' ? "" : "/").str(path);
  return o.size() + 1 < cap;
}

void prepareChildren(bool follow, char *log_path, char *json_path, char *suppressions,
                     size_t cap) {
  if (!follow) {
    scrub("LD_PRELOAD");
    scrub("LD_AUDIT");
    return;
  }
  char cwd[1024];
  if (!getcwd(cwd, sizeof(cwd)))
    return;
  // The children read UISAN_OPTIONS again: the same options, the paths
  // made absolute at the end (later values win). putenv keeps the buffer
  // and, for a variable that exists, allocates nothing.
  static char options[8192];
  Out o(options, sizeof(options));
  const char *old = getenv("UISAN_OPTIONS");
  o.str("UISAN_OPTIONS=").str(old ? old : "");
  char *paths[] = {log_path, json_path, suppressions};
  const char *keys[] = {":log_path=", ":json_path=", ":suppressions="};
  for (int i = 0; i < 3; ++i) {
    char absolute[1024];
    if (!paths[i][0] || !absoluteOutputPath(paths[i], cwd, absolute, sizeof(absolute)) ||
        std::strlen(absolute) >= cap)
      continue;
    std::strcpy(paths[i], absolute);
    o.str(keys[i]).str(absolute);
  }
  if (old && o.size() + 1 < sizeof(options))
    putenv(options);
}

} // namespace uisan
