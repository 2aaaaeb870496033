//===- ContextEscapeCheck.cpp - uisan-context-escape ----------------------===//

#include "ContextEscapeCheck.h"
#include "Lifecycle.h"
#include "ProgramModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace uisan::tidy {

ContextEscapeCheck::ContextEscapeCheck(StringRef Name,
                                       clang::tidy::ClangTidyContext *Context)
    : UisanCheck(Name, Context) {}

void ContextEscapeCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeCommonOptions(Opts);
}

void ContextEscapeCheck::findings(const ProgramModel &Program,
                                  SuppressedFn Suppressed,
                                  std::vector<Finding> &Out) const {
  localFindings(Program, "uisan-context-escape", Suppressed, Out);
}

namespace {
/// Where the context came from: the get call inside the argument, or the
/// initialiser of the variable it names.
const Expr *contextSource(RuleIndex &Index, const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return Call;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->getInit())
        return VD->getInit()->IgnoreParenImpCasts();
  return nullptr;
}
} // namespace

void ContextEscapeAnalysis::function(const FunctionDecl *FD) {
  if (Library->contains(FD->getLocation()) || FD->isDependentContext())
    return;
  // Walk the body; a range-for's variable maps to the container it walks.
  llvm::DenseMap<const VarDecl *, const VarDecl *> ElementOf;
  std::function<void(const Stmt *, unsigned)> Visit = [&](const Stmt *S,
                                                          unsigned Depth) {
    if (!S || Depth > 2048)
      return;
    if (const auto *RF = dyn_cast<CXXForRangeStmt>(S))
      if (const auto *R =
              dyn_cast<DeclRefExpr>(RF->getRangeInit()->IgnoreParenImpCasts()))
        if (const auto *C = dyn_cast<VarDecl>(R->getDecl()))
          ElementOf[RF->getLoopVariable()] = C;
    if (isa<LambdaExpr>(S))
      return; // a lambda's body is its own function
    if (const auto *Call = dyn_cast<CallExpr>(S))
      checkAttach(Ctx, FD, Call, ElementOf);
    for (const Stmt *Child : S->children())
      Visit(Child, Depth + 1);
  };
  Visit(FD->getBody(), 0);
}

void ContextEscapeAnalysis::checkAttach(
    ASTContext &Ctx, const FunctionDecl *FD, const CallExpr *Call,
    const llvm::DenseMap<const VarDecl *, const VarDecl *> &ElementOf) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return;
  const rules::ContextAttachRule *Attach = Index->contextAttach(Callee);
  if (!Attach || Attach->ThreadArg >= Call->getNumArgs())
    return;

  // The variable that owns the thread: the thread itself, the pointer to
  // it, or the container a range-for takes it from.
  const Expr *Arg = Call->getArg(Attach->ThreadArg);
  const VarDecl *Var = threadVariable(Arg);
  // A parameter's thread belongs to the caller, which is checked there.
  if (!Var || isa<ParmVarDecl>(Var))
    return;
  Lifecycle LC(Ctx, *Index, *Library);
  Handle H;
  H.Var = Var;
  H.Start = Call;
  if (!Var->hasLocalStorage()) {
    diag(Arg->getBeginLoc(),
         "the run's context is attached to '%0', a thread kept in a static or "
         "global variable, so it outlives the run; attach it only to a "
         "thread that is joined before '%1' returns")
        << Var->getName() << FD->getNameAsString();
    return;
  }
  // A range-for element: the container is the owner.
  auto Element = ElementOf.find(Var);
  if (Element != ElementOf.end())
    H.Var = Element->second;
  H.Type = LC.classify(H.Var->getType());
  if (!H.Type)
    return;
  std::vector<LeakExit> Leaks;
  std::vector<HandleEvent> Events;
  LC.run(FD, {H}, Leaks, Events);

  std::string Join = H.Type.Rule->Shutdown.empty() ? "join"
                                                   : H.Type.Rule->Shutdown.front();
  // A guard object joins it when the function's scope ends: in time.
  const HandleEvent *Escape = nullptr;
  for (const HandleEvent &E : Events)
    if (!llvm::StringRef(E.Detail).starts_with("guarded by") &&
        (!Escape || E.K == HandleEvent::Detached))
      Escape = &E;
  if (Leaks.empty() && !Escape)
    return;
  auto Notes = [&] {
    diag(Call->getBeginLoc(), "the context is attached here",
         DiagnosticIDs::Note);
    if (Attach->ContextArg < Call->getNumArgs())
      if (const Expr *Src = contextSource(*Index, Call->getArg(Attach->ContextArg)))
        diag(Src->getBeginLoc(), "the context of this run is obtained here",
             DiagnosticIDs::Note);
  };
  if (Escape) {
    std::string How = Escape->K == HandleEvent::Detached
                          ? "is made a daemon with '" + Escape->Detail + "'"
                          : "is " + Escape->Detail;
    diag(H.Var->getLocation(),
         "thread '%0' holds the run's context and %1, so it can outlive the "
         "run: a leaked context lets it write into a later run or another "
         "session; '%2' it before '%3' returns")
        << H.Var->getName() << How << Join << FD->getNameAsString();
    diag(Escape->Loc, "here", DiagnosticIDs::Note);
    Notes();
    return;
  }
  diag(H.Var->getLocation(),
       "thread '%0' holds the run's context but is not joined on every path "
       "before '%1' returns: a leaked context lets it write into a later run "
       "or another session; '%2' it on every path")
      << H.Var->getName() << FD->getNameAsString() << Join;
  // Exits that need a project function to throw are decided when the
  // program is linked (LocalDiagnostics::Builder::exit).
  for (size_t N = 0; N < Leaks.size() && N < 8; ++N)
    diag(Leaks[N].Loc, "%0 without '%1'", DiagnosticIDs::Note)
            .exit(Leaks[N].IfThrows ? Extractor->functionKey(Leaks[N].IfThrows)
                                    : facts::NoStr)
        << Leaks[N].How << Join;
  Notes();
}


} // namespace uisan::tidy
