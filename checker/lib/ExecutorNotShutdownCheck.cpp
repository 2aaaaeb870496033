//===- ExecutorNotShutdownCheck.cpp - uisan-executor-not-shutdown ---------===//

#include "ExecutorNotShutdownCheck.h"
#include "Lifecycle.h"
#include "ProgramModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace uisan::tidy {

ExecutorNotShutdownCheck::ExecutorNotShutdownCheck(
    StringRef Name, clang::tidy::ClangTidyContext *Context)
    : UisanCheck(Name, Context) {}

void ExecutorNotShutdownCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeCommonOptions(Opts);
}

void ExecutorNotShutdownCheck::findings(const ProgramModel &Program,
                                        SuppressedFn Suppressed,
                                        std::vector<Finding> &Out) const {
  localFindings(Program, "uisan-executor-not-shutdown", Suppressed, Out);
}

namespace {
std::string shutdownName(const rules::ExecutorRule &R) {
  return R.Shutdown.empty() ? "a shutdown" : R.Shutdown.front();
}

/// The variables whose threads carry a run's context: those are
/// uisan-context-escape's to report.
bool hasContext(RuleIndex &Index, const Stmt *Body, const VarDecl *Var) {
  if (!Body)
    return false;
  if (const auto *Call = dyn_cast<CallExpr>(Body))
    if (const FunctionDecl *Callee = Call->getDirectCallee())
      if (const rules::ContextAttachRule *R = Index.contextAttach(Callee))
        if (R->ThreadArg < Call->getNumArgs() &&
            threadVariable(Call->getArg(R->ThreadArg)) == Var)
          return true;
  for (const Stmt *C : Body->children())
    if (hasContext(Index, C, Var))
      return true;
  return false;
}
} // namespace

void ExecutorAnalysis::field(const FieldDecl *F) {
  Lifecycle LC(Ctx, *Index, *Library);
  {
    if (Library->contains(F->getLocation()))
      return;
    ExecutorType T = LC.classify(F->getType());
    if (!T || (T.Rule->Raii && !T.Pointer))
      return;
    const CXXRecordDecl *RD = dyn_cast<CXXRecordDecl>(F->getParent());
    // Lambda captures are not members anyone could stop.
    if (!RD || !RD->hasDefinition() || RD->isLambda() || F->getName().empty())
      return;
    {
      QualType Obj = F->getType();
      if (Obj->isPointerType())
        Obj = Obj->getPointeeType();
      if (!LC.isJoinable(*T.Rule, Obj->getAsCXXRecordDecl(),
                         F->getInClassInitializer()))
        return;
    }
    const CXXDestructorDecl *Dtor = RD->getDestructor();
    // A destructor defined elsewhere may stop it; only what is seen counts.
    if (Dtor && Dtor->isUserProvided() && !Dtor->getDefinition())
      return;
    bool Stopped = Dtor && Dtor->isUserProvided() &&
                   LC.stopsField(Dtor, F, *T.Rule);
    if (Stopped)
      return;
    std::string Consequence =
        T.Rule->OnDestroy.empty()
            ? "its threads outlive the object"
            : "destroying a running one: " + T.Rule->OnDestroy;
    diag(F->getLocation(),
         "member '%0' holds a '%1' that '~%2' does not stop; %3; call '%4' "
         "on it in '~%2'")
        << F->getName() << T.Name << RD->getName() << Consequence
        << shutdownName(*T.Rule);
    // Stopping it elsewhere (a close handler) does not cover destruction.
    for (const CXXMethodDecl *M : RD->methods())
      if (M != Dtor && LC.stopsField(M, F, *T.Rule)) {
        diag(M->getLocation(),
             "'%0' stops it, but '~%1' does not call it", DiagnosticIDs::Note)
            << M->getName() << RD->getName();
        break;
      }
  }
}

void ExecutorAnalysis::function(const FunctionDecl *FD) {
  Lifecycle LC(Ctx, *Index, *Library);
  if (Library->contains(FD->getLocation()) || FD->isDependentContext())
    return;
  reportDroppedNews(LC, FD->getBody());
  std::vector<Handle> Handles = LC.executorHandles(FD);
  // Threads with a context belong to uisan-context-escape.
  llvm::erase_if(Handles, [&](const Handle &H) {
    return hasContext(*Index, FD->getBody(), H.Var);
  });
  if (Handles.empty())
    return;
  std::vector<LeakExit> Leaks;
  std::vector<HandleEvent> Events;
  LC.run(FD, Handles, Leaks, Events);
  const rules::PerRunRule *PerRun = LC.perRun(FD);

  for (size_t I = 0; I < Handles.size(); ++I) {
    const Handle &H = Handles[I];
    const rules::ExecutorRule &R = *H.Type.Rule;
    std::vector<const LeakExit *> Mine;
    for (const LeakExit &L : Leaks)
      if (L.Handle == I)
        Mine.push_back(&L);
    const HandleEvent *Stored = nullptr;
    for (const HandleEvent &E : Events)
      if (E.Handle == I && E.K == HandleEvent::Escaped && E.Detail == "stored")
        Stored = &E;
    std::string Stop = shutdownName(R);
    if (!Mine.empty()) {
      std::string What =
          H.Type.Container
              ? "a container of '" + H.Type.Name + "'"
              : (llvm::StringRef("aeiouAEIOU").contains(H.Type.Name.front())
                     ? "an '"
                     : "a '") +
                    H.Type.Name + "'";
      if (!R.OnDestroy.empty() && !H.Type.Pointer && !H.Type.Container)
        diag(H.Var->getLocation(),
             "'%1' (%0) can leave its scope still running, and then %2; "
             "call '%3' on every path")
            << What << H.Var->getName() << R.OnDestroy << Stop;
      else
        diag(H.Var->getLocation(),
             "'%1' (%0) can leave its scope still running: its threads "
             "outlive it; call '%2' on every path%3")
            << What << H.Var->getName() << Stop
            << (Ctx.getLangOpts().CPlusPlus
                    ? " (in a catch-all handler that rethrows, or a guard "
                      "object)"
                    : "");
      for (size_t N = 0; N < Mine.size() && N < 3; ++N)
        diag(Mine[N]->Loc, "%0 without '%1'", DiagnosticIDs::Note)
            << Mine[N]->How << Stop;
      if (PerRun)
        diag(FD->getLocation(),
             "'%0' runs once per %1: every %1 starts another one",
             DiagnosticIDs::Note)
            << FD->getNameAsString() << PerRun->Unit;
    } else if (PerRun && Stored) {
      diag(H.Var->getLocation(),
           "'%1' ('%0') is created in '%2', which runs once per %3, and "
           "kept without being stopped: every %3 starts another one; create "
           "it once, or call '%4' on the previous one")
          << H.Type.Name << H.Var->getName() << FD->getNameAsString()
          << PerRun->Unit << Stop;
      diag(Stored->Loc, "stored here", DiagnosticIDs::Note);
    }
  }
}

void ExecutorAnalysis::reportDroppedNews(Lifecycle &LC,
                                                 const Stmt *S) {
  // `new std::thread(f);` as a statement of its own: nobody can stop it.
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    for (const Stmt *Child : CS->body()) {
      const Expr *E = dyn_cast<Expr>(Child);
      if (const auto *EWC = dyn_cast_or_null<ExprWithCleanups>(E))
        E = EWC->getSubExpr();
      const auto *New = dyn_cast_or_null<CXXNewExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
      if (!New)
        continue;
      ExecutorType T = LC.classify(LC.pointerTo(New->getAllocatedType()));
      if (!T)
        continue;
      if (T.Rule->ParentOwned && New->getConstructExpr() &&
          llvm::any_of(New->getConstructExpr()->arguments(), [](const Expr *A) {
            return A->IgnoreParenImpCasts()->getType()->isPointerType();
          }))
        continue;
      diag(New->getBeginLoc(),
           "heap-allocated '%0' is never stopped, stored or deleted: its "
           "threads outlive every owner; keep it and call '%1' on it")
          << T.Name << shutdownName(*T.Rule);
    }
  for (const Stmt *Child : S->children())
    reportDroppedNews(LC, Child);
}


} // namespace uisan::tidy
