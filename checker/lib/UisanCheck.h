//===- UisanCheck.h - what every uisan check shares ------------*- C++ -*-===//
#ifndef UISAN_CHECKER_UISANCHECK_H
#define UISAN_CHECKER_UISANCHECK_H

#include "RuleIndex.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/Expr.h"

#include <memory>
#include <string>

namespace uisan::tidy {

/// Base of the uisan checks: the rule packs (option RulePacks) and the
/// library-code filter (option LibraryPrefixes), set up once per TU.
class UisanCheck : public clang::tidy::ClangTidyCheck {
protected:
  UisanCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  void storeCommonOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts);
  /// Sets up Index and Library on a TU's first match.
  void beginTranslationUnit(const clang::SourceManager &SM);
  /// Drops what pointed into the TU's AST.
  void endTranslationUnit();

  const std::string RulePacks;
  const std::string LibraryPrefixes;
  std::shared_ptr<const RuleDB> DB;
  std::unique_ptr<RuleIndex> Index;
  std::unique_ptr<LibraryCode> Library;
};

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
