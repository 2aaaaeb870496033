//===- ExecutorNotShutdownCheck.cpp - uisan-executor-not-shutdown ---------===//

#include "ExecutorNotShutdownCheck.h"
#include "Lifecycle.h"
#include "ProgramModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Lexer.h"

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
  findExecutorsNotShutdown(Program, Suppressed, Out);
}

namespace {
std::string shutdownName(const rules::ExecutorRule &R) {
  return R.Shutdown.empty() ? "a shutdown" : R.Shutdown.front();
}

/// Calls `Each` with every expression that stands as a statement of its
/// own (its value dropped) in `S`, outside lambdas (analysed as functions
/// of their own); full-expression cleanups are looked through.
void forEachExpressionStatement(const Stmt *S,
                                llvm::function_ref<void(const Expr *)> Each) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    for (const Stmt *Child : CS->body()) {
      const Expr *E = dyn_cast<Expr>(Child);
      if (const auto *EWC = dyn_cast_or_null<ExprWithCleanups>(E))
        E = EWC->getSubExpr();
      if (E)
        Each(E);
    }
  for (const Stmt *Child : S->children())
    forEachExpressionStatement(Child, Each);
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

/// What an in-class initialiser or an assignment stores in an executor
/// member: one the class made (and so owns), one a parent object owns, or
/// something it only refers to (a parameter, `thread()`, another member).
std::optional<facts::FieldEvent::Kind>
ExecutorAnalysis::ownership(const Expr *E, const rules::ExecutorRule &R,
                            Lifecycle &LC) {
  for (int Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *W = dyn_cast<ExprWithCleanups>(E))
      E = W->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else
      break;
  }
  if (!E)
    return std::nullopt;
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    if (R.ParentOwned && givenParent(New, Ctx))
      return facts::FieldEvent::Kind::OwnByParent;
    return facts::FieldEvent::Kind::Own;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return std::nullopt;
    std::string Name = ruleName(Callee);
    if (Name == "std::move" && Call->getNumArgs() == 1)
      return ownership(Call->getArg(0), R, LC);
    if (R.Global.matches(Name))
      return std::nullopt;
    if (Name == "std::make_unique" || Name == "std::make_shared" ||
        R.Create.matches(Name))
      return facts::FieldEvent::Kind::Own;
    return std::nullopt;
  }
  if (const auto *CC = dyn_cast<CXXConstructExpr>(E)) {
    // `std::thread(f)`, `std::unique_ptr<T>(new T)`: a new one; a copy or a
    // move carries what its argument is.
    if (CC->getNumArgs() == 0)
      return std::nullopt;
    if (CC->getNumArgs() == 1)
      if (std::optional<facts::FieldEvent::Kind> K =
              ownership(CC->getArg(0), R, LC))
        return K;
    if (CC->getConstructor()->isCopyOrMoveConstructor())
      return std::nullopt;
    return facts::FieldEvent::Kind::Own;
  }
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() ? facts::FieldEvent::Kind::Own
                             : std::optional<facts::FieldEvent::Kind>();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      // A local the function made and hands over (`current = t;`); a
      // parameter belongs to the caller.
      if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD))
        return facts::FieldEvent::Kind::Own;
  return std::nullopt;
}

void ExecutorAnalysis::field(const FieldDecl *F) {
  Lifecycle LC(Ctx, *Index, *Library);
  if (Library->contains(F->getLocation()))
    return;
  ExecutorType T = LC.classify(F->getType());
  if (!T || (T.Rule->Raii && !T.Pointer))
    return;
  const CXXRecordDecl *RD = dyn_cast<CXXRecordDecl>(F->getParent());
  // Lambda captures are not members anyone could stop.
  if (!RD || !RD->hasDefinition() || RD->isLambda() || F->getName().empty())
    return;
  QualType Obj = F->getType().getNonReferenceType();
  if (T.Pointer)
    Obj = Obj->getPointeeType();
  const CXXRecordDecl *Element = Obj->getAsCXXRecordDecl();
  const CXXRecordDecl *SmartClass = nullptr;
  if (T.Smart && Element)
    if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(Element)) {
      SmartClass = CTS;
      Element = CTS->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
    }
  if (!LC.isJoinable(*T.Rule, Element, F->getInClassInitializer()))
    return;

  facts::TranslationUnit &TU = Diags.unit();
  facts::ExecutorField E;
  E.Field = Extractor->fieldKey(F);
  E.Name = TU.intern(F->getName());
  E.Class = Extractor->classKey(RD);
  E.ClassName = TU.intern(RD->getName());
  E.At = Diags.locations().get(F->getLocation());
  E.H = T.Container  ? facts::ExecutorField::Holder::Container
        : T.Pointer  ? facts::ExecutorField::Holder::Pointer
        : T.Smart    ? facts::ExecutorField::Holder::Smart
                     : facts::ExecutorField::Holder::Value;
  E.Type = TU.intern(T.Name);
  E.Shutdown = TU.intern(shutdownName(*T.Rule));
  if (!T.Rule->OnDestroy.empty())
    E.OnDestroy = TU.intern(T.Rule->OnDestroy);
  E.NeedsStart = !T.Container && !T.Pointer && !T.Smart &&
                 (T.Rule->DefaultIdle || !T.Rule->Start.empty());
  if (const Expr *Init = F->getInClassInitializer()) {
    std::optional<facts::FieldEvent::Kind> K = ownership(Init, *T.Rule, LC);
    // A by-value one with a start method runs only once started.
    E.OwnedHere = K == facts::FieldEvent::Kind::Own &&
                  (T.Rule->Start.empty() || T.Pointer || T.Smart);
  }
  if (const CXXDestructorDecl *Dtor = RD->getDestructor()) {
    E.Destructor = Extractor->functionKey(Dtor);
    E.UserDestructor = Dtor->isUserProvided();
  }
  if (Element && Library->contains(Element->getLocation()) == false)
    E.ElementClass = Extractor->classKey(Element);
  if (SmartClass) {
    const auto *CTS = cast<ClassTemplateSpecializationDecl>(SmartClass);
    if (CTS->getTemplateArgs().size() > 1 &&
        CTS->getTemplateArgs()[1].getKind() == TemplateArgument::Type)
      if (const CXXRecordDecl *D =
              CTS->getTemplateArgs()[1].getAsType()->getAsCXXRecordDecl())
        if (D->hasDefinition() && !Library->contains(D->getLocation()))
          for (const CXXMethodDecl *M : D->getDefinition()->methods())
            if (M->getOverloadedOperator() == OO_Call)
              E.Deleter = Extractor->functionKey(M);
  }
  TU.ExecutorFields.push_back(E);
}

namespace {
/// The member, parameter or object (`this`) an expression refers to, for
/// what a function does to executors.
struct HandleRef {
  const FieldDecl *Field = nullptr;
  const ParmVarDecl *Param = nullptr;
  bool This = false;
  explicit operator bool() const { return Field || Param || This; }
};

HandleRef handleOf(const Expr *E) {
  for (int Guard = 0; E && Guard < 12; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return {};
      E = UO->getSubExpr();
      continue;
    }
    // An element of a member array or container: `m_threads + i`,
    // `threads_[i]`, `threads_.at(i)`, `*it` of `threads_.begin()`.
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if ((BO->getOpcode() != BO_Add && BO->getOpcode() != BO_Sub) ||
          !BO->getType()->isPointerType())
        return {};
      E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS() : BO->getRHS();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      // A smart pointer's '->' and '*', an iterator's, a container's '[]'.
      if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star ||
           OC->getOperator() == OO_Subscript) &&
          OC->getNumArgs() > 0) {
        E = OC->getArg(0);
        continue;
      }
      return {};
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getDeclName().isIdentifier() &&
          llvm::is_contained({"get", "begin", "front", "back", "at", "data"},
                             M->getName())) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return {};
    }
    // A local that points into a member (`auto *t = m_threads + i;`, a
    // range-for's element), followed to what it was initialised with.
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) && VD->getInit() &&
            (VD->getType()->isPointerType() || VD->getType()->isReferenceType() ||
             VD->isImplicit() || VD->isCXXForRangeDecl())) {
          E = VD->getInit();
          continue;
        }
    break;
  }
  if (!E)
    return {};
  HandleRef R;
  if (isa<CXXThisExpr>(E)) {
    R.This = true;
    return R;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        R.Field = FD;
    return R;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    R.Param = dyn_cast<ParmVarDecl>(DRE->getDecl());
  return R;
}
} // namespace

void ExecutorAnalysis::summarize(const FunctionDecl *FD, facts::Function &Out) {
  Lifecycle LC(Ctx, *Index, *Library);
  const auto *Method = dyn_cast<CXXMethodDecl>(FD);
  auto TypeOf = [&](const HandleRef &H) -> QualType {
    if (H.Field)
      return H.Field->getType();
    if (H.Param)
      return H.Param->getType();
    if (H.This && Method)
      return Ctx.getRecordType(Method->getParent());
    return QualType();
  };
  auto ParamIndex = [&](const HandleRef &H) -> uint32_t {
    return H.This ? facts::HandOver::This : H.Param->getFunctionScopeIndex();
  };
  llvm::SmallPtrSet<const void *, 8> StopsSeen;
  auto Stops = [&](const HandleRef &H, SourceLocation At) {
    if (H.Field) {
      Out.FieldEvents.push_back({facts::FieldEvent::Kind::Stop,
                                 Extractor->fieldKey(H.Field),
                                 Diags.locations().get(At)});
    } else if ((H.Param || H.This) &&
               StopsSeen.insert(H.Param ? (const void *)H.Param : FD).second) {
      Out.StopsParams.push_back(ParamIndex(H));
    }
  };
  auto Event = [&](facts::FieldEvent::Kind K, const FieldDecl *F,
                   SourceLocation At) {
    Out.FieldEvents.push_back({K, Extractor->fieldKey(F), Diags.locations().get(At)});
  };
  auto Names = [&](const FunctionDecl *Callee, const std::vector<std::string> &List) {
    std::string Simple = Callee->getDeclName().isIdentifier()
                             ? Callee->getName().str()
                             : std::string();
    std::string Qualified = ruleName(Callee);
    return llvm::any_of(List, [&](const std::string &N) {
      return N == Simple || N == Qualified;
    });
  };
  auto Assigned = [&](const Expr *Target, const Expr *Value, SourceLocation At) {
    HandleRef H = handleOf(Target);
    if (!H.Field)
      return;
    ExecutorType T = LC.classify(H.Field->getType());
    if (!T)
      return;
    if (std::optional<facts::FieldEvent::Kind> K = ownership(Value, *T.Rule, LC))
      Event(*K, H.Field, At);
  };

  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && Init->getMember())
        if (ExecutorType T = LC.classify(Init->getMember()->getType()))
          if (std::optional<facts::FieldEvent::Kind> K =
                  ownership(Init->getInit(), *T.Rule, LC))
            Event(*K, Init->getMember(), Init->getSourceLocation());

  // An explicit stack: bodies nest as deep as their longest expression.
  llvm::SmallVector<const Stmt *, 64> Work{FD->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);

    // `while (t->isRunning()) processEvents();` waits for it.
    const Expr *Cond = nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(S))
      Cond = W->getCond();
    else if (const auto *D = dyn_cast<DoStmt>(S))
      Cond = D->getCond();
    if (Cond)
      if (const auto *MC =
              dyn_cast<CXXMemberCallExpr>(Cond->IgnoreParenImpCasts()))
        if (const FunctionDecl *Callee = MC->getDirectCallee()) {
          HandleRef H = handleOf(MC->getImplicitObjectArgument());
          if (ExecutorType T = H ? LC.classify(TypeOf(H)) : ExecutorType())
            if (Names(Callee, T.Rule->Running))
              Stops(H, MC->getExprLoc());
        }

    if (const auto *Del = dyn_cast<CXXDeleteExpr>(S)) {
      HandleRef H = handleOf(Del->getArgument());
      if (H.Field)
        Event(facts::FieldEvent::Kind::Delete, H.Field, Del->getBeginLoc());
      if (ExecutorType T = H ? LC.classify(TypeOf(H)) : ExecutorType())
        if (T.Rule->Raii)
          Stops(H, Del->getBeginLoc());
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign)
        Assigned(BO->getLHS(), BO->getRHS(), BO->getOperatorLoc());
      continue;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      continue;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      continue;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call))
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        Assigned(OC->getArg(0), OC->getArg(1), OC->getOperatorLoc());
        continue;
      }
    const Expr *Object = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      Object = MC->getImplicitObjectArgument();
    llvm::SmallVector<const Expr *, 8> Args = callArguments(Call);

    // Stops and starts, on the object (`t.join()`, `wait()`) or an
    // argument (`pthread_join(t, 0)`, `g_thread_join(t)`).
    auto Apply = [&](const HandleRef &H, bool OnObject) {
      ExecutorType T = H ? LC.classify(TypeOf(H)) : ExecutorType();
      if (!T)
        return;
      if (Names(Callee, T.Rule->Shutdown))
        Stops(H, Call->getExprLoc());
      else if (H.Field && Names(Callee, T.Rule->Start) &&
               (OnObject || !isa<CXXMemberCallExpr>(Call)))
        Event(facts::FieldEvent::Kind::Start, H.Field, Call->getExprLoc());
      // unique_ptr::reset(new T)
      if (H.Field && OnObject && Callee->getName() == "reset" && !Args.empty())
        if (std::optional<facts::FieldEvent::Kind> K =
                ownership(Args[0], *T.Rule, LC))
          Event(*K, H.Field, Call->getExprLoc());
    };
    HandleRef ObjectRef;
    if (Object)
      ObjectRef = handleOf(Object);
    else if (isa<CXXMemberCallExpr>(Call))
      ObjectRef.This = true;
    if (isa<CXXMemberCallExpr>(Call) && !Object)
      ObjectRef.This = true;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (MC->getImplicitObjectArgument() &&
          isa<CXXThisExpr>(MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
        ObjectRef.This = true;
    Apply(ObjectRef, true);
    for (const Expr *A : Args)
      Apply(handleOf(A), false);

    // Handed to the project's own code, which may stop it.
    if (Library->contains(Callee->getCanonicalDecl()->getLocation()))
      continue;
    auto HandOver = [&](const HandleRef &H, uint32_t Param) {
      if (!H || !LC.classify(TypeOf(H)))
        return;
      facts::HandOver O;
      O.Callee = Extractor->functionKey(Callee);
      O.Param = Param;
      if (H.Field)
        O.Field = Extractor->fieldKey(H.Field);
      else
        O.FromParam = ParamIndex(H);
      O.At = Diags.locations().get(Call->getExprLoc());
      Out.HandOvers.push_back(O);
    };
    if (isa<CXXMemberCallExpr>(Call))
      HandOver(ObjectRef, facts::HandOver::This);
    for (unsigned I = 0; I < Args.size(); ++I)
      HandOver(handleOf(Args[I]), I);
  }
}

void ExecutorAnalysis::boundedWait(const Expr *E, Lifecycle &LC) {
  // `pool.waitForDone(1000);` as a statement: its answer is dropped.
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  if (!MC || !MC->getMethodDecl() || MC->getNumArgs() == 0 ||
      MC->getType()->isVoidType())
    return;
  // A default argument is not a timeout the caller chose.
  if (llvm::all_of(MC->arguments(),
                   [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
    return;
  QualType Obj = MC->getImplicitObjectArgument()->getType();
  if (Obj->isPointerType())
    Obj = Obj->getPointeeType();
  ExecutorType T = LC.classify(Obj);
  if (!T)
    return;
  std::string Name = MC->getMethodDecl()->getName().str();
  if (!llvm::is_contained(T.Rule->Bounded, Name))
    return;
  diag(MC->getExprLoc(),
       "the result of '%0' with a timeout is ignored: when the timeout "
       "passes first, the thread of this '%1' is still running and "
       "outlives its owner; check the result and stop it another way, or "
       "call '%0' without a timeout")
      << Name << T.Name;
}

namespace {
/// The class a qualified name ('std::jthread') names in this TU, if any.
const CXXRecordDecl *findClass(ASTContext &Ctx, llvm::StringRef Qualified) {
  const DeclContext *DC = Ctx.getTranslationUnitDecl();
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Qualified.split(Parts, "::");
  for (size_t I = 0; I < Parts.size(); ++I) {
    const NamedDecl *Found = nullptr;
    for (const NamedDecl *D : DC->lookup(&Ctx.Idents.get(Parts[I])))
      if (I + 1 < Parts.size() ? isa<NamespaceDecl>(D) || isa<CXXRecordDecl>(D)
                               : isa<CXXRecordDecl>(D))
        Found = D;
    if (!Found)
      return nullptr;
    if (I + 1 == Parts.size())
      return cast<CXXRecordDecl>(Found);
    DC = cast<DeclContext>(Found);
  }
  return nullptr;
}

/// True when a callable handed to the new thread cannot be given a stop
/// token by std::jthread: a non-generic lambda or a plain function.
bool takesNoStopToken(const Expr *Callable) {
  Callable = Callable->IgnoreParenImpCasts();
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Callable))
    Callable = M->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(Callable))
    if (U->getOpcode() == UO_AddrOf)
      Callable = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *L = dyn_cast<LambdaExpr>(Callable))
    return !L->isGenericLambda();
  if (const auto *DR = dyn_cast<DeclRefExpr>(Callable))
    return isa<FunctionDecl>(DR->getDecl()) && !isa<CXXMethodDecl>(DR->getDecl());
  return false;
}

/// Counts the references to `Var` in `S`, and those that are the object of
/// a call of one of `Methods`.
void countUses(const Stmt *S, const VarDecl *Var,
               const std::vector<std::string> &Methods, unsigned &All,
               unsigned &Calls) {
  if (!S)
    return;
  if (const auto *DR = dyn_cast<DeclRefExpr>(S))
    if (DR->getDecl() == Var)
      ++All;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    if (const auto *DR =
            dyn_cast<DeclRefExpr>(MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      if (DR->getDecl() == Var && MC->getMethodDecl() &&
          MC->getMethodDecl()->getDeclName().isIdentifier() &&
          llvm::is_contained(Methods, MC->getMethodDecl()->getName()))
        ++Calls;
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    countUses(L->getBody(), Var, Methods, All, Calls);
    for (const Expr *Init : L->capture_inits())
      countUses(Init, Var, Methods, All, Calls);
    return;
  }
  for (const Stmt *Child : S->children())
    countUses(Child, Var, Methods, All, Calls);
}
} // namespace

std::optional<std::pair<CharSourceRange, std::string>>
ExecutorAnalysis::raiiFix(const FunctionDecl *FD, const VarDecl *Var,
                          const rules::ExecutorRule &R) {
  if (R.RaiiAlternative.empty() || !Var->hasLocalStorage() ||
      isa<ParmVarDecl>(Var) || Var->getType()->isReferenceType() ||
      !Var->getTypeSourceInfo() || !findClass(Ctx, R.RaiiAlternative))
    return std::nullopt;
  // The type as written must name the class itself: not 'auto', not a
  // typedef, not from a macro.
  UnqualTypeLoc Spelled = Var->getTypeSourceInfo()->getTypeLoc().getUnqualifiedLoc();
  TypeLoc Named = Spelled;
  if (auto E = Named.getAs<ElaboratedTypeLoc>())
    Named = E.getNamedTypeLoc();
  if (!Named.getAs<RecordTypeLoc>())
    return std::nullopt;
  SourceRange Written = Spelled.getSourceRange();
  if (Written.getBegin().isMacroID() || Written.getEnd().isMacroID())
    return std::nullopt;
  // Started right here, on a callable that cannot take a stop token.
  const auto *Construct =
      Var->getInit() ? dyn_cast<CXXConstructExpr>(Var->getInit()->IgnoreImplicit())
                     : nullptr;
  if (!Construct || Construct->getNumArgs() == 0 ||
      !takesNoStopToken(Construct->getArg(0)))
    return std::nullopt;
  // Used only through methods the alternative has too.
  unsigned All = 0, Calls = 0;
  countUses(FD->getBody(), Var, R.RaiiMethods, All, Calls);
  if (All != Calls)
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = CharSourceRange::getCharRange(
      Written.getBegin(),
      Lexer::getLocForEndOfToken(Written.getEnd(), 0, SM, Ctx.getLangOpts()));
  return std::make_pair(Range, R.RaiiAlternative);
}

void ExecutorAnalysis::function(const FunctionDecl *FD) {
  Lifecycle LC(Ctx, *Index, *Library);
  if (Library->contains(FD->getLocation()) || FD->isDependentContext())
    return;
  if (!Diags.unit().Functions.empty())
    summarize(FD, Diags.unit().Functions.back());
  // Expressions whose value the function drops.
  forEachExpressionStatement(FD->getBody(), [&](const Expr *E) {
    droppedNew(E, LC);
    boundedWait(E, LC);
  });
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
      if (!R.OnDestroy.empty() && !H.Type.Pointer && !H.Type.Container) {
        auto D = diag(H.Var->getLocation(),
                      "'%1' (%0) can leave its scope still running, and then "
                      "%2; call '%3' on every path%4");
        D << What << H.Var->getName() << R.OnDestroy << Stop;
        if (auto Fix = H.Start ? std::nullopt : raiiFix(FD, H.Var, R)) {
          D << ", or make it a '" + Fix->second + "', which joins when it "
                                                  "goes out of scope";
          D.fix(Fix->first, Fix->second);
        } else {
          D << "";
        }
      }
      else
        diag(H.Var->getLocation(),
             "'%1' (%0) can leave its scope still running: its threads "
             "outlive it; call '%2' on every path%3")
            << What << H.Var->getName() << Stop
            << (Ctx.getLangOpts().CPlusPlus
                    ? " (in a catch-all handler that rethrows, or a guard "
                      "object)"
                    : "");
      // Exits that depend on whether a project function throws are kept
      // or dropped when the program is linked; the first three left show.
      for (size_t N = 0; N < Mine.size() && N < 8; ++N)
        diag(Mine[N]->Loc, "%0 without '%1'", DiagnosticIDs::Note)
                .exit(Mine[N]->IfThrows ? Extractor->functionKey(Mine[N]->IfThrows)
                                        : facts::NoStr)
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

void ExecutorAnalysis::droppedNew(const Expr *E, Lifecycle &LC) {
  // `new std::thread(f);` as a statement of its own: nobody can stop it.
  const auto *New = dyn_cast<CXXNewExpr>(E->IgnoreParenImpCasts());
  if (!New)
    return;
  ExecutorType T = LC.classify(LC.pointerTo(New->getAllocatedType()));
  if (!T)
    return;
  if (T.Rule->ParentOwned && givenParent(New, Ctx))
    return;
  diag(New->getBeginLoc(),
       "heap-allocated '%0' is never stopped, stored or deleted: its "
       "threads outlive every owner; keep it and call '%1' on it")
      << T.Name << shutdownName(*T.Rule);
}


//===----------------------------------------------------------------------===//
// On the linked program
//===----------------------------------------------------------------------===//

namespace {

using Id = ProgramModel::Id;
constexpr uint32_t None = ProgramModel::None;

/// Which (function, parameter) pairs stop what they are given: directly,
/// or by handing it on to one that does (`stop()` calling `worker->join()`,
/// a deleter, `waitForThread(t)`), through any depth.
class StopSummaries {
public:
  explicit StopSummaries(const ProgramModel &P) {
    llvm::DenseMap<std::pair<Id, uint32_t>, llvm::SmallVector<std::pair<Id, uint32_t>, 2>>
        HandedBy;
    llvm::SmallVector<std::pair<Id, uint32_t>, 32> Work;
    for (const ProgramModel::Function &F : P.functions()) {
      for (uint32_t Param : F.Facts->StopsParams)
        if (Stops.insert({F.Key, Param}).second)
          Work.push_back({F.Key, Param});
      for (const facts::HandOver &H : F.Facts->HandOvers) {
        if (H.Field != facts::NoStr)
          continue;
        Id Callee = P.id(F.Tu, H.Callee);
        HandedBy[{Callee, H.Param}].push_back({F.Key, H.FromParam});
        for (Id O : P.overriders(Callee))
          HandedBy[{O, H.Param}].push_back({F.Key, H.FromParam});
      }
    }
    while (!Work.empty()) {
      auto It = HandedBy.find(Work.pop_back_val());
      if (It == HandedBy.end())
        continue;
      for (const auto &Caller : It->second)
        if (Stops.insert(Caller).second)
          Work.push_back(Caller);
    }
  }
  bool stops(Id Function, uint32_t Param) const {
    return Stops.count({Function, Param});
  }

private:
  llvm::DenseSet<std::pair<Id, uint32_t>> Stops;
};

/// The functions that run when objects are destroyed or the application
/// shuts down: destructors, teardown hooks, and what they call.
std::vector<bool> teardownCode(const ProgramModel &P) {
  std::vector<bool> In(P.functions().size(), false);
  std::vector<uint32_t> Work;
  auto Add = [&](uint32_t Fn) {
    if (!In[Fn]) {
      In[Fn] = true;
      Work.push_back(Fn);
    }
  };
  for (uint32_t I = 0; I < P.functions().size(); ++I)
    if (P.functions()[I].Facts->Destructor || P.functions()[I].Facts->Teardown)
      Add(I);
  for (uint32_t T = 0; T < P.units().size(); ++T)
    P.forEachFunction(T, P.units()[T].TeardownCallables,
                      [&](Id Key, uint32_t) {
                        for (uint32_t G : P.definitions(Key, T))
                          Add(G);
                      });
  while (!Work.empty()) {
    uint32_t Fn = Work.back();
    Work.pop_back();
    P.forEachCallee(Fn, [&](uint32_t G, const facts::Call &, bool) { Add(G); });
    const ProgramModel::Function &F = P.functions()[Fn];
    for (const facts::ValueCall &VC : F.Facts->ValueCalls)
      P.forEachFunction(F.Tu, VC.Callees, [&](Id Key, uint32_t) {
        for (uint32_t G : P.definitions(Key, F.Tu))
          Add(G);
      });
  }
  return In;
}

} // namespace

void findExecutorsNotShutdown(const ProgramModel &P, SuppressedFn Suppressed,
                              std::vector<Finding> &Out) {
  const char *Check = "uisan-executor-not-shutdown";
  localFindings(P, Check, Suppressed, Out);

  struct Member {
    const facts::ExecutorField *E = nullptr;
    uint32_t Tu = 0;
    std::vector<std::pair<uint32_t, const facts::FieldEvent *>> Events;
    std::vector<std::pair<uint32_t, const facts::HandOver *>> HandOvers;
  };
  llvm::DenseMap<Id, Member> Members;
  std::vector<Id> Order;
  for (uint32_t T = 0; T < P.units().size(); ++T)
    for (const facts::ExecutorField &E : P.units()[T].ExecutorFields) {
      Id Key = P.id(T, E.Field);
      if (Members.try_emplace(Key, Member{&E, T, {}, {}}).second)
        Order.push_back(Key);
    }
  if (Members.empty())
    return;
  for (uint32_t Fn = 0; Fn < P.functions().size(); ++Fn) {
    const ProgramModel::Function &F = P.functions()[Fn];
    for (const facts::FieldEvent &E : F.Facts->FieldEvents) {
      auto It = Members.find(P.id(F.Tu, E.Field));
      if (It != Members.end())
        It->second.Events.push_back({Fn, &E});
    }
    for (const facts::HandOver &H : F.Facts->HandOvers)
      if (H.Field != facts::NoStr) {
        auto It = Members.find(P.id(F.Tu, H.Field));
        if (It != Members.end())
          It->second.HandOvers.push_back({Fn, &H});
      }
  }
  StopSummaries Stops(P);
  std::vector<bool> Teardown = teardownCode(P);
  // A class whose destructor stops the thread it is (a QThread subclass
  // that quits and waits): destroying one stops it.
  llvm::DenseSet<Id> SelfStopping;
  for (const ProgramModel::Function &F : P.functions())
    if (F.Facts->Destructor && F.Facts->Class != facts::NoStr &&
        Stops.stops(F.Key, facts::HandOver::This))
      SelfStopping.insert(P.id(F.Tu, F.Facts->Class));

  using Holder = facts::ExecutorField::Holder;
  using Kind = facts::FieldEvent::Kind;
  for (Id Key : Order) {
    const Member &M = Members[Key];
    const facts::ExecutorField &E = *M.E;
    auto Str = [&](facts::Str S) { return P.str(P.id(M.Tu, S)).str(); };
    const facts::FieldEvent *Made = nullptr;
    uint32_t MadeIn = None;
    bool Deleted = false;
    for (const auto &[Fn, Ev] : M.Events) {
      if ((Ev->K == Kind::Own || Ev->K == Kind::Start) && !Made) {
        Made = Ev;
        MadeIn = Fn;
      }
      Deleted |= Ev->K == Kind::Delete;
    }
    // A member the class never makes nor starts is somebody else's
    // (`original_thread_ = thread()`, one passed in); an idle one runs
    // nothing; one made with a parent object is the parent's.
    bool Owned = E.OwnedHere || Made;
    if ((E.H == Holder::Pointer || E.H == Holder::Smart) && !Owned)
      continue;
    if (E.H == Holder::Value && E.NeedsStart && !Owned)
      continue;
    // A destructor the program declares but the checked files do not
    // define may stop it: only what is seen counts.
    if (E.UserDestructor && P.function(P.id(M.Tu, E.Destructor)) == None)
      continue;
    if (E.H == Holder::Smart && E.Deleter != facts::NoStr &&
        Stops.stops(P.id(M.Tu, E.Deleter), 0))
      continue;
    if (E.ElementClass != facts::NoStr &&
        SelfStopping.count(P.id(M.Tu, E.ElementClass)) &&
        (E.H != Holder::Pointer || Deleted))
      continue;
    // What stops it, and whether that runs when its owner is destroyed.
    bool Stopped = false;
    uint32_t StopsElsewhere = None;
    auto Stopper = [&](uint32_t Fn) {
      if (Teardown[Fn])
        Stopped = true;
      else if (StopsElsewhere == None)
        StopsElsewhere = Fn;
    };
    for (const auto &[Fn, Ev] : M.Events)
      if (Ev->K == Kind::Stop)
        Stopper(Fn);
    for (const auto &[Fn, H] : M.HandOvers) {
      const ProgramModel::Function &F = P.functions()[Fn];
      if (Stops.stops(P.id(F.Tu, H->Callee), H->Param))
        Stopper(Fn);
    }
    if (Stopped)
      continue;

    Finding F;
    F.Check = Check;
    F.Loc = P.where(M.Tu, E.At);
    if (Suppressed(F.Loc, Check))
      continue;
    std::string Consequence =
        E.H == Holder::Pointer ? "it leaks a running thread"
        : E.OnDestroy != facts::NoStr
            ? "destroying a running one: " + Str(E.OnDestroy)
            : "its threads outlive the object";
    std::string Owner = Str(E.ClassName);
    F.Message = "member '" + Str(E.Name) + "' holds a '" + Str(E.Type) +
                "' that '~" + Owner + "' does not stop; " + Consequence +
                "; call '" + Str(E.Shutdown) + "' on it in '~" + Owner + "'";
    if (StopsElsewhere != None) {
      const ProgramModel::Function &S = P.functions()[StopsElsewhere];
      F.Notes.push_back({P.where(S.Tu, S.Facts->At),
                         P.describe(StopsElsewhere) + " stops it, but '~" +
                             Owner + "' does not call it"});
    }
    if (Made) {
      const ProgramModel::Function &W = P.functions()[MadeIn];
      F.Notes.push_back({P.where(W.Tu, Made->At),
                         Made->K == Kind::Start ? "started here" : "stored here"});
    }
    Out.push_back(std::move(F));
  }
}

} // namespace uisan::tidy
