//===- ExecutorNotShutdownCheck.h - uisan-executor-not-shutdown -*- C++ -*-===//
#ifndef UISAN_CHECKER_EXECUTORNOTSHUTDOWNCHECK_H
#define UISAN_CHECKER_EXECUTORNOTSHUTDOWNCHECK_H

#include "LocalDiagnostics.h"
#include "UisanCheck.h"

namespace uisan::tidy {

class Lifecycle;

/// The per-TU analysis of uisan-executor-not-shutdown, run while facts are
/// extracted: locals left running on some path, heap executors nobody
/// keeps, executors created once per run and kept, members never stopped.
class ExecutorAnalysis {
public:
  ExecutorAnalysis(clang::ASTContext &Ctx, RuleIndex &Index,
                   LibraryCode &Library, LocalDiagnostics &Diags)
      : Ctx(Ctx), Index(&Index), Library(&Library), Diags(Diags) {}
  void function(const clang::FunctionDecl *FD);
  void field(const clang::FieldDecl *F);

private:
  LocalDiagnostics::Builder
  diag(clang::SourceLocation Loc, llvm::StringRef Format,
       clang::DiagnosticIDs::Level Level = clang::DiagnosticIDs::Warning) {
    return Diags.diag(Loc, Format, Level);
  }
  void reportDroppedNews(Lifecycle &LC, const clang::Stmt *S);

  clang::ASTContext &Ctx;
  RuleIndex *Index;
  LibraryCode *Library;
  LocalDiagnostics &Diags;
};

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
  void findings(const ProgramModel &Program, SuppressedFn Suppressed,
                std::vector<Finding> &Out) const override;
};

} // namespace uisan::tidy

#endif
