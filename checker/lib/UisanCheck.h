//===- UisanCheck.h - what every uisan check shares ------------*- C++ -*-===//
//
// Every uisan check is a client of the program model (ProgramModel.h). Its
// clang-tidy side is the same for all: on a TU's AST it extracts the TU's
// facts (once for all uisan checks of that TU), then either
//  - hands them to uisan-tidy, which links the facts of every TU it checks
//    and runs the checks on the whole program (FactsSink), or
//  - inside clang-tidy (the plugin), links the one TU and reports this
//    check's findings through clang-tidy's diagnostics.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_UISANCHECK_H
#define UISAN_CHECKER_UISANCHECK_H

#include "Facts.h"
#include "Finding.h"
#include "RuleIndex.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <memory>
#include <optional>
#include <string>

namespace uisan::tidy {

class ProgramModel;
struct SharedUnit;

/// Where uisan-tidy collects the facts of the TU its worker thread is
/// checking; while one is installed on a thread, the checks on it extract
/// and hand over instead of reporting.
struct FactsSink {
  std::optional<facts::TranslationUnit> Unit;
  bool WithDependencies = true;
  /// Also hash each file's contents (the cache compares them); without,
  /// only paths, sizes and times are recorded.
  bool HashDependencies = true;
};

/// Installs `Sink` for the calling thread while this lives.
class ScopedFactsSink {
public:
  explicit ScopedFactsSink(FactsSink &Sink);
  ~ScopedFactsSink();

private:
  FactsSink *Previous;
};

/// True for a finding place the source marks NOLINT for `Check` (NOLINT,
/// NOLINTNEXTLINE, NOLINTBEGIN/END, with or without a list of check globs).
using SuppressedFn =
    llvm::function_ref<bool(const SourceLocationInfo &, llvm::StringRef Check)>;

/// Base of the uisan checks.
class UisanCheck : public clang::tidy::ClangTidyCheck {
public:
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const
      override {
    return LangOpts.CPlusPlus || LangOpts.C99;
  }

  /// This check's findings on a linked program.
  virtual void findings(const ProgramModel &Program, SuppressedFn Suppressed,
                        std::vector<Finding> &Out) const = 0;

protected:
  UisanCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  ~UisanCheck() override;

  void storeCommonOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts);

  const std::string RulePacks;
  const std::string LibraryPrefixes;
  std::shared_ptr<const RuleDB> DB;

private:
  std::shared_ptr<SharedUnit> Unit;
};

/// Extracts the facts of the TU of `Ctx`: the program facts, the per-TU
/// findings of every uisan check (lifecycle), and, when asked, the files it
/// read, with their hashes if `HashDependencies` (for the cache).
facts::TranslationUnit extractTranslationUnit(clang::ASTContext &Ctx,
                                              std::shared_ptr<const RuleDB> DB,
                                              llvm::StringRef LibraryPrefixes,
                                              bool WithDependencies,
                                              bool HashDependencies = true);

/// The per-TU findings of `Check` that the facts carry.
void localFindings(const ProgramModel &Program, llvm::StringRef Check,
                   SuppressedFn Suppressed, std::vector<Finding> &Out);

/// The arguments of a call or construction as written (a member operator
/// call's object is not one of them).
llvm::SmallVector<const clang::Expr *, 8> callArguments(const clang::Expr *Call);

/// The variable a thread argument names: `t`, `*t`, `*ptr` through a smart
/// pointer's operator*, `&t`. Null for anything else.
const clang::VarDecl *threadVariable(const clang::Expr *ThreadArg);

/// The function a call or construction invokes, if known statically.
const clang::FunctionDecl *directCallee(const clang::Expr *Call);

} // namespace uisan::tidy

#endif
