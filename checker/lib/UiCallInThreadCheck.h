//===- UiCallInThreadCheck.h - uisan-ui-call-in-thread ---------*- C++ -*-===//
#ifndef UISAN_CHECKER_UICALLINTHREADCHECK_H
#define UISAN_CHECKER_UICALLINTHREADCHECK_H

#include "UisanCheck.h"

#include <memory>
#include <vector>

namespace uisan::tidy {

/// Finds UI calls (per the rule packs) that can run on a thread started by a
/// spawner, through any chain of helpers whose bodies are visible.
///
/// Docs: docs/checks/uisan-ui-call-in-thread.md
class UiCallInThreadCheck : public UisanCheck {
public:
  UiCallInThreadCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const
      override {
    return LangOpts.CPlusPlus || LangOpts.C99;
  }

private:
  /// A thread start found in the TU, analysed once the TU is complete.
  struct Spawn {
    const clang::Expr *Call = nullptr;      ///< null for an override
    const clang::Expr *Callable = nullptr;  ///< the argument it runs
    const clang::CXXMethodDecl *Override = nullptr;
    std::string OverriddenName;             ///< e.g. 'QThread::run'
    const clang::VarDecl *Holder = nullptr; ///< the variable owning the thread
  };

  /// Finds spawns and context attaches in a body; `Holder` is the variable
  /// the expression initialises, passed down through new/casts/temporaries.
  void visit(const clang::Stmt *S, const clang::VarDecl *Holder,
             unsigned Depth);
  void visitCall(const clang::Expr *Call, const clang::FunctionDecl *Callee,
                 const clang::VarDecl *Holder);

  const unsigned MaxDepth;
  clang::ASTContext *Ctx = nullptr;
  std::vector<Spawn> Spawns;
  llvm::SmallPtrSet<const clang::Expr *, 16> SeenSpawns;
  /// Variables and classes of thread objects that get the run's context.
  llvm::SmallPtrSet<const clang::VarDecl *, 4> ContextVars;
  llvm::SmallPtrSet<const clang::CXXRecordDecl *, 4> ContextClasses;
};

} // namespace uisan::tidy

#endif
