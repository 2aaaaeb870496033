// checker_source_fuzzer: uisan-tidy, through the same driver the command
// uses (runUisanTidy), on a mutated C++ source with the seed-model headers
// on the include path, then every printer over the findings.
//
// A source that does not compile is fine (it becomes an error finding); a
// crash, sanitizer report, leak or an input that runs past libFuzzer's
// -timeout is not. The driver, like clang-tidy, reads its TUs from disk, so
// each input is written to a file in a temporary directory of its own and
// removed right after (libFuzzer usually ends with _Exit, so clean-up at
// exit would not run).
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

bool UsePch = false;

/// The input as a file in a fresh temporary directory, for one run.
class TempInput {
public:
  TempInput(const uint8_t *Data, size_t Size) {
    const char *Tmp = std::getenv("TMPDIR");
    std::string Template = std::string(Tmp && *Tmp ? Tmp : "/tmp") +
                           "/uisan-fuzz-XXXXXX";
    if (!::mkdtemp(Template.data()))
      die("mkdtemp");
    Dir = Template;
    File = Dir + "/input.cpp";
    std::FILE *F = std::fopen(File.c_str(), "wb");
    if (!F)
      die(File.c_str());
    bool Ok = std::fwrite(Data, 1, Size, F) == Size;
    if (std::fclose(F) != 0 || !Ok)
      die(File.c_str());
  }
  ~TempInput() {
    ::unlink(File.c_str());
    ::rmdir(Dir.c_str());
  }
  TempInput(const TempInput &) = delete;
  TempInput &operator=(const TempInput &) = delete;

  std::string Dir;
  std::string File;

private:
  [[noreturn]] static void die(const char *What) {
    std::perror(What);
    std::exit(1);
  }
};

uisan::tidy::RunResult check(const TempInput &Input) {
  uisan::tidy::Config C;
  C.Files = {Input.File};
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
#ifdef UISAN_FUZZ_PCH
  // A PCH from another Clang release, or older than a seed header, is
  // refused by clang; then every input would be a compile error.
  const char *NoPch = std::getenv("UISAN_FUZZ_NO_PCH");
  UsePch = !(NoPch && *NoPch && *NoPch != '0');
  static const char Probe[] = "void probe() { seed::Thread([] {}).start(); }\n";
  if (UsePch && hasErrors(check(TempInput(
                     reinterpret_cast<const uint8_t *>(Probe), sizeof(Probe) - 1)))) {
    std::fprintf(stderr, "checker_source_fuzzer: %s does not load; parsing the "
                         "headers for every input instead (rebuild the target)\n",
                 UISAN_FUZZ_PCH);
    UsePch = false;
  }
#endif
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  TempInput Input(Data, Size);
  uisan::tidy::RunResult R = check(Input);
  (void)R.exitCode();

  llvm::raw_null_ostream Null;
  uisan::tidy::SourceCache Sources;
  uisan::tidy::printText(Null, R.Findings, Sources);
  uisan::tidy::printJson(Null, R.Findings, Sources, Input.Dir);
  uisan::tidy::printSarif(Null, R.Findings, Sources, Input.Dir,
                          uisan::tidy::versionString());
  return 0;
}
