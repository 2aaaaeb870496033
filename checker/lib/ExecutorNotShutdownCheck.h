//===- ExecutorNotShutdownCheck.h - uisan-executor-not-shutdown -*- C++ -*-===//
#ifndef UISAN_CHECKER_EXECUTORNOTSHUTDOWNCHECK_H
#define UISAN_CHECKER_EXECUTORNOTSHUTDOWNCHECK_H

#include "UisanCheck.h"

namespace uisan::tidy {

/// Finds threads, pools and schedulers (per the packs' executors) that their
/// owner can lose while they still run: a local left on some path without a
/// join or shutdown, a heap one nobody stops or stores, one created in a
/// per-run/per-event function and kept, a member its class never stops.
///
/// Docs: docs/checks/uisan-executor-not-shutdown.md
class ExecutorNotShutdownCheck : public UisanCheck {
public:
  ExecutorNotShutdownCheck(llvm::StringRef Name,
                           clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onEndOfTranslationUnit() override;

private:
  void reportDroppedNews(class Lifecycle &LC, const clang::Stmt *S);
};

} // namespace uisan::tidy

#endif
