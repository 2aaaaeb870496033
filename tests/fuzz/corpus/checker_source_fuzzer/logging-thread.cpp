// Seed (Jeamlit): a fire-and-forget thread that only logs is tolerable.
//   new Thread(() -> {System.out.println("Log some traces")}).start();
#include <seed/threading.h>

#include <cstdio>

void app() {
  seed::Thread([] { std::puts("Log some traces"); }).start();
}
