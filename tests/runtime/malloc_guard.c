// A test-only LD_PRELOAD library: every malloc-family call made while the
// calling thread is inside libuisan (on an intercept or report path, not
// in a real function it calls for the app, such as pthread_create) aborts
// the process, naming the function and its caller. run_fixture.py preloads
// it ahead of libuisan for every fixture, so the rule "no allocation on
// the intercept and report paths" is checked on what the runtime really
// does, including what snprintf, strerror or a libc call it makes would
// allocate.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static int (*in_runtime)(void);

// libuisan is loaded by the time preloaded constructors run (all preloads
// are mapped first); the lookup itself may allocate, before the hook is set.
__attribute__((constructor)) static void find_hook(void) {
  in_runtime = (int (*)(void))dlsym(RTLD_DEFAULT, "__uisan_testing_in_runtime");
}

static void check(const char *what, void *caller) {
  if (!in_runtime || !in_runtime())
    return;
  char buf[600];
  size_t n = 0;
  const char *parts[] = {"uisan malloc guard: ", what, " called inside libuisan, from ", "?", "\n"};
  Dl_info info;
  if (dladdr(caller, &info) && info.dli_sname)
    parts[3] = info.dli_sname;
  else if (info.dli_fname)
    parts[3] = info.dli_fname;
  for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); ++i) {
    size_t len = strlen(parts[i]);
    if (n + len >= sizeof(buf))
      break;
    memcpy(buf + n, parts[i], len);
    n += len;
  }
  if (write(2, buf, n) < 0) {
  }
  abort();
}

void *malloc(size_t n) {
  check("malloc", __builtin_return_address(0));
  return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
  check("calloc", __builtin_return_address(0));
  return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
  check("realloc", __builtin_return_address(0));
  return __libc_realloc(p, n);
}
void free(void *p) {
  if (p)
    check("free", __builtin_return_address(0));
  __libc_free(p);
}
void *memalign(size_t a, size_t n) {
  check("memalign", __builtin_return_address(0));
  return __libc_memalign(a, n);
}
void *aligned_alloc(size_t a, size_t n) {
  check("aligned_alloc", __builtin_return_address(0));
  return __libc_memalign(a, n);
}
int posix_memalign(void **out, size_t a, size_t n) {
  check("posix_memalign", __builtin_return_address(0));
  void *p = __libc_memalign(a, n);
  if (!p)
    return 12; // ENOMEM
  *out = p;
  return 0;
}
void *valloc(size_t n) {
  check("valloc", __builtin_return_address(0));
  return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n);
}
void *pvalloc(size_t n) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  check("pvalloc", __builtin_return_address(0));
  return __libc_memalign(page, (n + page - 1) / page * page);
}
