// For malloc_guard_selftest.py only: a dladdr1 that allocates, as a libc
// function the runtime calls on its report path might. With it preloaded
// between the guard and libuisan, the guard must stop the program.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

int dladdr1(const void *address, Dl_info *info, void **extra, int flags) {
  static int (*real)(const void *, Dl_info *, void **, int);
  if (!real)
    real = (int (*)(const void *, Dl_info *, void **, int))dlsym(RTLD_NEXT, "dladdr1");
  void *volatile block = malloc(16); // volatile: not optimized away
  free(block);
  return real(address, info, extra, flags);
}
