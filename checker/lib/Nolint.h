//===- Nolint.h - NOLINT comments, read the way clang-tidy reads them -----===//
//
// Findings of the whole program are made after every TU is gone, so
// clang-tidy's own NOLINT handling (which needs the TU's SourceManager)
// cannot see them; this reads the same comments from the files' text:
// `NOLINT`, `NOLINTNEXTLINE` and `NOLINTBEGIN`/`NOLINTEND`, each alone (all
// checks) or with a list of check globs, `NOLINT(uisan-*,other)`.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_NOLINT_H
#define UISAN_CHECKER_NOLINT_H

#include "Finding.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <string>
#include <vector>

namespace uisan::tidy {

/// Answers "is this finding place suppressed?", reading each file once.
class NolintFilter {
public:
  /// `Text` returns a file's contents ("" when it cannot be read).
  explicit NolintFilter(std::function<std::string(llvm::StringRef File)> Text)
      : Text(std::move(Text)) {}

  bool suppressed(const SourceLocationInfo &Loc, llvm::StringRef Check);

  /// One NOLINT comment of a file.
  struct Directive {
    enum Kind { SameLine, NextLine, Begin, End } K = SameLine;
    unsigned Line = 0;
    std::string Checks; ///< the text in parentheses; "" means every check
  };
  /// Every NOLINT comment of `Text`, in order (exposed for tests).
  static std::vector<Directive> parse(llvm::StringRef Text);
  /// True when `Checks` (a directive's list) covers `Check`.
  static bool covers(llvm::StringRef Checks, llvm::StringRef Check);

private:
  struct Range {
    unsigned First = 0, Last = 0;
    std::string Checks;
  };
  struct Marks {
    std::vector<Directive> Lines; ///< SameLine and NextLine directives
    std::vector<Range> Ranges;    ///< BEGIN..END, an open BEGIN to the end
  };
  const Marks &marks(llvm::StringRef File);

  std::function<std::string(llvm::StringRef)> Text;
  llvm::StringMap<Marks> Files;
};

} // namespace uisan::tidy

#endif
