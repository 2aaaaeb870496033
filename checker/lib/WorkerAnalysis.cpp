//===- WorkerAnalysis.cpp - what code runs on a worker thread -------------===//

#include "WorkerAnalysis.h"
#include "UisanCheck.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

#include <deque>

using namespace clang;

namespace uisan::tidy {

namespace {
/// Statement nesting beyond this is not walked further; clang itself limits
/// nesting far below what would exhaust the stack here.
constexpr unsigned MaxStmtDepth = 2048;

bool endsScope(const Stmt *S) {
  if (!S)
    return false;
  if (isa<ReturnStmt, CXXThrowExpr, BreakStmt, ContinueStmt, GotoStmt>(S))
    return true;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return !CS->body_empty() && endsScope(CS->body_back());
  if (const auto *E = dyn_cast<Expr>(S))
    return isa<CXXThrowExpr>(E->IgnoreParenImpCasts());
  return false;
}
} // namespace

std::string describeFunction(const FunctionDecl *FD) {
  return ruleName(FD);
}

bool WorkerAnalysis::inSystemHeader(SourceLocation Loc) const {
  return Library.contains(Loc);
}

void WorkerAnalysis::resolveCallable(const Expr *E,
                                     llvm::SmallVectorImpl<WorkerEntry> &Out,
                                     unsigned Depth) {
  if (!E || Depth > 8)
    return;
  E = E->IgnoreParenCasts();
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
    return resolveCallable(M->getSubExpr(), Out, Depth + 1);
  if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
    return resolveCallable(B->getSubExpr(), Out, Depth + 1);
  if (const auto *EW = dyn_cast<ExprWithCleanups>(E))
    return resolveCallable(EW->getSubExpr(), Out, Depth + 1);

  auto AddBody = [&](const FunctionDecl *FD, std::string Description) {
    if (!FD)
      return;
    const FunctionDecl *Def = FD->getDefinition();
    if (!Def || !Def->hasBody() || inSystemHeader(Def->getLocation()))
      return;
    Out.push_back({Def, std::move(Description)});
  };

  // A function object: each of its call operators.
  auto AddCallOperators = [&](const CXXRecordDecl *RD) {
    if (RD && RD->hasDefinition() && !RD->isLambda())
      for (const CXXMethodDecl *MD : RD->methods())
        if (MD->getOverloadedOperator() == OO_Call)
          AddBody(MD, "'" + describeFunction(MD) + "'");
  };

  if (const auto *L = dyn_cast<LambdaExpr>(E)) {
    if (L->isGenericLambda()) {
      if (const FunctionTemplateDecl *T = L->getDependentCallOperator())
        for (const FunctionDecl *Spec : T->specializations())
          AddBody(Spec, "the lambda");
      return;
    }
    AddBody(L->getCallOperator(), "the lambda");
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return AddBody(FD, "'" + describeFunction(FD) + "'");
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      size_t Before = Out.size();
      if (VD->hasLocalStorage() || VD->isStaticLocal() || VD->hasInit())
        if (const Expr *Init = VD->getInit())
          resolveCallable(Init, Out, Depth + 1);
      if (Out.size() != Before)
        return;
      // A functor object declared as a variable.
      AddCallOperators(VD->getType()->getAsCXXRecordDecl());
    }
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
      resolveCallable(UO->getSubExpr(), Out, Depth + 1);
    return;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (Rules.isBinder(Callee) && CE->getNumArgs() > 0)
        resolveCallable(CE->getArg(0), Out, Depth + 1);
    return;
  }
  const CXXRecordDecl *Record = nullptr;
  if (const auto *CC = dyn_cast<CXXConstructExpr>(E)) {
    // Copies, moves and conversions (into std::function, a decay copy)
    // carry the callable they were given.
    if (CC->getNumArgs() == 1) {
      size_t Before = Out.size();
      resolveCallable(CC->getArg(0), Out, Depth + 1);
      if (Out.size() != Before)
        return;
    }
    Record = CC->getConstructor()->getParent();
  } else if (const auto *IL = dyn_cast<InitListExpr>(E)) {
    Record = IL->getType()->getAsCXXRecordDecl();
  }
  AddCallOperators(Record);
}

int WorkerAnalysis::callableArg(llvm::ArrayRef<const Expr *> Args,
                                int RuleIndex) {
  if (RuleIndex >= 0)
    return RuleIndex < static_cast<int>(Args.size()) ? RuleIndex : -1;
  for (unsigned I = 0; I < Args.size(); ++I) {
    const Expr *A = Args[I]->IgnoreParenImpCasts();
    if (isa<LambdaExpr>(A))
      return I;
    llvm::SmallVector<WorkerEntry, 2> Entries;
    resolveCallable(A, Entries);
    if (!Entries.empty())
      return I;
    // A callable whose body is not visible still takes the place.
    QualType T = A->getType();
    if (T->isFunctionPointerType() || T->isMemberFunctionPointerType() ||
        T->isFunctionType())
      return I;
  }
  return -1;
}

namespace {
/// Collects the declarations an expression refers to.
void collectReferences(const Stmt *S,
                       llvm::SmallVectorImpl<const NamedDecl *> &Out,
                       unsigned Depth = 0) {
  if (!S || Depth > 64)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    Out.push_back(DRE->getDecl());
  for (const Stmt *Child : S->children())
    collectReferences(Child, Out, Depth + 1);
}
} // namespace

bool WorkerAnalysis::argumentNames(llvm::ArrayRef<const Expr *> Args,
                                   const rules::GlobList &Names) {
  if (Names.empty())
    return false;
  llvm::SmallVector<const NamedDecl *, 8> Refs;
  for (const Expr *A : Args)
    collectReferences(A, Refs);
  for (const NamedDecl *D : Refs)
    if (Names.matches(ruleName(D)))
      return true;
  return false;
}

bool WorkerAnalysis::marshals(const rules::MarshallerRule &M,
                              llvm::ArrayRef<const Expr *> Args) {
  if (argumentNames(Args, M.UnlessArg))
    return false;
  if (!M.ReceiverType)
    return true;
  unsigned Receivers = 0;
  for (const Expr *A : Args) {
    QualType T = A->IgnoreParenImpCasts()->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
      if (Rules.derivesFrom(RD, *M.ReceiverType))
        ++Receivers;
  }
  return Receivers >= M.ReceiverMinCount;
}

bool WorkerAnalysis::mentionsGuard(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *E = dyn_cast<Expr>(S))
    if (const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts()))
      if (const FunctionDecl *FD = Call->getDirectCallee())
        if (Rules.isThreadGuard(FD))
          return true;
  for (const Stmt *Child : S->children())
    if (mentionsGuard(Child))
      return true;
  return false;
}

int WorkerAnalysis::guardPolarity(const Expr *Cond) {
  if (!Cond)
    return 0;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot)
      return -guardPolarity(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    // `wxIsMainThread() == false`, `isMain != true`: a test of a guard's
    // value against a literal flips or keeps its polarity.
    if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
      const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
      if (isa<CXXBoolLiteralExpr>(L))
        std::swap(L, R);
      if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(R)) {
        int Inner = guardPolarity(L);
        bool Same = B->getValue() == (BO->getOpcode() == BO_EQ);
        return Same ? Inner : -Inner;
      }
    }
    switch (BO->getOpcode()) {
    case BO_EQ:
      return mentionsGuard(BO) ? 1 : 0;
    case BO_NE:
      return mentionsGuard(BO) ? -1 : 0;
    case BO_LAnd: // both hold, so a UI-thread guard on either side holds
      return guardPolarity(BO->getLHS()) > 0 || guardPolarity(BO->getRHS()) > 0
                 ? 1
                 : 0;
    case BO_LOr: // neither holds in the else branch
      return guardPolarity(BO->getLHS()) < 0 || guardPolarity(BO->getRHS()) < 0
                 ? -1
                 : 0;
    default:
      return 0;
    }
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Cond)) {
    if (OC->getOperator() == OO_EqualEqual)
      return mentionsGuard(OC) ? 1 : 0;
    if (OC->getOperator() == OO_ExclaimEqual)
      return mentionsGuard(OC) ? -1 : 0;
  }
  if (const auto *Call = dyn_cast<CallExpr>(Cond))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (Rules.isThreadGuard(FD))
        return 1;
  return 0;
}

void WorkerAnalysis::walkCall(const Expr *Call, const FunctionDecl *Callee,
                              llvm::ArrayRef<const Expr *> Args, bool Guarded,
                              Facts &F, unsigned Depth) {
  // Children other than the arguments: the callee expression, the object.
  auto WalkNonArgs = [&] {
    for (const Stmt *Child : Call->children()) {
      if (llvm::is_contained(Args, Child))
        continue;
      walk(Child, Guarded, F, Depth + 1);
    }
  };

  int Skip = -1; // the argument that runs elsewhere
  if (const rules::MarshallerRule *M = Rules.marshaller(Callee)) {
    if (marshals(*M, Args)) {
      // Every callable argument runs on the UI thread; the rest (receiver,
      // values) is still evaluated here.
      WalkNonArgs();
      for (const Expr *A : Args) {
        llvm::SmallVector<WorkerEntry, 2> Entries;
        resolveCallable(A, Entries);
        if (Entries.empty() && !isa<LambdaExpr>(A->IgnoreParenImpCasts()))
          walk(A, Guarded, F, Depth + 1);
      }
      return;
    }
  } else if (const rules::SpawnerRule *S = Rules.spawner(Callee)) {
    // The callable runs on yet another thread, which the check analyses
    // from its own spawner; here only the arguments are evaluated.
    if (!argumentNames(Args, S->UnlessArg))
      Skip = callableArg(Args, S->CallableArg);
  }

  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  if (!Guarded && !(MD && Rules.isSignal(MD))) {
    std::optional<UiApi> Api = Rules.uiApi(Callee);
    // A method the project wrote on its own UI subclass, with its body in
    // sight, is read rather than presumed: its real UI calls are reported
    // with the path, and a plain accessor stays quiet.
    if (Api && Api->FromClassRule && MD && !isa<CXXConstructorDecl>(MD))
      if (const FunctionDecl *Def = MD->getDefinition())
        if (Def->hasBody() && !Library.contains(Def->getLocation()))
          Api.reset();
    if (Api) {
      SourceLocation Loc = Call->getExprLoc();
      if (const auto *CC = dyn_cast<CXXConstructExpr>(Call))
        Loc = CC->getBeginLoc();
      F.Ui.push_back({Call, Loc, *Api});
    } else if (const FunctionDecl *Def = Callee->getDefinition()) {
      if (Def->hasBody() && !inSystemHeader(Def->getLocation()))
        F.Callees.push_back({Def, Call->getExprLoc()});
    }
  }
  WalkNonArgs();
  for (unsigned I = 0; I < Args.size(); ++I)
    if (static_cast<int>(I) != Skip)
      walk(Args[I], Guarded, F, Depth + 1);
}

void WorkerAnalysis::walk(const Stmt *S, bool Guarded, Facts &F,
                          unsigned Depth) {
  if (!S || Depth > MaxStmtDepth)
    return;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    int Polarity = guardPolarity(If->getCond());
    walk(If->getInit(), Guarded, F, Depth + 1);
    walk(If->getCond(), Guarded, F, Depth + 1);
    walk(If->getThen(), Guarded || Polarity > 0, F, Depth + 1);
    walk(If->getElse(), Guarded || Polarity < 0, F, Depth + 1);
    return;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
    int Polarity = guardPolarity(CO->getCond());
    walk(CO->getCond(), Guarded, F, Depth + 1);
    walk(CO->getTrueExpr(), Guarded || Polarity > 0, F, Depth + 1);
    walk(CO->getFalseExpr(), Guarded || Polarity < 0, F, Depth + 1);
    return;
  }
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    // `if (!onUiThread()) { ...; return; }` guards the rest of the block.
    bool RestGuarded = Guarded;
    for (const Stmt *Child : CS->body()) {
      walk(Child, RestGuarded, F, Depth + 1);
      if (const auto *If = dyn_cast<IfStmt>(Child))
        if (!If->getElse() && guardPolarity(If->getCond()) < 0 &&
            endsScope(If->getThen()))
          RestGuarded = true;
    }
    return;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // A lambda defined here may be called here (std::for_each, a local
    // helper); one handed to a spawner or marshaller never reaches this.
    for (const Expr *Init : L->capture_inits())
      walk(Init, Guarded, F, Depth + 1);
    walk(L->getBody(), Guarded, F, Depth + 1);
    return;
  }
  if (isa<CallExpr, CXXConstructExpr>(S)) {
    const auto *Call = cast<Expr>(S);
    if (const FunctionDecl *Callee = directCallee(Call)) {
      walkCall(Call, Callee, callArguments(Call), Guarded, F, Depth);
      return;
    }
  }
  for (const Stmt *Child : S->children())
    walk(Child, Guarded, F, Depth + 1);
}

const WorkerAnalysis::Facts &
WorkerAnalysis::factsFor(const FunctionDecl *FD) {
  auto It = FactsCache.find(FD);
  if (It != FactsCache.end())
    return It->second;
  Facts F;
  if (const Stmt *Body = FD->getBody()) {
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->isWritten())
          walk(Init->getInit(), false, F, 0);
    walk(Body, false, F, 0);
  }
  return FactsCache[FD] = std::move(F);
}

void WorkerAnalysis::forEachUiCall(
    const FunctionDecl *Entry,
    llvm::function_ref<void(const UiCallSite &, llvm::ArrayRef<PathStep>)>
        Found) {
  // Breadth-first over the visible call graph; Parent records how each
  // function was first reached, which gives the notes' path.
  struct Reached {
    const FunctionDecl *Parent;
    SourceLocation CallLoc;
    unsigned Depth;
  };
  llvm::DenseMap<const FunctionDecl *, Reached> Seen;
  std::deque<const FunctionDecl *> Queue;
  Seen[Entry] = {nullptr, SourceLocation(), 0};
  Queue.push_back(Entry);
  while (!Queue.empty()) {
    const FunctionDecl *FD = Queue.front();
    Queue.pop_front();
    const Facts &F = factsFor(FD);
    if (!F.Ui.empty()) {
      llvm::SmallVector<PathStep, 8> Path;
      for (const FunctionDecl *At = FD; At != Entry;) {
        const Reached &R = Seen[At];
        Path.push_back({R.Parent, R.CallLoc});
        At = R.Parent;
      }
      for (const UiCallSite &Site : F.Ui)
        Found(Site, Path);
    }
    unsigned Depth = Seen[FD].Depth;
    if (Depth >= MaxDepth)
      continue;
    for (const CalleeSite &C : F.Callees)
      if (Seen.try_emplace(C.Callee, Reached{FD, C.Loc, Depth + 1}).second)
        Queue.push_back(C.Callee);
  }
}

} // namespace uisan::tidy
