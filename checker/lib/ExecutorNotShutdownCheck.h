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
                   LibraryCode &Library, LocalDiagnostics &Diags,
                   FactExtractor &Extractor)
      : Ctx(Ctx), Index(&Index), Library(&Library), Diags(Diags),
        Extractor(&Extractor) {}
  /// The function's own findings (locals), and what it does to executor
  /// members and parameters, into its facts (the last function written).
  void function(const clang::FunctionDecl *FD);
  /// An executor member, as facts; whether anything stops it is decided
  /// on the linked program.
  void field(const clang::FieldDecl *F);

private:
  LocalDiagnostics::Builder
  diag(clang::SourceLocation Loc, llvm::StringRef Format,
       clang::DiagnosticIDs::Level Level = clang::DiagnosticIDs::Warning) {
    return Diags.diag(Loc, Format, Level);
  }
  /// `new Executor(...)` as a statement: reported.
  void droppedNew(const clang::Expr *E, Lifecycle &LC);
  /// A bounded wait (`waitForDone(ms)`) as a statement: reported.
  void boundedWait(const clang::Expr *E, Lifecycle &LC);
  void summarize(const clang::FunctionDecl *FD, facts::Function &Out);
  /// The fix-it that makes a leaking local stop itself: its written type
  /// replaced by the rule's RAII alternative (`std::thread` by
  /// `std::jthread`), when that is safe; nullopt otherwise.
  std::optional<std::pair<clang::CharSourceRange, std::string>>
  raiiFix(const clang::FunctionDecl *FD, const clang::VarDecl *Var,
          const rules::ExecutorRule &R);
  std::optional<facts::FieldEvent::Kind>
  ownership(const clang::Expr *E, const rules::ExecutorRule &R, Lifecycle &LC);

  clang::ASTContext &Ctx;
  RuleIndex *Index;
  LibraryCode *Library;
  LocalDiagnostics &Diags;
  FactExtractor *Extractor;
};

/// uisan-executor-not-shutdown on a linked program: the per-TU findings
/// (their exits that need a callee to throw kept only if it may), and the
/// members nothing stops before their owner is gone: not in the owner's
/// destructor or a function it calls, not in a teardown hook, not by the
/// owner of the owner, not by a custom deleter, not by the element's own
/// destructor.
void findExecutorsNotShutdown(const ProgramModel &Program,
                              SuppressedFn Suppressed, std::vector<Finding> &Out);

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
