#include "uisan_symbolizer.h"
#include "uisan_out.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

extern char **environ;

namespace uisan {
namespace {

bool g_enabled = true;
char g_path[1024];
char g_exe[1024];
int g_fd = -1;
bool g_failed = false;
char g_reply[16384];
char *g_envp[1024];

const char *findSymbolizer() {
  if (g_path[0])
    return access(g_path, X_OK) == 0 ? g_path : nullptr;
  static const char *const kCandidates[] = {
      "/usr/bin/llvm-symbolizer-19", "/usr/lib/llvm-19/bin/llvm-symbolizer",
      "/usr/bin/llvm-symbolizer"};
  for (const char *c : kCandidates)
    if (access(c, X_OK) == 0)
      return c;
  return nullptr;
}

const char *g_exec_path;

bool start() {
  if (g_fd >= 0)
    return true;
  if (g_failed || !g_enabled)
    return false;
  g_failed = true; // until proven otherwise
  g_exec_path = findSymbolizer();
  if (!g_exec_path)
    return false;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return false;
  // The child must not load libuisan again nor inherit our options.
  int n = 0;
  for (char **e = environ; e && *e && n < 1023; ++e)
    if (std::strncmp(*e, "LD_PRELOAD=", 11) && std::strncmp(*e, "UISAN_", 6))
      g_envp[n++] = *e;
  g_envp[n] = nullptr;
  static char *argv[] = {nullptr,
                        const_cast<char *>("--inlining=true"),
                        const_cast<char *>("--demangle"),
                        const_cast<char *>("--functions=linkage"), nullptr};
  argv[0] = const_cast<char *>(g_exec_path);
  // vfork: no atfork handlers run (we may hold runtime locks), nothing is
  // copied, and the child only rewires descriptors before execve.
  pid_t pid = vfork();
  if (pid == 0) {
    dup2(sv[1], 0);
    dup2(sv[1], 1);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, 2);
    execve(g_exec_path, argv, g_envp);
    _exit(127);
  }
  close(sv[1]);
  if (pid < 0) {
    close(sv[0]);
    return false;
  }
  g_fd = sv[0];
  g_failed = false;
  return true;
}

void stop() {
  if (g_fd >= 0)
    close(g_fd);
  g_fd = -1;
  g_failed = true;
}

bool sendAll(const char *data, size_t len) {
  while (len) {
    ssize_t n = send(g_fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

/// Reads one reply (terminated by an empty line) into g_reply.
bool readReply() {
  size_t len = 0;
  for (;;) {
    if (len >= 2 && g_reply[len - 1] == '\n' && g_reply[len - 2] == '\n')
      break;
    if (len + 1 >= sizeof(g_reply))
      return false;
    struct pollfd p = {g_fd, POLLIN, 0};
    int r = poll(&p, 1, 60000); // generous: correctness never depends on speed
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    ssize_t n = read(g_fd, g_reply + len, sizeof(g_reply) - 1 - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    len += static_cast<size_t>(n);
  }
  g_reply[len] = '\0';
  return true;
}

void copy(char *dst, size_t cap, const char *src, size_t len) {
  if (len >= cap)
    len = cap - 1;
  std::memcpy(dst, src, len);
  dst[len] = '\0';
}

const char *moduleOf(uintptr_t pc, uintptr_t &offset) {
  Dl_info info;
  struct link_map *lm = nullptr;
  if (!dladdr1(reinterpret_cast<void *>(pc), &info,
               reinterpret_cast<void **>(&lm), RTLD_DL_LINKMAP) ||
      !lm) {
    offset = pc;
    return "";
  }
  offset = pc - lm->l_addr;
  if (!info.dli_fname || !info.dli_fname[0] || lm->l_name == nullptr ||
      !lm->l_name[0]) {
    if (!g_exe[0]) {
      ssize_t n = readlink("/proc/self/exe", g_exe, sizeof(g_exe) - 1);
      g_exe[n > 0 ? n : 0] = '\0';
    }
    return g_exe;
  }
  return info.dli_fname;
}

} // namespace

int parseSymbolizerReply(const char *reply, uintptr_t pc, const char *module,
                         uintptr_t offset, bool user, Frame *out, int max) {
  int n = 0;
  const char *p = reply;
  while (*p && *p != '\n' && n < max) {
    const char *fn_end = std::strchr(p, '\n');
    if (!fn_end)
      break;
    const char *loc = fn_end + 1;
    const char *loc_end = std::strchr(loc, '\n');
    if (!loc_end)
      break;
    Frame &f = out[n++];
    f.pc = pc;
    f.module_offset = offset;
    f.origin_user = user;
    copy(f.module, sizeof(f.module), module, std::strlen(module));
    copy(f.function, sizeof(f.function), p, static_cast<size_t>(fn_end - p));
    if (!std::strcmp(f.function, "??"))
      f.function[0] = '\0';
    // loc is file:line:col; file may contain ':'; split from the right.
    const char *colon2 = loc_end;
    while (colon2 > loc && *colon2 != ':')
      --colon2;
    const char *colon1 = colon2 > loc ? colon2 - 1 : loc;
    while (colon1 > loc && *colon1 != ':')
      --colon1;
    f.line = 0;
    f.file[0] = '\0';
    if (colon1 > loc) {
      copy(f.file, sizeof(f.file), loc, static_cast<size_t>(colon1 - loc));
      for (const char *d = colon1 + 1; d < colon2 && *d >= '0' && *d <= '9'; ++d)
        f.line = f.line * 10 + (*d - '0');
    }
    if (!std::strcmp(f.file, "??"))
      f.file[0] = '\0';
    p = loc_end + 1;
  }
  return n;
}

void symbolizerInit(bool enabled, const char *path) {
  g_enabled = enabled;
  copy(g_path, sizeof(g_path), path ? path : "", path ? std::strlen(path) : 0);
}

void symbolizerAfterForkChild() {
  if (g_fd >= 0)
    close(g_fd);
  g_fd = -1;
  g_failed = false;
}

void symbolizeStack(const StackTrace &raw, Stack &out) {
  out.size = 0;
  for (int i = 0; i < raw.size && out.size < kMaxReportFrames; ++i) {
    uintptr_t pc = raw.pc[i];
    uintptr_t offset = 0;
    const char *module = moduleOf(pc, offset);
    bool user = classifyAddress(pc) == CodeOrigin::User;
    int got = 0;
    if (module[0] && start()) {
      char req[1400];
      Out q(req, sizeof(req));
      // Return addresses point after the call; look up the call itself.
      q.str("\"").str(module).str("\" ").hex(offset - 1).str("\n");
      if (sendAll(q.data(), q.size()) && readReply())
        got = parseSymbolizerReply(g_reply, pc, module, offset, user, out.frames + out.size,
                         kMaxReportFrames - out.size);
      else
        stop();
    }
    if (got == 0) {
      Frame &f = out.frames[out.size];
      f.pc = pc;
      f.function[0] = f.file[0] = '\0';
      f.line = 0;
      f.module_offset = offset;
      f.origin_user = user;
      copy(f.module, sizeof(f.module), module, std::strlen(module));
      got = 1;
    }
    // The inline wrappers of uisan.h are the runtime's API, not the caller.
    for (int k = 0; k < got;) {
      Frame &f = out.frames[out.size + k];
      size_t n = std::strlen(f.file);
      if (n >= 13 && !std::strcmp(f.file + n - 13, "uisan/uisan.h")) {
        for (int m = k; m + 1 < got; ++m)
          out.frames[out.size + m] = out.frames[out.size + m + 1];
        --got;
      } else {
        ++k;
      }
    }
    // Code inlined from system headers (std::thread's constructor, a Qt
    // inline) is not the app's, whichever module holds it.
    for (int k = 0; k < got; ++k)
      if (out.frames[out.size + k].origin_user && isSystemSourceFile(out.frames[out.size + k].file))
        out.frames[out.size + k].origin_user = false;
    out.size += got;
  }
}

} // namespace uisan
