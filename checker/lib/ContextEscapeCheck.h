//===- ContextEscapeCheck.h - uisan-context-escape -------------*- C++ -*-===//
#ifndef UISAN_CHECKER_CONTEXTESCAPECHECK_H
#define UISAN_CHECKER_CONTEXTESCAPECHECK_H

#include "UisanCheck.h"

namespace uisan::tidy {

/// Finds a run's context attached to a thread that can outlive the function
/// that owns the run: detached, stored, moved out, or not joined on some
/// path before it returns.
///
/// Docs: docs/checks/uisan-context-escape.md
class ContextEscapeCheck : public UisanCheck {
public:
  ContextEscapeCheck(llvm::StringRef Name,
                     clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onEndOfTranslationUnit() override;

private:
  void checkAttach(
      clang::ASTContext &Ctx, const clang::FunctionDecl *FD,
      const clang::CallExpr *Call,
      const llvm::DenseMap<const clang::VarDecl *, const clang::VarDecl *>
          &ElementOf);
};

} // namespace uisan::tidy

#endif
