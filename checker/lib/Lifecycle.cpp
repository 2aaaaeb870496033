//===- Lifecycle.cpp - are threads and executors stopped on every path? ---===//

#include "Lifecycle.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

using namespace clang;

namespace uisan::tidy {

namespace {

enum : unsigned {
  NotStarted = 1,
  Running = 2,
  Stopped = 4,
  Escaped = 8,
  Daemon = 16,
  Dead = 32,
};

bool isContainerName(llvm::StringRef Name) {
  return llvm::is_contained(
      {"std::vector", "std::list", "std::deque", "std::array", "std::set",
       "std::map", "std::unordered_map", "QList", "QVector"},
      Name);
}

const Expr *strip(const Expr *E) {
  return E ? E->IgnoreParenImpCasts() : nullptr;
}

/// True when `S` refers to `Var` anywhere inside.
bool mentions(const Stmt *S, const VarDecl *Var, unsigned Depth = 0) {
  if (!S || Depth > 32)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl() == Var;
  for (const Stmt *Child : S->children())
    if (mentions(Child, Var, Depth + 1))
      return true;
  return false;
}

/// The variables `S` names, to a bounded depth.
void collectVars(const Stmt *S, llvm::SmallPtrSetImpl<const VarDecl *> &Out,
                 unsigned Depth = 0) {
  if (!S || Depth > 32)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      Out.insert(VD);
  for (const Stmt *Child : S->children())
    collectVars(Child, Out, Depth + 1);
}

bool nameIn(const std::string &Simple, const std::string &Qualified,
            const std::vector<std::string> &Names) {
  for (const std::string &N : Names)
    if (N == Simple || N == Qualified)
      return true;
  return false;
}

/// The object a member call acts on, or null for other calls.
const Expr *memberObject(const Stmt *S) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    return MC->getImplicitObjectArgument();
  return nullptr;
}

} // namespace

const std::pair<std::string, std::string> &
Lifecycle::calleeNames(const FunctionDecl *FD) {
  auto It = NameCache.find(FD);
  if (It != NameCache.end())
    return It->second;
  std::string Simple = FD->getDeclName().isIdentifier() ? FD->getName().str()
                                                        : std::string();
  return NameCache[FD] = {Simple, ruleName(FD)};
}

ExecutorType Lifecycle::classify(QualType T) {
  ExecutorType Result;
  T = T.getNonReferenceType();
  for (int Layer = 0; Layer < 3; ++Layer) {
    if (T->isPointerType()) {
      if (Result.Pointer || Result.Smart)
        return ExecutorType();
      Result.Pointer = true;
      T = T->getPointeeType();
      continue;
    }
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    const auto *CTS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
    std::string Name = CTS ? ruleName(CTS) : "";
    if (CTS && CTS->getTemplateArgs().size() > 0 &&
        CTS->getTemplateArgs()[0].getKind() == TemplateArgument::Type) {
      QualType Arg = CTS->getTemplateArgs()[0].getAsType();
      if (Name == "std::unique_ptr" || Name == "std::shared_ptr") {
        if (Result.Smart || Result.Pointer)
          return ExecutorType();
        Result.Smart = true;
        T = Arg;
        continue;
      }
      if (isContainerName(Name)) {
        if (Result.Container)
          return ExecutorType();
        Result.Container = true;
        T = Arg;
        continue;
      }
    }
    break;
  }
  // Match the record (and its bases), or a C typedef's name.
  std::string TypedefName;
  if (const auto *TT = T->getAs<TypedefType>())
    TypedefName = TT->getDecl()->getName().str();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  const RecordDecl *Plain = T->getAsRecordDecl();
  for (const auto &P : Rules.db().Packs)
    for (const rules::ExecutorRule &R : P->Executors) {
      bool Hit = (!TypedefName.empty() && R.Type.matches(TypedefName)) ||
                 (RD && Rules.derivesFrom(RD, R.Type)) ||
                 (!RD && Plain && R.Type.matches(ruleName(Plain)));
      if (Hit) {
        Result.Rule = &R;
        Result.Pack = P.get();
        Result.Name = !TypedefName.empty() ? TypedefName
                      : RD                ? ruleName(RD)
                                          : ruleName(Plain);
        return Result;
      }
    }
  return ExecutorType();
}

const Stmt *Lifecycle::findStart(const Stmt *S, const Handle &H) {
  if (!S)
    return nullptr;
  // A C API that starts into its argument: pthread_create(&t, ...).
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (!isa<CXXMemberCallExpr>(Call))
      if (const FunctionDecl *FD = Call->getDirectCallee()) {
        const auto &[Simple, Qualified] = calleeNames(FD);
        if (nameIn(Simple, Qualified, H.Type.Rule->Start))
          for (const Expr *A : Call->arguments())
            if (mentions(A, H.Var))
              return S;
      }
  if (const Expr *Obj = memberObject(S)) {
    const auto *MC = cast<CXXMemberCallExpr>(S);
    if (const FunctionDecl *FD = MC->getDirectCallee()) {
      const auto &[Simple, Qualified] = calleeNames(FD);
      if (nameIn(Simple, Qualified, H.Type.Rule->Start) &&
          mentions(Obj, H.Var))
        return S;
    }
  }
  for (const Stmt *Child : S->children())
    if (const Stmt *Found = findStart(Child, H))
      return Found;
  return nullptr;
}

bool Lifecycle::stopsWithin(const Stmt *S, const Handle &H) {
  if (!S)
    return false;
  if (isStop(S, H))
    return true;
  for (const Stmt *Child : S->children())
    if (stopsWithin(Child, H))
      return true;
  return false;
}

bool Lifecycle::isStop(const Stmt *S, const Handle &H) {
  const rules::ExecutorRule &R = *H.Type.Rule;
  if (isWaitLoop(S, H))
    return true;
  if (const auto *Del = dyn_cast<CXXDeleteExpr>(S))
    return R.Raii && mentions(Del->getArgument(), H.Var);
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call || !Call->getDirectCallee())
    return false;
  const auto &[Simple, Qualified] = calleeNames(Call->getDirectCallee());
  if (!nameIn(Simple, Qualified, R.Shutdown))
    return false;
  if (const Expr *Obj = memberObject(S))
    return mentions(Obj, H.Var);
  for (const Expr *Arg : Call->arguments())
    if (mentions(Arg, H.Var))
      return true;
  return false;
}

std::vector<Handle> Lifecycle::executorHandles(const FunctionDecl *FD) {
  std::vector<Handle> Handles;
  const Stmt *Body = FD->getBody();
  if (!Body)
    return Handles;
  // An explicit stack, not recursion: expressions nest as deep as the
  // code's longest operator chain (tens of thousands of levels), more than
  // the thread's stack holds at one frame per level.
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
          continue;
        ExecutorType T = classify(VD->getType());
        if (!T)
          continue;
        const rules::ExecutorRule &R = *T.Rule;
        const Expr *Init = strip(VD->getInit());
        if (const auto *EWC = dyn_cast_or_null<ExprWithCleanups>(Init))
          Init = strip(EWC->getSubExpr());
        // Destruction stops it, except for a raw pointer nobody deletes.
        if (R.Raii && !T.Pointer)
          continue;
        // A range-for variable or reference only borrows.
        if (VD->getType()->isReferenceType())
          continue;
        if (T.Pointer || T.Smart) {
          // Owned only when made here: new, make_unique, a factory.
          const Expr *Made = Init;
          if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Made))
            Made = CE->getNumArgs() ? strip(CE->getArg(0)) : nullptr;
          if (const auto *BT = dyn_cast_or_null<CXXBindTemporaryExpr>(Made))
            Made = strip(BT->getSubExpr());
          if (!Made)
            continue;
          if (const auto *New = dyn_cast<CXXNewExpr>(Made)) {
            if (R.ParentOwned && givenParent(New, Ctx))
              continue;
          } else if (const auto *Call = dyn_cast<CallExpr>(Made)) {
            const FunctionDecl *Callee = Call->getDirectCallee();
            if (!Callee)
              continue;
            std::string Name = ruleName(Callee);
            if (R.Global.matches(Name))
              continue;
            bool Factory = R.Create.matches(Name) ||
                           Name == "std::make_unique" ||
                           Name == "std::make_shared";
            if (!Factory && !T.Smart)
              continue;
          } else {
            continue;
          }
        } else if (!T.Container && R.Start.empty() && R.DefaultIdle) {
          // A default-constructed std::thread runs nothing.
          const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Init);
          if (!CE || CE->getNumArgs() == 0)
            continue;
        }
        {
          QualType Obj = VD->getType();
          if (T.Pointer || T.Smart)
            Obj = T.Pointer ? Obj->getPointeeType() : Obj;
          const CXXRecordDecl *RD = Obj->getAsCXXRecordDecl();
          if (T.Smart && RD)
            if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(RD))
              RD = CTS->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
          if (!isJoinable(R, RD, Init))
            continue; // runs detached and deletes itself
        }
        Handle H;
        H.Var = VD;
        H.Type = T;
        if (!R.Start.empty() && !T.Container) {
          H.Start = findStart(Body, H);
          if (!H.Start)
            continue; // never started here
        }
        Handles.push_back(H);
      }
    // Children pushed in reverse, so they are visited in source order.
    size_t First = Work.size();
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
    std::reverse(Work.begin() + First, Work.end());
  }
  return Handles;
}

QualType Lifecycle::pointerTo(QualType T) { return Ctx.getPointerType(T); }

bool givenParent(const CXXNewExpr *New, ASTContext &Ctx) {
  const CXXConstructExpr *CE = New->getConstructExpr();
  if (!CE)
    return false;
  return llvm::any_of(CE->arguments(), [&](const Expr *A) {
    if (isa<CXXDefaultArgExpr>(A))
      return false;
    const Expr *E = A->IgnoreParenImpCasts();
    return E->getType()->isPointerType() &&
           !A->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
  });
}

bool Lifecycle::movedIntoMember(const Expr *Move) {
  // `member = std::move(t)`, `members.push_back(std::move(t))`: the
  // object outlives the function, owned by `this` or a global.
  const Stmt *Node = Move;
  for (int Up = 0; Up < 6 && Parents; ++Up) {
    Node = Parents->getParent(Node);
    const Expr *E = dyn_cast_or_null<Expr>(Node);
    if (!E)
      return false;
    auto Outside = [](const Expr *Target) {
      Target = Target->IgnoreParenImpCasts();
      if (isa<MemberExpr>(Target))
        return true;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Target))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          return !VD->hasLocalStorage();
      return false;
    };
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
      if (OC->isAssignmentOp() && OC->getNumArgs() == 2)
        return Outside(OC->getArg(0));
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      if (BO->isAssignmentOp())
        return Outside(BO->getLHS());
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      return Outside(MC->getImplicitObjectArgument());
    if (!isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             CXXConstructExpr, ExprWithCleanups>(E))
      return false;
  }
  return false;
}

bool Lifecycle::isJoinable(const rules::ExecutorRule &R,
                           const CXXRecordDecl *RD, const Expr *Init) {
  if (R.JoinableWhenArg.empty())
    return true;
  std::function<bool(const Stmt *)> Names = [&](const Stmt *S) {
    if (!S)
      return false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (R.JoinableWhenArg.matches(ruleName(DRE->getDecl())))
        return true;
    for (const Stmt *C : S->children())
      if (Names(C))
        return true;
    return false;
  };
  if (Names(Init))
    return true;
  // `Job() : wxThread(wxTHREAD_JOINABLE) {}` in the class or its bases.
  for (int Depth = 0; RD && RD->hasDefinition() && Depth < 8; ++Depth) {
    RD = RD->getDefinition();
    for (const CXXConstructorDecl *Ctor : RD->ctors())
      if (const auto *Def = dyn_cast_or_null<CXXConstructorDecl>(
              Ctor->getDefinition()))
        for (const CXXCtorInitializer *I : Def->inits())
          if (I->isBaseInitializer() && Names(I->getInit()))
            return true;
    RD = RD->getNumBases() ? RD->bases_begin()->getType()->getAsCXXRecordDecl()
                           : nullptr;
  }
  return false;
}

bool Lifecycle::insideTry(const Stmt *S) {
  // Inside a try block (not a handler) of this function is caught here.
  for (const Stmt *Child = S; Parents && Child;) {
    const Stmt *P = Parents->getParent(Child);
    if (!P || isa<LambdaExpr>(P))
      return false;
    if (const auto *Try = dyn_cast<CXXTryStmt>(P))
      return Child == Try->getTryBlock();
    Child = P;
  }
  return false;
}

bool Lifecycle::packThrows(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = ThrowCache.find(FD);
  if (It != ThrowCache.end())
    return It->second;
  bool Throws = false;
  std::string Name = ruleName(FD->getTemplateInstantiationPattern()
                                  ? FD->getTemplateInstantiationPattern()
                                  : FD);
  for (const auto &P : Rules.db().Packs)
    Throws |= P->Throwing.matches(Name);
  return ThrowCache[FD] = Throws;
}

bool Lifecycle::isWaitLoop(const Stmt *S, const Handle &H) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
  if (!MC || !MC->getDirectCallee() || !Parents || !H.Type.Rule ||
      H.Type.Rule->Running.empty())
    return false;
  const auto &[Simple, Qualified] = calleeNames(MC->getDirectCallee());
  if (!nameIn(Simple, Qualified, H.Type.Rule->Running) ||
      !mentions(MC->getImplicitObjectArgument(), H.Var))
    return false;
  // `while (t.isRunning())`, `do ... while (t->isRunning())`.
  const Stmt *Up = MC;
  for (int I = 0; I < 4 && Up; ++I) {
    const Stmt *P = Parents->getParent(Up);
    if (const auto *W = dyn_cast_or_null<WhileStmt>(P))
      return W->getCond() == Up;
    if (const auto *D = dyn_cast_or_null<DoStmt>(P))
      return D->getCond() == Up;
    if (const auto *F = dyn_cast_or_null<ForStmt>(P))
      return F->getCond() == Up;
    if (!isa_and_nonnull<ImplicitCastExpr, ParenExpr, ExprWithCleanups>(P))
      return false;
    Up = P;
  }
  return false;
}

const rules::PerRunRule *Lifecycle::perRun(const FunctionDecl *FD) {
  std::string Name = ruleName(FD);
  for (const auto &P : Rules.db().Packs) {
    if (!P->PerRun)
      continue;
    if (P->PerRun->Functions.matches(Name))
      return &*P->PerRun;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      llvm::SmallVector<const CXXMethodDecl *, 4> Work(
          MD->overridden_methods().begin(), MD->overridden_methods().end());
      for (unsigned I = 0; I < Work.size() && I < 32; ++I) {
        if (P->PerRun->Overrides.matches(ruleName(Work[I])))
          return &*P->PerRun;
        Work.append(Work[I]->overridden_methods().begin(),
                    Work[I]->overridden_methods().end());
      }
    }
  }
  return nullptr;
}

bool Lifecycle::stopsField(const FunctionDecl *FD, const FieldDecl *F,
                           const rules::ExecutorRule &Rule, unsigned Depth) {
  if (!FD || Depth > 4)
    return false;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody())
    return false;
  bool Found = false;
  std::function<void(const Stmt *)> Visit = [&](const Stmt *S) {
    if (!S || Found)
      return;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        const auto &[Simple, Qualified] = calleeNames(Callee);
        bool MentionsField = false;
        std::function<void(const Stmt *)> Find = [&](const Stmt *X) {
          if (!X || MentionsField)
            return;
          if (const auto *ME = dyn_cast<MemberExpr>(X))
            MentionsField |= ME->getMemberDecl() == F;
          for (const Stmt *C : X->children())
            Find(C);
        };
        if (nameIn(Simple, Qualified, Rule.Shutdown) ||
            (Rule.Raii && isa<CXXDeleteExpr>(S))) {
          Find(S);
          if (MentionsField) {
            Found = true;
            return;
          }
        }
        // A helper of the same class called from here (shutdown()).
        if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
          if (MD->getParent() == F->getParent() &&
              stopsField(MD, F, Rule, Depth + 1)) {
            Found = true;
            return;
          }
      }
    if (const auto *Del = dyn_cast<CXXDeleteExpr>(S)) {
      if (const auto *ME = dyn_cast<MemberExpr>(strip(Del->getArgument())))
        if (ME->getMemberDecl() == F && Rule.Raii)
          Found = true;
    }
    // A range-for over the field whose body stops each element.
    if (const auto *RF = dyn_cast<CXXForRangeStmt>(S))
      if (const auto *ME = dyn_cast<MemberExpr>(strip(RF->getRangeInit())))
        if (ME->getMemberDecl() == F) {
          Handle H;
          H.Var = RF->getLoopVariable();
          H.Type.Rule = &Rule;
          if (stopsWithin(RF->getBody(), H)) {
            Found = true;
            return;
          }
        }
    for (const Stmt *C : S->children())
      Visit(C);
  };
  Visit(Def->getBody());
  return Found;
}

void Lifecycle::run(const FunctionDecl *FD, llvm::ArrayRef<Handle> Handles,
                    std::vector<LeakExit> &Leaks,
                    std::vector<HandleEvent> &Events) {
  if (Handles.empty() || !FD->getBody())
    return;
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddInitializers = false;
  std::unique_ptr<CFG> Cfg = CFG::buildCFG(FD, FD->getBody(), &Ctx, Options);
  if (!Cfg)
    return;
  // Parents within this body only: cheap, unlike the whole TU's map.
  ParentMap BodyParents(FD->getBody());
  Parents = &BodyParents;

  // Loops that stop every element of a container stop it on their exit
  // edge: a zero-trip path has no element left running.
  std::vector<std::set<const Stmt *>> StopLoops(Handles.size());
  for (size_t I = 0; I < Handles.size(); ++I) {
    if (!Handles[I].Type.Container)
      continue;
    std::function<void(const Stmt *, const Stmt *)> Find =
        [&](const Stmt *S, const Stmt *Loop) {
          if (!S)
            return;
          if (isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S)) {
            // A range-for over the container: its variable is the element.
            if (const auto *RF = dyn_cast<CXXForRangeStmt>(S))
              if (mentions(RF->getRangeInit(), Handles[I].Var)) {
                Handle Elem = Handles[I];
                Elem.Var = RF->getLoopVariable();
                if (stopsWithin(RF->getBody(), Elem))
                  StopLoops[I].insert(S);
              }
            Loop = S;
          }
          if (Loop && isStop(S, Handles[I]))
            StopLoops[I].insert(Loop);
          for (const Stmt *C : S->children())
            Find(C, Loop);
        };
    Find(FD->getBody(), nullptr);
  }

  // Without a destructor call in the CFG (raw pointers, trivially
  // destructible types), returns and the function's end are the exits.
  std::vector<bool> NoDtor(Handles.size());
  for (size_t I = 0; I < Handles.size(); ++I)
    NoDtor[I] = Handles[I].Type.Pointer ||
                !Handles[I].Var->getType().isDestructedType();

  const unsigned N = Cfg->getNumBlockIDs();
  std::vector<std::vector<unsigned>> In(N,
                                        std::vector<unsigned>(Handles.size(), 0));
  std::vector<bool> Reached(N, false);
  const CFGBlock &Entry = Cfg->getEntry();
  for (size_t H = 0; H < Handles.size(); ++H)
    In[Entry.getBlockID()][H] = NotStarted;
  Reached[Entry.getBlockID()] = true;

  std::map<std::pair<size_t, unsigned>, LeakExit> Found;
  std::set<std::tuple<size_t, int, unsigned>> SeenEvents;
  bool Report = false;
  auto Leak = [&](size_t H, SourceLocation Loc, std::string How,
                  const FunctionDecl *IfThrows = nullptr) {
    if (Report)
      Found.emplace(std::make_pair(H, Loc.getRawEncoding()),
                    LeakExit{H, Loc, std::move(How), IfThrows});
  };
  auto Event = [&](size_t H, HandleEvent::Kind K, SourceLocation Loc,
                   std::string Detail) {
    if (Report && SeenEvents.insert({H, K, Loc.getRawEncoding()}).second)
      Events.push_back({H, K, Loc, std::move(Detail)});
  };

  // An event on handle H at S (stop, daemon, guard, escape): updates
  // State and returns true, or returns false when S is none of them.
  auto applyEvent = [&](const Stmt *S, size_t H,
                        std::vector<unsigned> &State) -> bool {
    const Handle &HD = Handles[H];
    const rules::ExecutorRule &R = *HD.Type.Rule;
    if (isStop(S, HD)) {
      State[H] = Stopped;
      return true;
    }
    // Daemon: t.detach(), or a C API's g_thread_unref(t).
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        const auto &[Simple, Qualified] = calleeNames(Callee);
        bool OnIt = false;
        if (const Expr *Obj = memberObject(S))
          OnIt = mentions(Obj, HD.Var);
        else
          for (const Expr *A : Call->arguments())
            OnIt |= mentions(A, HD.Var);
        if (OnIt && nameIn(Simple, Qualified, R.Daemon)) {
          State[H] = Daemon;
          Event(H, HandleEvent::Detached, S->getBeginLoc(), Simple);
          return true;
        }
      }
    // A guard object whose destructor will stop it (an RAII joiner).
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      if (const auto *Guard = dyn_cast_or_null<VarDecl>(
              DS->isSingleDecl() ? DS->getSingleDecl() : nullptr))
        if (Guard != HD.Var && mentions(Guard->getInit(), HD.Var))
          if (const CXXRecordDecl *RD =
                  Guard->getType()->getAsCXXRecordDecl())
            if (RD->hasDefinition() && RD->getDestructor() &&
                RD->getDestructor()->isUserProvided()) {
              State[H] = Escaped;
              Event(H, HandleEvent::Escaped, S->getBeginLoc(),
                    "guarded by '" + Guard->getName().str() + "'");
              return true;
            }
    // Escapes: returned, moved away, stored beyond the function.
    if (const auto *Ret = dyn_cast<ReturnStmt>(S)) {
      // `return t;`, `return std::move(t);`, `return p;` hand the handle to
      // the caller; `return t.result();` only reads it.
      const Expr *V = strip(Ret->getRetValue());
      if (const auto *M = dyn_cast_or_null<CallExpr>(V))
        if (const FunctionDecl *F = M->getDirectCallee())
          if (M->getNumArgs() == 1 &&
              (ruleName(F) == "std::move" || ruleName(F) == "std::forward"))
            V = strip(M->getArg(0));
      while (const auto *C = dyn_cast_or_null<CXXConstructExpr>(V))
        V = C->getNumArgs() == 1 ? strip(C->getArg(0)) : nullptr;
      if (const auto *B = dyn_cast_or_null<CXXBindTemporaryExpr>(V))
        V = strip(B->getSubExpr());
      const auto *Ref = dyn_cast_or_null<DeclRefExpr>(V);
      if (Ref && Ref->getDecl() == HD.Var) {
        State[H] = Escaped;
        Event(H, HandleEvent::Escaped, S->getBeginLoc(), "returned");
        return true;
      }
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      std::string Name = Callee ? ruleName(Callee) : "";
      bool Moved = (Name == "std::move" || Name == "std::forward") &&
                   Call->getNumArgs() == 1 &&
                   mentions(Call->getArg(0), HD.Var);
      // Handing the handle itself to the project's own code may give
      // it a new owner; toolkit and library APIs only use it.
      bool PassedOn = false;
      if (!Moved && Callee && !memberObject(S) &&
          !Library.contains(Callee->getLocation()))
        for (const Expr *A : Call->arguments()) {
          const auto *DRE = dyn_cast<DeclRefExpr>(strip(A));
          if (DRE && DRE->getDecl() == HD.Var)
            PassedOn = true;
        }
      if (Moved || PassedOn) {
        State[H] = Escaped;
        Event(H, HandleEvent::Escaped, S->getBeginLoc(),
              Moved ? (movedIntoMember(Call) ? "stored" : "moved")
                    : "passed to '" + Name + "'");
        return true;
      }
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      if (BO->isAssignmentOp() && mentions(BO->getRHS(), HD.Var)) {
        const Expr *L = strip(BO->getLHS());
        bool Outside = isa<MemberExpr>(L);
        if (const auto *DRE = dyn_cast<DeclRefExpr>(L))
          if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
            Outside = !VD->hasLocalStorage();
        if (Outside) {
          State[H] = Escaped;
          Event(H, HandleEvent::Escaped, S->getBeginLoc(), "stored");
          return true;
        }
      }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
      if (OC->isAssignmentOp() && OC->getNumArgs() == 2 &&
          mentions(OC->getArg(1), HD.Var) &&
          isa<MemberExpr>(strip(OC->getArg(0)))) {
        State[H] = Escaped;
        Event(H, HandleEvent::Escaped, S->getBeginLoc(), "stored");
        return true;
      }
    return false;
  };

  auto Transfer = [&](const CFGBlock &B, std::vector<unsigned> State) {
    const Stmt *LastReturn = nullptr;
    for (const CFGElement &E : B) {
      if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
        for (size_t H = 0; H < Handles.size(); ++H) {
          if (D->getVarDecl() != Handles[H].Var)
            continue;
          if (State[H] & Running) {
            const Stmt *Term = B.getTerminatorStmt();
            if (LastReturn)
              Leak(H, LastReturn->getBeginLoc(), "returns here");
            else if (Term && isa<BreakStmt, ContinueStmt, GotoStmt>(Term))
              Leak(H, Term->getBeginLoc(), "leaves the scope here");
            else if (const auto *CS =
                         dyn_cast_or_null<CompoundStmt>(D->getTriggerStmt()))
              Leak(H, CS->getRBracLoc(), "leaves its scope here");
            else
              Leak(H, D->getTriggerStmt() ? D->getTriggerStmt()->getEndLoc()
                                          : FD->getEndLoc(),
                   "leaves its scope here");
          }
          State[H] = Dead;
        }
        continue;
      }
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *S = CS->getStmt();
      if (isa<ReturnStmt>(S))
        LastReturn = S;
      // Which variables the statement names, found once for all handles:
      // events below only concern a handle whose variable appears.
      llvm::SmallPtrSet<const VarDecl *, 8> Refs;
      collectVars(S, Refs);
      // Whether the statement can leave the scope, the same for every
      // handle: a throw or a call that may throw, outside a try block.
      std::string ExceptionExit;
      const FunctionDecl *IfThrows = nullptr;
      if (isa<CXXThrowExpr>(S) && !insideTry(S))
        ExceptionExit = "throws here";
      else if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Callee = Call->getDirectCallee())
          if (!insideTry(S)) {
            if (packThrows(Callee))
              ExceptionExit = "an exception from '" + ruleName(Callee) +
                              "' can leave the scope here";
            else if (const FunctionDecl *Def = Callee->getDefinition();
                     !Library.contains(Callee->getCanonicalDecl()->getLocation()) ||
                     (Def && !Library.contains(Def->getLocation()))) {
              // The project's function: whether it throws is known once
              // the program (its body, its callees) is linked.
              ExceptionExit = "an exception from '" + ruleName(Callee) +
                              "' can leave the scope here";
              IfThrows = Callee;
            }
          }
      for (size_t H = 0; H < Handles.size(); ++H) {
        const Handle &HD = Handles[H];
        // Start.
        if (HD.Start ? S == HD.Start
                     : (isa<DeclStmt>(S) &&
                        cast<DeclStmt>(S)->isSingleDecl() &&
                        cast<DeclStmt>(S)->getSingleDecl() == HD.Var)) {
          State[H] = Running;
          continue;
        }
        if (!(State[H] & Running))
          continue;
        // Events only concern a handle the statement names.
        if (Refs.count(HD.Var) && applyEvent(S, H, State))
          continue;
        if (!ExceptionExit.empty())
          Leak(H, S->getBeginLoc(), ExceptionExit, IfThrows);
        // A raw pointer has no destructor: a return is where it is lost.
        else if (isa<ReturnStmt>(S) && NoDtor[H])
          Leak(H, S->getBeginLoc(), "returns here");
      }
    }
    if (const Stmt *Term = B.getTerminatorStmt())
      for (size_t H = 0; H < Handles.size(); ++H)
        if ((State[H] & Running) && StopLoops[H].count(Term))
          State[H] = (State[H] & ~Running) | Stopped;
    // Falling off the end of the function with a raw pointer.
    if (B.succ_size() == 1 && *B.succ_begin() == &Cfg->getExit() && !LastReturn)
      for (size_t H = 0; H < Handles.size(); ++H)
        if ((State[H] & Running) && NoDtor[H])
          Leak(H, FD->getBody()->getEndLoc(), "leaves the function here");
    return State;
  };

  // Iterate to a fixpoint, then once more to report from the final states.
  std::deque<const CFGBlock *> Work{&Entry};
  std::vector<bool> Queued(N, false);
  Queued[Entry.getBlockID()] = true;
  unsigned Steps = 0;
  while (!Work.empty() && Steps++ < 100000) {
    const CFGBlock *B = Work.front();
    Work.pop_front();
    Queued[B->getBlockID()] = false;
    std::vector<unsigned> Out = Transfer(*B, In[B->getBlockID()]);
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S)
        continue;
      bool Changed = !Reached[S->getBlockID()];
      Reached[S->getBlockID()] = true;
      for (size_t H = 0; H < Handles.size(); ++H) {
        unsigned Merged = In[S->getBlockID()][H] | Out[H];
        Changed |= Merged != In[S->getBlockID()][H];
        In[S->getBlockID()][H] = Merged;
      }
      if (Changed && !Queued[S->getBlockID()]) {
        Queued[S->getBlockID()] = true;
        Work.push_back(S);
      }
    }
  }
  Report = true;
  for (const CFGBlock *B : *Cfg)
    if (Reached[B->getBlockID()])
      Transfer(*B, In[B->getBlockID()]);
  for (auto &KV : Found)
    Leaks.push_back(KV.second);
  Parents = nullptr;
}

} // namespace uisan::tidy
