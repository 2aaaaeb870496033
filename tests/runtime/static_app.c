/* Statically linked on purpose (see tests/runtime/CMakeLists.txt). */
#include <stdio.h>

int main(void) {
  puts("static app ran");
  return 0;
}
