// uisan_lines.h - the lines of a text, one by one, for the runtime's
// line-oriented formats (the audit module's toolkit spec, libuisan's
// thread spec): no allocation, no copies.
#ifndef UISAN_LINES_H
#define UISAN_LINES_H

#include <cstring>

namespace uisan {

/// Walks the lines of a NUL-terminated text (nullptr: none).
class Lines {
public:
  explicit Lines(const char *text) : p_(text ? text : "") {}
  /// The next line as [begin, end), without its '\n'; false after the last.
  bool next(const char *&begin, const char *&end) {
    if (!*p_)
      return false;
    ++number_;
    begin = p_;
    end = std::strchr(p_, '\n');
    if (!end)
      end = p_ + std::strlen(p_);
    p_ = *end ? end + 1 : end;
    return true;
  }
  /// 1-based number of the line `next` gave last.
  int number() const { return number_; }

private:
  const char *p_;
  int number_ = 0;
};

} // namespace uisan

#endif
