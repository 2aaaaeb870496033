// checker_source_fuzzer: uisan-tidy, through the same driver the command
// uses (runUisanTidy), on a mutated C++ source with the seed-model headers
// on the include path, then every printer over the findings.
//
// A source that does not compile is fine (it becomes an error finding); a
// crash, sanitizer report, leak or an input that runs past libFuzzer's
// -timeout is not. The input is written to one file in a private temporary
// directory: the driver, like clang-tidy, reads its TUs from disk.
//
// The standard and seed-model headers come precompiled (-include-pch, see
// checker_source_fuzzer_prelude.h), a quarter less time per input (most of
// the rest is clang matching over the standard headers);
// UISAN_FUZZ_NO_PCH=1 parses them from source instead.
#include "Findings.h"
#include "UisanTidy.h"

#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {

std::string Dir;
std::string File;
bool UsePch = false;

void removeDir() {
  if (!File.empty())
    ::unlink(File.c_str());
  if (!Dir.empty())
    ::rmdir(Dir.c_str());
}

bool writeInput(const uint8_t *Data, size_t Size) {
  std::FILE *F = std::fopen(File.c_str(), "wb");
  if (!F)
    return false;
  bool Ok = std::fwrite(Data, 1, Size, F) == Size;
  return std::fclose(F) == 0 && Ok;
}

uisan::tidy::RunResult check(const uint8_t *Data, size_t Size) {
  if (!writeInput(Data, Size)) {
    std::perror("checker_source_fuzzer: cannot write the input");
    std::exit(1);
  }
  uisan::tidy::Config C;
  C.Files = {File};
  C.HasFixedArgs = true;
  C.FixedArgs = {"-std=c++17",
                 "-I" UISAN_FUZZ_FIXTURES_DIR "/seed/include",
                 // Bounds clang's own work on pathological inputs, so the
                 // time goes to the checks.
                 "-ferror-limit=20", "-ftemplate-depth=128",
                 "-fconstexpr-steps=100000"};
#ifdef UISAN_FUZZ_PCH
  if (UsePch) {
    C.FixedArgs.push_back("-include-pch");
    C.FixedArgs.push_back(UISAN_FUZZ_PCH);
  }
#endif
  C.Jobs = 1;
  return uisan::tidy::runUisanTidy(C);
}

bool hasErrors(const uisan::tidy::RunResult &R) {
  if (!R.Errors.empty())
    return true;
  for (const uisan::tidy::Finding &F : R.Findings)
    if (F.Severity == uisan::tidy::Finding::Level::Error)
      return true;
  return false;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *Tmp = std::getenv("TMPDIR");
  std::string Template = std::string(Tmp && *Tmp ? Tmp : "/tmp") +
                         "/uisan-fuzz-XXXXXX";
  if (!::mkdtemp(Template.data())) {
    std::perror("checker_source_fuzzer: mkdtemp");
    std::exit(1);
  }
  Dir = Template;
  File = Dir + "/input.cpp";
  std::atexit(removeDir);

#ifdef UISAN_FUZZ_PCH
  // A PCH from another Clang release, or older than a seed header, is
  // refused by clang; then every input would be a compile error.
  const char *NoPch = std::getenv("UISAN_FUZZ_NO_PCH");
  UsePch = !(NoPch && *NoPch && *NoPch != '0');
  static const char Probe[] = "void probe() { seed::Thread([] {}).start(); }\n";
  if (UsePch && hasErrors(check(reinterpret_cast<const uint8_t *>(Probe),
                                sizeof(Probe) - 1))) {
    std::fprintf(stderr, "checker_source_fuzzer: %s does not load; parsing the "
                         "headers for every input instead (rebuild the target)\n",
                 UISAN_FUZZ_PCH);
    UsePch = false;
  }
#endif
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  uisan::tidy::RunResult R = check(Data, Size);
  (void)R.exitCode();

  llvm::raw_null_ostream Null;
  uisan::tidy::SourceCache Sources;
  uisan::tidy::printText(Null, R.Findings, Sources);
  uisan::tidy::printJson(Null, R.Findings);
  uisan::tidy::printSarif(Null, R.Findings, Sources, Dir,
                          uisan::tidy::versionString());
  return 0;
}
