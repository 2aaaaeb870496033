// uisan_out.h - a bounded, allocation-free text builder; every report and
// message of the runtime is formatted into one of these and written with
// write(2).
#ifndef UISAN_OUT_H
#define UISAN_OUT_H

#include <cstddef>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace uisan {

/// Appends text to a fixed buffer, truncating silently when it is full.
class Out {
public:
  Out(char *buf, size_t cap) : buf_(buf), cap_(cap), len_(0) {
    if (cap_)
      buf_[0] = '\0';
  }
  Out &str(const char *s) {
    if (!s)
      return *this;
    while (*s)
      ch(*s++);
    return *this;
  }
  Out &ch(char c) {
    if (len_ + 1 < cap_) {
      buf_[len_++] = c;
      buf_[len_] = '\0';
    }
    return *this;
  }
  Out &dec(long long v) {
    if (v < 0) {
      ch('-');
      return udec(static_cast<unsigned long long>(-(v + 1)) + 1);
    }
    return udec(static_cast<unsigned long long>(v));
  }
  Out &udec(unsigned long long v) {
    char tmp[24];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    while (n)
      ch(tmp[--n]);
    return *this;
  }
  /// 0x-prefixed hex, zero-padded to `width` digits.
  Out &hex(uint64_t v, int width = 0) {
    char tmp[17];
    int n = 0;
    do {
      tmp[n++] = "0123456789abcdef"[v & 15];
      v >>= 4;
    } while (v);
    str("0x");
    for (int i = n; i < width; ++i)
      ch('0');
    while (n)
      ch(tmp[--n]);
    return *this;
  }
  /// A JSON string literal, quotes included.
  Out &json(const char *s) {
    ch('"');
    for (; s && *s; ++s) {
      unsigned char c = static_cast<unsigned char>(*s);
      if (c == '"' || c == '\\') {
        ch('\\');
        ch(static_cast<char>(c));
      } else if (c < 0x20) {
        str("\\u00");
        ch("0123456789abcdef"[c >> 4]);
        ch("0123456789abcdef"[c & 15]);
      } else {
        ch(static_cast<char>(c));
      }
    }
    return ch('"');
  }
  const char *data() const { return buf_; }
  size_t size() const { return len_; }
  /// Writes everything to `fd` (retrying short writes) and empties the buffer.
  void flushTo(int fd) {
    size_t done = 0;
    while (done < len_) {
      ssize_t n = ::write(fd, buf_ + done, len_ - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += static_cast<size_t>(n);
    }
    len_ = 0;
    if (cap_)
      buf_[0] = '\0';
  }

private:
  char *buf_;
  size_t cap_;
  size_t len_;
};

} // namespace uisan

#endif
