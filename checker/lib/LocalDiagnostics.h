//===- LocalDiagnostics.h - findings one TU decides, kept as facts --------===//
//
// The lifecycle analyses need the AST (they run Clang's CFG), so they run
// while facts are extracted and their findings become facts too; a run from
// the cache then reports them without parsing. The interface mirrors
// ClangTidyCheck::diag(): a format with %0..%9 and arguments streamed in.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_LOCALDIAGNOSTICS_H
#define UISAN_CHECKER_LOCALDIAGNOSTICS_H

#include "FactExtractor.h"
#include "Facts.h"

#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace uisan::tidy {

/// Writes the findings of one check into a TU's facts.
class LocalDiagnostics {
public:
  LocalDiagnostics(facts::TranslationUnit &TU, LocationTable &Locations,
                   llvm::StringRef Check)
      : TU(TU), Locations(Locations), Check(Check.str()) {}

  /// Formats on destruction, like clang's DiagnosticBuilder.
  class Builder {
  public:
    Builder(LocalDiagnostics &Owner, clang::SourceLocation Loc,
            llvm::StringRef Format, clang::DiagnosticIDs::Level Level)
        : Owner(Owner), Loc(Loc), Format(Format.str()), Level(Level) {}
    Builder(const Builder &) = delete;
    ~Builder();
    Builder &operator<<(llvm::StringRef S) {
      Args.push_back(S.str());
      return *this;
    }
    Builder &operator<<(const std::string &S) {
      Args.push_back(S);
      return *this;
    }
    Builder &operator<<(const char *S) {
      Args.push_back(S);
      return *this;
    }
    Builder &operator<<(unsigned N) {
      Args.push_back(std::to_string(N));
      return *this;
    }
    /// Marks a note as one of the finding's ways out of the scope, which
    /// exists only if `IfThrows` (a function key) may throw, or always.
    Builder &exit(facts::Str IfThrows) {
      IsExit = true;
      this->IfThrows = IfThrows;
      return *this;
    }
    /// A fix-it of the warning: replace the characters of `Range` (a range
    /// of one file, outside macros) with `Text`.
    Builder &fix(clang::CharSourceRange Range, llvm::StringRef Text) {
      Fixes.push_back({Range, Text.str()});
      return *this;
    }

  private:
    LocalDiagnostics &Owner;
    clang::SourceLocation Loc;
    std::string Format;
    clang::DiagnosticIDs::Level Level;
    llvm::SmallVector<std::string, 4> Args;
    bool IsExit = false;
    facts::Str IfThrows = facts::NoStr;
    llvm::SmallVector<std::pair<clang::CharSourceRange, std::string>, 1> Fixes;
  };

  /// A warning, or with Level Note a note of the last warning.
  Builder diag(clang::SourceLocation Loc, llvm::StringRef Format,
               clang::DiagnosticIDs::Level Level = clang::DiagnosticIDs::Warning) {
    return Builder(*this, Loc, Format, Level);
  }

  facts::TranslationUnit &unit() { return TU; }
  LocationTable &locations() { return Locations; }

private:
  facts::TranslationUnit &TU;
  LocationTable &Locations;
  std::string Check;
  bool HasWarning = false;
};

/// Substitutes %0..%9 in `Format`.
std::string formatDiagnostic(llvm::StringRef Format,
                             llvm::ArrayRef<std::string> Args);

} // namespace uisan::tidy

#endif
