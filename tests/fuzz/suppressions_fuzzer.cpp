// suppressions_fuzzer: the suppressions file (UISAN_OPTIONS=suppressions=),
// parsed at start-up and matched against every report's frames.
//
// The parser must accept or reject any text with a terminated
// "file:line: ..." message and never more than kMaxEntries entries; matching
// the parsed patterns against a few fixed reports must not crash, read out
// of bounds, or take long (libFuzzer's -timeout).
#include "uisan_report.h"
#include "uisan_suppressions.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace {

void fail(const char *what) {
  std::fprintf(stderr, "suppressions_fuzzer: %s\n", what);
  std::abort();
}

void setFrame(uisan::Frame &f, const char *function, const char *file,
              const char *module) {
  std::strncpy(f.function, function, sizeof(f.function) - 1);
  std::strncpy(f.file, file, sizeof(f.file) - 1);
  std::strncpy(f.module, module, sizeof(f.module) - 1);
}

// Reports the runtime makes: one of each kind, with full stacks (as deep
// and with names as long as a Frame holds) besides a few real frames, so a
// pattern that is slow to match shows up as a timeout.
struct Reports {
  uisan::Report items[uisan::kNumReportKinds];
  Reports() {
    std::string longName = "ns::detail::" + std::string(230, 'a') + "::run()";
    std::string longFile = "/src/" + std::string(240, 'a') + "/x.cpp";
    for (int k = 0; k < uisan::kNumReportKinds; ++k) {
      uisan::Report &r = items[k];
      r.clear();
      r.kind = static_cast<uisan::ReportKind>(k);
      std::strcpy(r.what, k == 0 ? "st::DeltaGenerator::write" : "std::thread");
      r.stack.size = uisan::kMaxReportFrames;
      setFrame(r.stack.frames[0], "st::DeltaGenerator::write(std::string const&)",
               "runtime/examples/seedhost/src/page_api.cpp", "/usr/lib/libseedhost.so");
      setFrame(r.stack.frames[1], "operator()", "fixtures/runtime/option2_no_join.cpp",
               "/build/rtfx_option2_no_join");
      for (int i = 2; i < r.stack.size; ++i)
        setFrame(r.stack.frames[i], longName.c_str(), longFile.c_str(), longFile.c_str());
      r.thread.created.size = 16;
      setFrame(r.thread.created.frames[0], "pthread_create", "", "/lib/x86_64-linux-gnu/libc.so.6");
      setFrame(r.thread.created.frames[1], "app::Pool::start()", "/src/third_party/pool.cpp",
               "/usr/lib/libvendor.so");
      for (int i = 2; i < r.thread.created.size; ++i)
        setFrame(r.thread.created.frames[i], longName.c_str(), "", "");
    }
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::unique_ptr<Reports> reports = std::make_unique<Reports>();
  // The loader hands parse() a NUL-terminated file; so do we.
  std::string text(reinterpret_cast<const char *>(data), size);

  // Value-initialised, like the zeroed static instance in libuisan.
  auto s = std::make_unique<uisan::Suppressions>();
  char error[256];
  std::memset(error, 'x', sizeof(error));
  bool ok = s->parse(text.c_str(), "fuzz.supp", error, sizeof(error));
  if (::strnlen(error, sizeof(error)) == sizeof(error))
    fail("error message not terminated");
  if (ok != (error[0] == '\0'))
    fail(ok ? "accepted, with an error message" : "rejected without a reason");
  if (!ok && std::strncmp(error, "fuzz.supp:", 10) != 0)
    fail("error does not name the file and line");
  if (s->size() < 0 || s->size() > uisan::Suppressions::kMaxEntries)
    fail("entry count out of bounds");

  // Entries before a bad line stay parsed; the runtime refuses the file
  // then, but matching them must still be safe.
  for (const uisan::Report &r : reports->items)
    (void)s->matches(r);
  return 0;
}
