//===- ContextEscapeCheck.h - uisan-context-escape -------------*- C++ -*-===//
#ifndef UISAN_CHECKER_CONTEXTESCAPECHECK_H
#define UISAN_CHECKER_CONTEXTESCAPECHECK_H

#include "LocalDiagnostics.h"
#include "UisanCheck.h"

namespace uisan::tidy {

/// The per-TU analysis of uisan-context-escape, run while facts are
/// extracted: every context attach, followed to the end of its function.
class ContextEscapeAnalysis {
public:
  ContextEscapeAnalysis(clang::ASTContext &Ctx, RuleIndex &Index,
                        LibraryCode &Library, LocalDiagnostics &Diags,
                        FactExtractor &Extractor)
      : Ctx(Ctx), Index(&Index), Library(&Library), Diags(Diags),
        Extractor(&Extractor) {}
  void function(const clang::FunctionDecl *FD);

private:
  LocalDiagnostics::Builder
  diag(clang::SourceLocation Loc, llvm::StringRef Format,
       clang::DiagnosticIDs::Level Level = clang::DiagnosticIDs::Warning) {
    return Diags.diag(Loc, Format, Level);
  }
  void checkAttach(
      clang::ASTContext &Ctx, const clang::FunctionDecl *FD,
      const clang::CallExpr *Call,
      const llvm::DenseMap<const clang::VarDecl *, const clang::VarDecl *>
          &ElementOf);

  clang::ASTContext &Ctx;
  RuleIndex *Index;
  LibraryCode *Library;
  LocalDiagnostics &Diags;
  FactExtractor *Extractor;
};

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
  void findings(const ProgramModel &Program, SuppressedFn Suppressed,
                std::vector<Finding> &Out) const override;
};

} // namespace uisan::tidy

#endif
