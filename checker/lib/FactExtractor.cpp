//===- FactExtractor.cpp - a translation unit's AST to facts --------------===//

#include "FactExtractor.h"
#include "UisanCheck.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Path.h"

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

/// Nodes between a variable and the thread object it is initialised with:
/// `seed::Thread t(f)`, `auto *t = new seed::Thread(f)`, temporaries, and
/// an owning wrapper around it (`std::unique_ptr<T> t(new T(f))`).
bool passesHolder(const Stmt *S) {
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    return CE->getNumArgs() == 1;
  return isa<CXXNewExpr, ImplicitCastExpr, ExprWithCleanups,
             MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             CXXFunctionalCastExpr, ParenExpr>(S);
}

const Expr *strip(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *W = dyn_cast<ExprWithCleanups>(E))
      E = W->getSubExpr();
    else if (const auto *D = dyn_cast<CXXDefaultArgExpr>(E))
      E = D->getExpr();
    else if (const auto *I = dyn_cast<CXXDefaultInitExpr>(E))
      E = I->getExpr();
    else if (const auto *C = dyn_cast<ConstantExpr>(E))
      E = C->getSubExpr();
    else
      return E;
  }
  return E;
}

/// A virtual call dispatches on the object's dynamic type; a qualified call
/// (`Base::run()`) or a final method does not.
bool isVirtualCall(const Expr *Call, const FunctionDecl *Callee) {
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  if (!MD || !MD->isVirtual() || MD->hasAttr<FinalAttr>() ||
      MD->getParent()->hasAttr<FinalAttr>())
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()))
      return !ME->hasQualifier();
  return false;
}

bool isLambdaOperator(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda();
}
} // namespace

std::string describeFunction(const FunctionDecl *FD) { return ruleName(FD); }

//===----------------------------------------------------------------------===//
// Places
//===----------------------------------------------------------------------===//

facts::Loc LocationTable::get(SourceLocation L) {
  facts::Loc Out;
  if (L.isInvalid())
    return Out;
  L = SM.getFileLoc(L);
  FileID FID = SM.getFileID(L);
  if (FID.isInvalid())
    return Out;
  auto It = FileNames.find(FID.getHashValue());
  if (It == FileNames.end()) {
    std::string Name;
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
      llvm::SmallString<256> Path(FE->getName());
      SM.getFileManager().makeAbsolutePath(Path);
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      Name = std::string(Path);
    } else {
      Name = SM.getBufferName(L).str();
    }
    facts::Str S = TU.intern(Name);
    It = FileNames.try_emplace(FID.getHashValue(), S).first;
    Files.try_emplace(S, FID);
  }
  Out.File = It->second;
  unsigned Offset = SM.getFileOffset(L);
  Out.Offset = Offset;
  Out.Line = SM.getLineNumber(FID, Offset);
  Out.Column = SM.getColumnNumber(FID, Offset);
  return Out;
}

std::vector<facts::MacroStep> LocationTable::expansion(SourceLocation L) {
  std::vector<facts::MacroStep> Out;
  for (unsigned Guard = 0; L.isMacroID() && Guard < 256; ++Guard) {
    llvm::StringRef Name =
        Lexer::getImmediateMacroNameForDiagnostics(L, SM, LO);
    // A macro argument's expansion has no name of its own: the argument
    // is written at the use.
    if (!Name.empty())
      Out.push_back({get(SM.getSpellingLoc(L)), TU.intern(Name)});
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return Out;
}

FileID LocationTable::fileId(facts::Str File) const {
  auto It = Files.find(File);
  return It == Files.end() ? FileID() : It->second;
}

//===----------------------------------------------------------------------===//
// Keys and slots
//===----------------------------------------------------------------------===//

std::string FactExtractor::usr(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (!index::generateUSRForDecl(D, Buf))
    return std::string(Buf);
  // No USR (rare: some implicit declarations): a name and a place.
  std::string Name;
  if (const auto *ND = dyn_cast<NamedDecl>(D))
    Name = ND->getQualifiedNameAsString();
  facts::Loc L = Locations.get(D->getLocation());
  return "uisan:" + Name + "@" + TU.str(L.File).str() + ":" +
         std::to_string(L.Offset);
}

facts::Str FactExtractor::functionKey(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Keys.find(FD);
  if (It != Keys.end())
    return It->second;
  std::string Key;
  if (isLambdaOperator(FD)) {
    // Lambdas have no USR of their own that is safe to use: name them by the
    // code around them (its key carries template arguments, so each
    // instantiation's lambda differs) and their place in the file, which is
    // the same in every TU that includes it.
    const CXXRecordDecl *Class = cast<CXXMethodDecl>(FD)->getParent();
    std::string Around;
    if (const auto *Outer = dyn_cast<FunctionDecl>(Class->getDeclContext()))
      Around = TU.str(functionKey(Outer)).str();
    else if (const Decl *Context = Class->getLambdaContextDecl())
      Around = usr(Context);
    else if (const auto *DC = dyn_cast<Decl>(Class->getDeclContext()))
      Around = usr(DC);
    const SourceManager &SM = Ctx.getSourceManager();
    SourceLocation At = Class->getLocation();
    Key = Around + "$L" +
          std::to_string(SM.getFileOffset(SM.getExpansionLoc(At))) + "." +
          std::to_string(SM.getFileOffset(SM.getSpellingLoc(At)));
    if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs()) {
      std::string Printed;
      llvm::raw_string_ostream OS(Printed);
      printTemplateArgumentList(OS, Args->asArray(), Ctx.getPrintingPolicy());
      Key += OS.str();
    }
  } else {
    Key = usr(FD);
  }
  facts::Str S = TU.intern(Key);
  Keys[FD] = S;
  return S;
}

facts::Str FactExtractor::classKey(const CXXRecordDecl *RD) {
  RD = RD->getCanonicalDecl();
  auto It = Keys.find(RD);
  if (It != Keys.end())
    return It->second;
  return Keys[RD] = TU.intern(usr(RD));
}

facts::Str FactExtractor::fieldKey(const FieldDecl *FD) {
  auto It = Keys.find(FD);
  if (It != Keys.end())
    return It->second;
  return Keys[FD] = TU.intern(usr(FD));
}

facts::Str FactExtractor::slot(facts::Slot::Kind K, const std::string &Key,
                               llvm::StringRef Name, const FunctionDecl *Owner,
                               unsigned Index) {
  facts::Str S = TU.intern(Key);
  if (SlotsWritten.insert(S).second) {
    facts::Slot Fact;
    Fact.Key = S;
    Fact.K = K;
    Fact.Name = TU.intern(Name);
    if (Owner) {
      Fact.Function = functionKey(Owner);
      Fact.Owner = TU.intern(describeFunction(Owner));
    }
    Fact.Index = Index;
    TU.Slots.push_back(Fact);
    SlotNames[S] = Fact.Name;
  }
  return S;
}

facts::Str FactExtractor::fieldSlot(const FieldDecl *FD) {
  return slot(facts::Slot::Kind::Field, "f:" + usr(FD), ruleName(FD));
}

facts::Str FactExtractor::paramSlot(const FunctionDecl *FD, unsigned Index) {
  std::string Fn = TU.str(functionKey(FD)).str();
  llvm::StringRef Name;
  if (Index < FD->getNumParams())
    Name = FD->getParamDecl(Index)->getName();
  // A declaration may leave the parameter unnamed; the definition names it.
  if (Name.empty())
    if (const FunctionDecl *Def = FD->getDefinition())
      if (Index < Def->getNumParams())
        Name = Def->getParamDecl(Index)->getName();
  return slot(facts::Slot::Kind::Param, "p:" + Fn + "#" + std::to_string(Index),
              Name, FD, Index);
}

facts::Str FactExtractor::returnSlot(const FunctionDecl *FD) {
  return slot(facts::Slot::Kind::Return, "r:" + TU.str(functionKey(FD)).str(),
              describeFunction(FD), FD);
}

facts::Str FactExtractor::varSlot(const VarDecl *VD) {
  if (const auto *PVD = dyn_cast<ParmVarDecl>(VD))
    if (const auto *FD = dyn_cast<FunctionDecl>(PVD->getDeclContext()))
      return paramSlot(FD, PVD->getFunctionScopeIndex());
  if (VD->isLocalVarDeclOrParm()) {
    const auto *Fn = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
    std::string Around = Fn ? TU.str(functionKey(Fn)).str() : "?";
    const SourceManager &SM = Ctx.getSourceManager();
    return slot(facts::Slot::Kind::Local,
                "l:" + Around + "@" +
                    std::to_string(SM.getFileOffset(
                        SM.getExpansionLoc(VD->getLocation()))),
                VD->getName(), Fn);
  }
  return slot(facts::Slot::Kind::Global, "g:" + usr(VD), ruleName(VD));
}

//===----------------------------------------------------------------------===//
// What holds callables
//===----------------------------------------------------------------------===//

bool FactExtractor::isProject(const Decl *D) {
  return D && !Library.contains(D->getCanonicalDecl()->getLocation());
}

bool FactExtractor::mayHoldCallable(QualType T, unsigned Depth) {
  if (T.isNull() || Depth > 4)
    return false;
  T = T.getNonReferenceType();
  const Type *Key = T.getCanonicalType().getTypePtr();
  auto It = HoldsCallable.find(Key);
  if (It != HoldsCallable.end())
    return It->second;
  HoldsCallable[Key] = false; // a recursive type ends here
  bool Holds = false;
  QualType C = T.getCanonicalType();
  if (C->isFunctionType() || C->isFunctionPointerType() ||
      C->isMemberFunctionPointerType() || C->isBlockPointerType())
    Holds = true;
  else if (C->isPointerType() || C->isArrayType())
    Holds = mayHoldCallable(C->isPointerType() ? C->getPointeeType()
                                               : QualType(C->getArrayElementTypeNoTypeQual(), 0),
                            Depth + 1);
  else if (const CXXRecordDecl *RD = C->getAsCXXRecordDecl()) {
    if (RD->isLambda())
      Holds = true;
    else if (RD->hasDefinition()) {
      for (const CXXMethodDecl *MD : RD->getDefinition()->methods())
        if (MD->getOverloadedOperator() == OO_Call) {
          Holds = true;
          break;
        }
      if (!Holds)
        if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
          for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
            if (A.getKind() == TemplateArgument::Type &&
                mayHoldCallable(A.getAsType(), Depth + 1)) {
              Holds = true;
              break;
            }
    }
  }
  HoldsCallable[Key] = Holds;
  return Holds;
}

bool FactExtractor::isCallableType(QualType T) {
  if (T.isNull())
    return false;
  QualType C = T.getNonReferenceType().getCanonicalType();
  if (C->isFunctionType() || C->isFunctionPointerType() ||
      C->isMemberFunctionPointerType() || C->isBlockPointerType())
    return true;
  if (C->isPointerType())
    C = C->getPointeeType().getCanonicalType();
  const CXXRecordDecl *RD = C->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  if (RD->isLambda())
    return true;
  for (const CXXMethodDecl *MD : RD->getDefinition()->methods())
    if (MD->getOverloadedOperator() == OO_Call)
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Callable values
//===----------------------------------------------------------------------===//

void FactExtractor::queueLambda(const LambdaExpr *L,
                                std::vector<facts::Value> *Out) {
  std::vector<facts::Value> Ignored;
  std::vector<facts::Value> &Into = Out ? *Out : Ignored;
  if (L->isGenericLambda()) {
    if (const FunctionTemplateDecl *T = L->getDependentCallOperator())
      for (const FunctionDecl *Spec : T->specializations())
        addFunction(Spec, Into);
    return;
  }
  addFunction(L->getCallOperator(), Into);
}

void FactExtractor::addFunction(const FunctionDecl *FD,
                                std::vector<facts::Value> &Out) {
  if (!FD || !isProject(FD))
    return;
  if (isLambdaOperator(FD) && !Visited.count(FD))
    PendingLambdas.push_back(FD);
  Out.push_back({facts::Value::Kind::Function, functionKey(FD)});
}

void FactExtractor::addCallOperators(const CXXRecordDecl *RD,
                                     std::vector<facts::Value> &Out) {
  if (!RD || !RD->hasDefinition() || !isProject(RD))
    return;
  for (const CXXMethodDecl *MD : RD->getDefinition()->methods())
    if (MD->getOverloadedOperator() == OO_Call)
      addFunction(MD, Out);
}

facts::Str FactExtractor::rootSlot(const Expr *E, unsigned Depth) {
  E = strip(E);
  if (!E || Depth > 12)
    return facts::NoStr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return mayHoldCallable(VD->getType()) ? varSlot(VD) : facts::NoStr;
    return facts::NoStr;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
      // A library type's member (std::pair's `second`) is part of the
      // object it belongs to.
      if (!isProject(FD))
        return rootSlot(ME->getBase(), Depth + 1);
      return mayHoldCallable(FD->getType()) ? fieldSlot(FD) : facts::NoStr;
    }
    if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl())) // static member
      return mayHoldCallable(VD->getType()) ? varSlot(VD) : facts::NoStr;
    return facts::NoStr;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    switch (OC->getOperator()) {
    case OO_Subscript:
    case OO_Arrow:
    case OO_Star:
      return OC->getNumArgs() ? rootSlot(OC->getArg(0), Depth + 1) : facts::NoStr;
    default:
      return facts::NoStr;
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    // at(), find(), value(), front(), get() of a library container.
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && !isProject(MD))
      return rootSlot(MC->getImplicitObjectArgument(), Depth + 1);
    return facts::NoStr;
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return rootSlot(AS->getBase(), Depth + 1);
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf)
      return rootSlot(UO->getSubExpr(), Depth + 1);
  return facts::NoStr;
}

void FactExtractor::values(const Expr *E, std::vector<facts::Value> &Out,
                           unsigned Depth) {
  E = strip(E);
  if (!E || Depth > 12)
    return;
  auto AddSlot = [&](facts::Str S) {
    if (S != facts::NoStr)
      Out.push_back({facts::Value::Kind::Slot, S});
  };
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return queueLambda(L, &Out);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return addFunction(FD, Out);
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      AddSlot(rootSlot(E));
      // A function object: its call operators, whatever it was given.
      QualType T = VD->getType().getNonReferenceType();
      if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
        addCallOperators(RD, Out);
    }
    return;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (isa<FieldDecl, VarDecl>(ME->getMemberDecl())) {
      AddSlot(rootSlot(E));
      QualType T = ME->getType().getNonReferenceType();
      if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
        addCallOperators(RD, Out);
    }
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    // &f, *fp, and +[]{} (a lambda decayed to a function pointer).
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref ||
        UO->getOpcode() == UO_Plus)
      values(UO->getSubExpr(), Out, Depth + 1);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_PtrMemD || BO->getOpcode() == BO_PtrMemI ||
        BO->getOpcode() == BO_Comma)
      values(BO->getRHS(), Out, Depth + 1);
    return;
  }
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E)) {
    values(CO->getTrueExpr(), Out, Depth + 1);
    values(CO->getFalseExpr(), Out, Depth + 1);
    return;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    switch (OC->getOperator()) {
    case OO_Subscript:
    case OO_Arrow:
    case OO_Star:
      if (mayHoldCallable(OC->getType()))
        AddSlot(rootSlot(E));
      return;
    default:
      return;
    }
  }
  if (isa<ArraySubscriptExpr>(E)) {
    if (mayHoldCallable(E->getType()))
      AddSlot(rootSlot(E));
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD)
      return;
    // A lambda converted to a function pointer, a functor to its target.
    if (isa<CXXConversionDecl>(MD))
      return values(MC->getImplicitObjectArgument(), Out, Depth + 1);
    if (!mayHoldCallable(MC->getType()))
      return;
    if (!isProject(MD))
      return AddSlot(rootSlot(E));
    return AddSlot(returnSlot(MD));
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee)
      return;
    if (Rules.isBinder(Callee)) {
      // The callable a binder wraps: the first argument naming a function
      // (std::bind(f, ...), sigc::mem_fun(obj, &C::m)), else the first that
      // carries a callable at all.
      for (const Expr *A : CE->arguments()) {
        std::vector<facts::Value> Vs;
        values(A, Vs, Depth + 1);
        bool Named = llvm::any_of(Vs, [](const facts::Value &V) {
          return V.K == facts::Value::Kind::Function;
        });
        if (Named) {
          Out.insert(Out.end(), Vs.begin(), Vs.end());
          return;
        }
      }
      for (const Expr *A : CE->arguments()) {
        size_t Before = Out.size();
        values(A, Out, Depth + 1);
        if (Out.size() != Before)
          return;
      }
      return;
    }
    if (!mayHoldCallable(CE->getType()))
      return;
    if (isProject(Callee))
      return AddSlot(returnSlot(Callee));
    // std::move, std::ref, std::make_unique<std::function<...>>(f): what
    // the library makes holds what it was given.
    for (const Expr *A : CE->arguments())
      values(A, Out, Depth + 1);
    return;
  }
  if (const auto *CC = dyn_cast<CXXConstructExpr>(E)) {
    const CXXRecordDecl *RD = CC->getConstructor()->getParent();
    if (!isProject(RD) || CC->getConstructor()->isCopyOrMoveConstructor())
      for (const Expr *A : CC->arguments())
        values(A, Out, Depth + 1);
    addCallOperators(RD, Out);
    return;
  }
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    if (const Expr *Init = New->getInitializer())
      values(Init, Out, Depth + 1);
    else if (const CXXRecordDecl *RD =
                 New->getAllocatedType()->getAsCXXRecordDecl())
      addCallOperators(RD, Out);
    return;
  }
  if (const auto *IL = dyn_cast<InitListExpr>(E)) {
    const CXXRecordDecl *RD = IL->getType()->getAsCXXRecordDecl();
    if (RD && isProject(RD))
      return addCallOperators(RD, Out);
    for (const Expr *Init : IL->inits())
      values(Init, Out, Depth + 1);
    return;
  }
  if (const auto *PE = dyn_cast<ParenListExpr>(E)) {
    for (unsigned I = 0; I < PE->getNumExprs(); ++I)
      values(PE->getExpr(I), Out, Depth + 1);
    return;
  }
}

int FactExtractor::callableArg(llvm::ArrayRef<const Expr *> Args,
                               int RuleIndex) {
  if (RuleIndex >= 0)
    return RuleIndex < static_cast<int>(Args.size()) ? RuleIndex : -1;
  for (unsigned I = 0; I < Args.size(); ++I) {
    const Expr *A = strip(Args[I]);
    if (isa<LambdaExpr>(A))
      return I;
    std::vector<facts::Value> Vs;
    values(A, Vs);
    if (!Vs.empty())
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

bool FactExtractor::argumentNames(llvm::ArrayRef<const Expr *> Args,
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

const rules::SpawnerRule *
FactExtractor::spawnerFor(const FunctionDecl *Callee,
                          llvm::ArrayRef<const Expr *> Args) {
  for (const rules::SpawnerRule *R : Rules.spawners(Callee)) {
    if (argumentNames(Args, R->UnlessArg))
      continue;
    if (R->ReceiverType) {
      // The receiver as written, before its conversion to `gpointer`.
      if (R->ReceiverArg >= Args.size())
        continue;
      QualType T = Args[R->ReceiverArg]->IgnoreParenCasts()->getType();
      if (T->isPointerType())
        T = T->getPointeeType();
      const RecordDecl *RD = T->getAsRecordDecl();
      const auto *CRD = dyn_cast_or_null<CXXRecordDecl>(RD);
      // A C library's type by its typedef ('GstElement', whose struct is
      // '_GstElement'), a class by itself or a base.
      const auto *TT = T->getAs<TypedefType>();
      bool Hit = (TT && R->ReceiverType->matches(TT->getDecl()->getName())) ||
                 (CRD && Rules.derivesFrom(CRD, *R->ReceiverType)) ||
                 (RD && R->ReceiverType->matches(RD->getName()));
      if (!Hit)
        continue;
    }
    if (R->SignalArg >= 0) {
      if (static_cast<size_t>(R->SignalArg) >= Args.size())
        continue;
      const auto *SL =
          dyn_cast<StringLiteral>(Args[R->SignalArg]->IgnoreParenCasts());
      if (!SL || !SL->isOrdinary() || !R->Signals.matches(SL->getString()))
        continue;
    }
    return R;
  }
  return nullptr;
}

bool FactExtractor::marshals(const rules::MarshallerRule &M,
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

//===----------------------------------------------------------------------===//
// Guards
//===----------------------------------------------------------------------===//

int FactExtractor::lockRegionChange(const Stmt *S) {
  if (const auto *E = dyn_cast<Expr>(S)) {
    if (const auto *Call = dyn_cast<CallExpr>(strip(E)))
      if (const FunctionDecl *FD = Call->getDirectCallee())
        return Rules.lockRegionCall(FD);
    return 0;
  }
  int Change = 0;
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (!VD->getType()->isReferenceType() &&
            Rules.isLockGuard(VD->getType()->getAsCXXRecordDecl()))
          ++Change; // held until the end of the block
  return Change;
}

bool FactExtractor::mentionsGuard(const Stmt *S, unsigned Depth) {
  if (!S || Depth > 64)
    return false;
  if (const auto *E = dyn_cast<Expr>(S))
    if (const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts()))
      if (const FunctionDecl *FD = Call->getDirectCallee())
        if (Rules.isThreadGuard(FD))
          return true;
  for (const Stmt *Child : S->children())
    if (mentionsGuard(Child, Depth + 1))
      return true;
  return false;
}

std::pair<const Decl *, const Decl *> FactExtractor::storedKey(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage())
        return {VD, nullptr};
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (const auto *DRE = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (VD->hasLocalStorage())
          return {VD, ME->getMemberDecl()};
  return {nullptr, nullptr};
}

int FactExtractor::storedGuard(const Expr *E) {
  if (!Current)
    return 0;
  auto Key = storedKey(E);
  if (!Key.first)
    return 0;
  auto It = Current->StoredGuards.find(Key);
  return It == Current->StoredGuards.end() ? 0 : It->second;
}

int FactExtractor::guardPolarity(const Expr *Cond) {
  if (!Cond)
    return 0;
  Cond = Cond->IgnoreParenImpCasts();
  if (int Stored = storedGuard(Cond))
    return Stored;
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
    case BO_LAnd: {
      // Both hold, so a UI-thread guard on either side holds. With a
      // "not on the UI thread" side (`if (toGui && !isMain()) post(); else
      // draw();`), the else branch is read as the UI thread's: the author
      // queues off it, and 'toGui' being false there is not followed.
      int L = guardPolarity(BO->getLHS()), R = guardPolarity(BO->getRHS());
      return L > 0 || R > 0 ? 1 : (L < 0 || R < 0 ? -1 : 0);
    }
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

//===----------------------------------------------------------------------===//
// Qt's thread affinity
//===----------------------------------------------------------------------===//

namespace {
/// How an object expression reads in a note: 'loader_', 'this', 'thread'.
std::string spelled(const Expr *E) {
  E = strip(E);
  if (!E)
    return "";
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
      return spelled(UO->getSubExpr());
  if (isa<CXXThisExpr>(E))
    return "this";
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl()->getNameAsString();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl()->getNameAsString();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *MD = MC->getMethodDecl();
        MD && MD->getDeclName().isIdentifier())
      return MD->getName() == "get" ? spelled(MC->getImplicitObjectArgument())
                                    : MD->getName().str() + "()";
  return "";
}

/// The class an object expression points to or names.
const CXXRecordDecl *objectClass(const Expr *E) {
  if (!E)
    return nullptr;
  QualType T = strip(E)->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

/// The method named by a SIGNAL()/SLOT() string ("2found(int)").
const CXXMethodDecl *methodByString(const Expr *E, const CXXRecordDecl *RD) {
  const Expr *X = strip(E);
  // Qt's debug builds wrap the string: qFlagLocation("2found(int)" "\0" ...).
  if (const auto *CE = dyn_cast_or_null<CallExpr>(X))
    if (CE->getNumArgs() == 1)
      X = strip(CE->getArg(0));
  const auto *SL = dyn_cast_or_null<StringLiteral>(X);
  if (!SL || !RD || !RD->hasDefinition() || SL->getLength() < 2)
    return nullptr;
  llvm::StringRef Text = SL->getString().drop_front(1); // the '1'/'2' code
  llvm::StringRef Name = Text.take_until([](char C) { return C == '('; });
  const CXXMethodDecl *Found = nullptr;
  // The class, then its first bases (Qt's signals are single-inheritance).
  for (const CXXRecordDecl *C = RD->getDefinition(); C && !Found;) {
    for (const CXXMethodDecl *M : C->methods())
      if (M->getDeclName().isIdentifier() && M->getName() == Name)
        Found = M;
    C = C->getNumBases() ? C->bases_begin()->getType()->getAsCXXRecordDecl() : nullptr;
    if (C)
      C = C->getDefinition();
  }
  return Found;
}
} // namespace

bool FactExtractor::affinityCall(const Expr *Call, const FunctionDecl *Callee,
                                 llvm::ArrayRef<const Expr *> Args, bool Guarded,
                                 Body &B, unsigned Depth) {
  const rules::AffinityRule *A = nullptr;
  std::string Name;
  // A project object constructed here lives in the thread that runs this
  // function (`new Loader` in worker code lives in that worker).
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee)) {
    const CXXRecordDecl *RD = Ctor->getParent();
    if (!Guarded && RD && isProject(RD) && !Ctor->isCopyOrMoveConstructor())
      for (const auto &P : Rules.db().Packs)
        if (P->Affinity && P->Affinity->ObjectClass &&
            Rules.derivesFrom(RD, *P->Affinity->ObjectClass)) {
          facts::Move M;
          M.K = facts::Move::Kind::Created;
          M.Class = classKey(RD);
          M.ObjectText = TU.intern(RD->getQualifiedNameAsString());
          M.At = Locations.get(Call->getBeginLoc());
          B.F.Moves.push_back(M);
          break;
        }
    return false;
  }
  for (const auto &P : Rules.db().Packs)
    if (P->Affinity) {
      if (Name.empty())
        Name = ruleName(Callee->getTemplateInstantiationPattern()
                            ? Callee->getTemplateInstantiationPattern()
                            : Callee);
      A = &*P->Affinity;
      if (A->Move.matches(Name) || A->Connect.matches(Name) ||
          A->NeedsEventLoop.matches(Name) || A->EventLoops.matches(Name) ||
          llvm::any_of(A->ReceiverCalls, [&](const rules::ReceiverCallRule &R) {
            return R.Function.matches(Name);
          }))
        break;
      A = nullptr;
    }
  if (!A)
    return false;
  SourceLocation At = Call->getBeginLoc();
  const Expr *Object = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Object = MC->getImplicitObjectArgument();

  auto IsObject = [&](const Expr *E) {
    const CXXRecordDecl *RD = objectClass(E);
    return RD && A->ObjectClass && Rules.derivesFrom(RD, *A->ObjectClass) &&
           strip(E)->getType()->isPointerType();
  };
  // A call that runs its callable in the thread of an object it is given
  // (`QTimer::singleShot(ms, receiver, f)`: the timer too runs there).
  const rules::ReceiverCallRule *ToReceiver = nullptr;
  for (const rules::ReceiverCallRule &R : A->ReceiverCalls)
    if (!ToReceiver && R.Function.matches(Name) && R.ReceiverArg < Args.size() &&
        IsObject(Args[R.ReceiverArg]))
      ToReceiver = &R;

  if (A->EventLoops.matches(Name) && !Guarded)
    B.F.RunsEventLoop = true;
  if (A->NeedsEventLoop.matches(Name) && !Guarded && !ToReceiver) {
    // A zero-delay single shot posts the call without a timer.
    bool ZeroDelay = false;
    if (!Args.empty())
      if (const auto *IL = dyn_cast<IntegerLiteral>(strip(Args[0])))
        ZeroDelay = IL->getValue() == 0;
    if (!ZeroDelay)
      B.F.LoopCalls.push_back({TU.intern(Name), Locations.get(Call->getExprLoc())});
  }

  if (A->Move.matches(Name) && Object && !Args.empty()) {
    // Moving to a thread the program made: a QThread variable or member,
    // `this` of a QThread subclass, a smart pointer's `get()`, a getter
    // (`session->workingThread()`). Moving to the thread an object already
    // lives in (`qApp->thread()`, `other->thread()`) or to the current one
    // is not a move to a worker.
    const Expr *Thread = strip(Args[0]);
    bool Named = true;
    if (const auto *CE = dyn_cast<CallExpr>(Thread))
      if (const FunctionDecl *F = CE->getDirectCallee())
        Named = !(F->getDeclName().isIdentifier() &&
                  (F->getName() == "thread" || F->getName() == "currentThread"));
    const CXXRecordDecl *RD = objectClass(Object);
    if (RD && isProject(RD) && !Guarded)
      B.F.Moves.push_back({Named ? facts::Move::Kind::ToWorker : facts::Move::Kind::Back,
                           classKey(RD), TU.intern(spelled(Object)),
                           TU.intern(spelled(Args[0])),
                           Locations.get(Call->getExprLoc())});
    return false;
  }

  auto TypeOf = [&](llvm::ArrayRef<const Expr *> As) {
    if (argumentNames(As, A->Direct))
      return facts::Connect::Type::Direct;
    if (argumentNames(As, A->Queued))
      return facts::Connect::Type::Queued;
    return facts::Connect::Type::Auto;
  };

  if (A->Connect.matches(Name)) {
    // connect(sender, signal, receiver, slot[, type]),
    // connect(sender, signal, context, functor[, type]),
    // connect(sender, signal, functor[, type]): the sender is the context.
    llvm::ArrayRef<const Expr *> As = Args;
    if (As.size() < 3)
      return false;
    facts::Connect C;
    C.Api = TU.intern(Name);
    C.At = Locations.get(At);
    C.T = TypeOf(As);
    const Expr *Sender = As[0];
    const Expr *Receiver = Sender;
    const Expr *Target = As[2];
    if (As.size() >= 4 && IsObject(As[2])) {
      Receiver = As[2];
      Target = As[3];
    }
    const CXXMethodDecl *Sig = nullptr;
    if (const auto *UO = dyn_cast<UnaryOperator>(strip(As[1])))
      if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(UO->getSubExpr())))
        Sig = dyn_cast<CXXMethodDecl>(DRE->getDecl());
    if (!Sig)
      Sig = methodByString(As[1], objectClass(Sender));
    if (Sig) {
      std::string SigName = describeFunction(Sig);
      C.Signal = functionKey(Sig);
      C.SignalName = TU.intern(SigName);
      C.ThreadSignal = A->ThreadSignals.matches(SigName);
    }
    if (const CXXRecordDecl *RD = objectClass(Receiver))
      C.Receiver = classKey(RD);
    C.ReceiverText = TU.intern(spelled(Receiver));
    values(Target, C.Targets);
    if (C.Targets.empty())
      if (const CXXMethodDecl *Slot = methodByString(Target, objectClass(Receiver)))
        addFunction(Slot, C.Targets);
    if (!C.Targets.empty())
      B.F.Connects.push_back(std::move(C));
    // The objects are evaluated here; the slot runs where the connection
    // decides, not here.
    for (const Expr *E : As)
      if (E != Target)
        walk(E, Guarded, B, nullptr, Depth + 1);
    for (const Stmt *Child : Call->children())
      if (!llvm::is_contained(As, Child))
        walk(Child, Guarded, B, nullptr, Depth + 1);
    if (const auto *L = dyn_cast<LambdaExpr>(strip(Target)))
      for (const Expr *Init : L->capture_inits())
        walk(Init, Guarded, B, nullptr, Depth + 1);
    return true;
  }

  if (ToReceiver) {
    // The callable runs in the receiver's thread: decided on the linked
    // program; the marshaller rule (below) keeps it out of this body.
    const Expr *Receiver = Args[ToReceiver->ReceiverArg];
    facts::Connect C;
    C.Api = TU.intern(Name);
    C.At = Locations.get(At);
    C.T = TypeOf(Args);
    if (const CXXRecordDecl *RD = objectClass(Receiver))
      C.Receiver = classKey(RD);
    C.ReceiverText = TU.intern(spelled(Receiver));
    for (const Expr *Arg : Args)
      if (Arg != Receiver)
        values(Arg, C.Targets);
    if (!C.Targets.empty() && C.T != facts::Connect::Type::Direct)
      B.F.Connects.push_back(std::move(C));
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Bodies
//===----------------------------------------------------------------------===//

void FactExtractor::flowInto(facts::Str Slot, const Expr *E, SourceLocation At,
                             Body &B) {
  if (Slot == facts::NoStr || !E)
    return;
  std::vector<facts::Value> Vs;
  values(E, Vs);
  if (Vs.empty())
    return;
  B.F.Flows.push_back({Slot, std::move(Vs), Locations.get(At)});
}

void FactExtractor::walkCall(const Expr *Call, const FunctionDecl *Callee,
                             bool Guarded, Body &B, const VarDecl *Holder,
                             unsigned Depth) {
  llvm::SmallVector<const Expr *, 8> Args = callArguments(Call);
  SourceLocation At = Call->getExprLoc();
  if (isa<CXXConstructExpr>(Call))
    At = Call->getBeginLoc();
  // The variable a thread object initialises reaches through an owning
  // wrapper: `std::unique_ptr<T> t(new T(f))`.
  const VarDecl *Inner = passesHolder(Call) ? Holder : nullptr;
  // Children other than the arguments: the callee expression, the object.
  auto WalkNonArgs = [&] {
    for (const Stmt *Child : Call->children()) {
      if (llvm::is_contained(Args, Child))
        continue;
      walk(Child, Guarded, B, Inner, Depth + 1);
    }
  };
  auto WalkArgs = [&](int Skip) {
    for (unsigned I = 0; I < Args.size(); ++I)
      if (static_cast<int>(I) != Skip)
        walk(Args[I], Guarded, B, Inner, Depth + 1);
  };

  if (const rules::ContextAttachRule *Attach = Rules.contextAttach(Callee)) {
    if (Attach->ThreadArg < Args.size()) {
      const Expr *Thread = Args[Attach->ThreadArg]->IgnoreParenImpCasts();
      if (const VarDecl *VD = threadVariable(Thread))
        TU.ContextHolders.push_back(varSlot(VD));
      QualType T = Thread->getType();
      if (T->isPointerType())
        T = T->getPointeeType();
      if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl()) {
        TU.ContextClasses.push_back(classKey(RD));
        if (RD->hasDefinition())
          RD->getDefinition()->forallBases([&](const CXXRecordDecl *Base) {
            TU.ContextClasses.push_back(classKey(Base));
            return true;
          });
      }
    }
    WalkNonArgs();
    WalkArgs(-1);
    return;
  }

  // A callable connected to a teardown signal (aboutToQuit) runs at
  // shutdown.
  // `QObject::connect(qApp, &QCoreApplication::aboutToQuit, this, slot)`
  // names the signal in an argument; `signal_shutdown().connect(slot)` is
  // called on what the signal method returns.
  const CallExpr *SignalObject = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    SignalObject = dyn_cast_or_null<CallExpr>(strip(MC->getImplicitObjectArgument()));
  for (const auto &P : Rules.db().Packs) {
    if (P->Teardown.Signals.empty())
      continue;
    bool Named = argumentNames(Args, P->Teardown.Signals);
    if (!Named && SignalObject)
      if (const FunctionDecl *S = SignalObject->getDirectCallee())
        Named = P->Teardown.Signals.matches(ruleName(S));
    if (Named) {
      for (const Expr *A : Args)
        values(A, TU.TeardownCallables);
      break;
    }
  }

  if (affinityCall(Call, Callee, Args, Guarded, B, Depth))
    return;

  if (const rules::MarshallerRule *M = Rules.marshaller(Callee)) {
    if (marshals(*M, Args)) {
      // glibmm's signal_idle().connect hands work back, but connecting is
      // itself unsafe off the main thread: a UI call of its own.
      if (!Guarded && !M->OffThreadRemedy.empty()) {
        facts::UiCall U;
        U.Api = TU.intern(ruleName(Callee));
        U.Remedy = TU.intern(M->OffThreadRemedy);
        U.At = Locations.get(At);
        U.Expansion = Locations.expansion(At);
        B.F.UiCalls.push_back(U);
      }
      // Every callable argument runs on the UI thread; the rest (receiver,
      // values) is still evaluated here.
      WalkNonArgs();
      for (const Expr *A : Args) {
        std::vector<facts::Value> Vs;
        values(A, Vs);
        if (Vs.empty())
          walk(A, Guarded, B, nullptr, Depth + 1);
      }
      return;
    }
    // A marshaller whose rule does not hold here (Qt::DirectConnection, no
    // receiver) runs its callable on the calling thread.
    if (!Guarded)
      for (const Expr *A : Args) {
        facts::ValueCall VC;
        values(A, VC.Callees);
        if (VC.Callees.empty())
          continue;
        VC.At = Locations.get(At);
        B.F.ValueCalls.push_back(std::move(VC));
      }
  } else if (const rules::SpawnerRule *S = spawnerFor(Callee, Args)) {
    {
      int Arg = callableArg(Args, S->CallableArg);
      if (Arg >= 0) {
        facts::Spawn Sp;
        Sp.Spawner = TU.intern(ruleName(Callee));
        if (!S->LibraryThread.empty())
          Sp.LibraryThread = TU.intern(S->LibraryThread);
        Sp.At = Locations.get(Call->getBeginLoc());
        values(Args[Arg], Sp.Callables);
        if (Holder)
          Sp.Holder = varSlot(Holder);
        B.F.Spawns.push_back(std::move(Sp));
        // The callable runs on the new thread; what is written in the
        // argument (captures) is evaluated here.
        if (const auto *L = dyn_cast<LambdaExpr>(strip(Args[Arg])))
          for (const Expr *Init : L->capture_inits())
            walk(Init, Guarded, B, nullptr, Depth + 1);
        WalkNonArgs();
        WalkArgs(Arg);
        return;
      }
    }
  }

  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
  bool LibraryCallee = !isProject(Callee);
  // A library call a pack says may throw, outside a try block: so may the
  // function (for the lifecycle checks of its callers).
  if (LibraryCallee && B.TryDepth == 0 && !B.F.Throws) {
    const FunctionDecl *Named = Callee->getTemplateInstantiationPattern()
                                    ? Callee->getTemplateInstantiationPattern()
                                    : Callee;
    auto [It, New] = PackThrows.try_emplace(Named->getCanonicalDecl(), false);
    if (New) {
      std::string Name = ruleName(Named);
      for (const auto &P : Rules.db().Packs)
        It->second |= P->Throwing.matches(Name);
    }
    B.F.Throws |= It->second;
  }
  // `callback(x)` on a std::function or another library callable: a call
  // of whatever the object holds.
  if (Op && Op->getOperator() == OO_Call && LibraryCallee) {
    if (!Guarded && Op->getNumArgs() > 0) {
      facts::ValueCall VC;
      values(Op->getArg(0), VC.Callees);
      if (!VC.Callees.empty()) {
        VC.At = Locations.get(At);
        if (facts::Str Root = rootSlot(Op->getArg(0)); Root != facts::NoStr)
          VC.Text = SlotNames.lookup(Root);
        B.F.ValueCalls.push_back(std::move(VC));
      }
    }
    WalkNonArgs();
    WalkArgs(-1);
    return;
  }

  if (!Guarded && MD && Rules.isSignal(MD))
    B.F.Emits.push_back({functionKey(MD), TU.intern(describeFunction(MD)),
                         Locations.get(At)});
  if (!Guarded && !(MD && Rules.isSignal(MD))) {
    std::optional<UiApi> Api = Rules.uiApi(Callee);
    if (!Api)
      Api = Rules.factoryUiApi(Callee);
    if (Api) {
      bool Declared = MD && !isa<CXXConstructorDecl>(MD) && Api->FromClassRule &&
                      isProject(MD);
      if (Declared) {
        // A method the project wrote on its own UI subclass is read where
        // the program has its body; without one it is presumed a UI call.
        facts::Call C;
        C.K = facts::Call::Kind::PresumedUi;
        C.Callee = functionKey(Callee);
        C.At = Locations.get(At);
        C.Api = TU.intern(Api->Name);
        C.Remedy = TU.intern(Api->Pack->Remedy);
        C.InTry = B.TryDepth > 0;
        B.F.Calls.push_back(C);
      } else {
        facts::UiCall U;
        U.Api = TU.intern(Api->Name);
        U.Remedy = TU.intern(Api->Pack->Remedy);
        U.Constructor = Api->IsConstructor;
        U.At = Locations.get(At);
        U.Expansion = Locations.expansion(At);
        B.F.UiCalls.push_back(U);
      }
    } else if (!LibraryCallee && !Callee->isImplicit()) {
      facts::Call C;
      C.K = isVirtualCall(Call, Callee) ? facts::Call::Kind::Virtual
                                        : facts::Call::Kind::Direct;
      C.Callee = functionKey(Callee);
      C.At = Locations.get(At);
      C.InTry = B.TryDepth > 0;
      if (C.K == facts::Call::Kind::Virtual)
        C.Api = TU.intern(describeFunction(Callee));
      B.F.Calls.push_back(C);
    } else if (LibraryCallee && isVirtualCall(Call, Callee)) {
      // The project may override a library's virtual method.
      facts::Call C;
      C.K = facts::Call::Kind::Virtual;
      C.Callee = functionKey(Callee);
      C.At = Locations.get(At);
      C.Api = TU.intern(describeFunction(Callee));
      C.InTry = B.TryDepth > 0;
      B.F.Calls.push_back(C);
    }
  }

  // Callables handed over as arguments: into the parameter of the
  // project's function; into the library object that keeps them; or, given
  // to a library function (std::for_each), called right here.
  const Expr *Object = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Object = MC->getImplicitObjectArgument();
  else if (Op && MD && Op->getNumArgs() > 0)
    Object = Op->getArg(0);
  // A constructor keeps what it is given, as does a function that returns
  // a new callable made from it (std::make_unique<std::function<..>>, a
  // project factory) or only moves it along (std::move); one that returns
  // what it was given (std::for_each) has called it.
  bool LibraryBuilds = isa<CXXConstructorDecl>(Callee);
  bool AssignOp = Op && (Op->getOperator() == OO_Equal || Op->isAssignmentOp());
  if (!LibraryBuilds && mayHoldCallable(Callee->getReturnType())) {
    QualType Ret = Callee->getReturnType().getNonReferenceType().getUnqualifiedType();
    LibraryBuilds = true;
    for (const Expr *A : Args)
      if (Ctx.hasSameType(A->getType().getNonReferenceType().getUnqualifiedType(), Ret))
        LibraryBuilds = false;
    if (!LibraryBuilds && LibraryCallee) {
      std::string Name = ruleName(Callee);
      LibraryBuilds = llvm::is_contained(
          {"std::move", "std::forward", "std::ref", "std::cref", "std::as_const",
           "std::exchange", "std::move_if_noexcept"},
          Name);
    }
  }
  // Operators (`it != end`, `a = b`) call nothing they are given; an
  // assignment's store is recorded by walk().
  bool CallsArguments = !(Op && Op->getOperator() != OO_Call);
  for (unsigned I = 0; I < Args.size() && !AssignOp; ++I) {
    const Expr *A = Args[I];
    if (!isa<LambdaExpr>(strip(A)) && !mayHoldCallable(A->getType()))
      continue;
    // Only a callable itself can be called by the function it is given to;
    // a container or an iterator of callables is only looked at.
    bool Callable = isCallableType(A->getType()) && CallsArguments;
    std::vector<facts::Value> Vs;
    values(A, Vs);
    if (Vs.empty())
      continue;
    if (!LibraryCallee) {
      if (!Guarded && !LibraryBuilds && Callable)
        B.F.ValueCalls.push_back(
            {Vs, Locations.get(At), facts::NoStr, functionKey(Callee)});
      if (I < Callee->getNumParams() || !Callee->isVariadic())
        B.F.Flows.push_back({paramSlot(Callee, I), std::move(Vs),
                             Locations.get(A->getBeginLoc())});
    } else if (Object && mayHoldCallable(Object->getType())) {
      if (facts::Str Root = rootSlot(Object); Root != facts::NoStr)
        B.F.Flows.push_back({Root, std::move(Vs), Locations.get(At)});
    } else if (!LibraryBuilds && !Guarded && Callable) {
      facts::ValueCall VC;
      VC.Callees = std::move(Vs);
      VC.At = Locations.get(At);
      B.F.ValueCalls.push_back(std::move(VC));
    }
  }
  WalkNonArgs();
  WalkArgs(-1);
}

void FactExtractor::walk(const Stmt *S, bool Guarded, Body &B,
                         const VarDecl *Holder, unsigned Depth) {
  if (!S || Depth > MaxStmtDepth)
    return;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    int Polarity = guardPolarity(If->getCond());
    walk(If->getInit(), Guarded, B, nullptr, Depth + 1);
    walk(If->getConditionVariableDeclStmt(), Guarded, B, nullptr, Depth + 1);
    walk(If->getCond(), Guarded, B, nullptr, Depth + 1);
    walk(If->getThen(), Guarded || Polarity > 0, B, nullptr, Depth + 1);
    walk(If->getElse(), Guarded || Polarity < 0, B, nullptr, Depth + 1);
    return;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
    int Polarity = guardPolarity(CO->getCond());
    walk(CO->getCond(), Guarded, B, nullptr, Depth + 1);
    walk(CO->getTrueExpr(), Guarded || Polarity > 0, B, nullptr, Depth + 1);
    walk(CO->getFalseExpr(), Guarded || Polarity < 0, B, nullptr, Depth + 1);
    return;
  }
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    // `if (!onUiThread()) { ...; return; }` guards the rest of the block;
    // so does a lock region a pack names: `Fl::lock(); ... Fl::unlock();`,
    // or a local guard object, `const juce::MessageManagerLock mml;`.
    bool ReturnGuarded = false;
    int Locks = 0;
    for (const Stmt *Child : CS->body()) {
      walk(Child, Guarded || ReturnGuarded || Locks > 0, B, nullptr, Depth + 1);
      if (const auto *If = dyn_cast<IfStmt>(Child))
        if (!If->getElse() && guardPolarity(If->getCond()) < 0 &&
            endsScope(If->getThen()))
          ReturnGuarded = true;
      Locks = std::max(0, Locks + lockRegionChange(Child));
    }
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls()) {
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        if (const Expr *Init = VD->getInit()) {
          if (VD->getType()->isBooleanType())
            if (int P = guardPolarity(Init))
              B.StoredGuards[{VD, nullptr}] = P;
          if (mayHoldCallable(VD->getType()))
            flowInto(varSlot(VD), Init, VD->getLocation(), B);
          walk(Init, Guarded, B, VD, Depth + 1);
        }
      } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
        visitRecord(RD); // a local class: its methods are functions too
      }
    }
    return;
  }
  if (const auto *RF = dyn_cast<CXXForRangeStmt>(S)) {
    // `for (auto &cb : callbacks) cb();`: the element holds what the
    // container holds.
    const VarDecl *Var = RF->getLoopVariable();
    if (Var && mayHoldCallable(Var->getType()))
      flowInto(varSlot(Var), RF->getRangeInit(), Var->getLocation(), B);
    walk(RF->getInit(), Guarded, B, nullptr, Depth + 1);
    walk(RF->getRangeInit(), Guarded, B, nullptr, Depth + 1);
    walk(RF->getBody(), Guarded, B, nullptr, Depth + 1);
    return;
  }
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    ++B.TryDepth;
    walk(Try->getTryBlock(), Guarded, B, nullptr, Depth + 1);
    --B.TryDepth;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      walk(Try->getHandler(I)->getHandlerBlock(), Guarded, B, nullptr, Depth + 1);
    return;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // The lambda's body is a function of its own; where it runs depends on
    // where its value goes. Its captures are evaluated here.
    queueLambda(L, nullptr);
    for (const Expr *Init : L->capture_inits())
      walk(Init, Guarded, B, nullptr, Depth + 1);
    return;
  }
  if (const auto *Ret = dyn_cast<ReturnStmt>(S)) {
    if (B.FD && Ret->getRetValue() && mayHoldCallable(B.FD->getReturnType()))
      flowInto(returnSlot(B.FD), Ret->getRetValue(), Ret->getBeginLoc(), B);
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Assign && mayHoldCallable(BO->getLHS()->getType()))
      flowInto(rootSlot(BO->getLHS()), BO->getRHS(), BO->getOperatorLoc(), B);
    // `status.foreground = (self() == mainThread);`: a guard kept for later.
    if (BO->getOpcode() == BO_Assign && BO->getLHS()->getType()->isBooleanType()) {
      auto Key = storedKey(BO->getLHS());
      if (Key.first) {
        if (int P = guardPolarity(BO->getRHS()))
          B.StoredGuards[Key] = P;
        else
          B.StoredGuards.erase(Key);
      }
    }
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
        mayHoldCallable(OC->getArg(0)->getType()))
      flowInto(rootSlot(OC->getArg(0)), OC->getArg(1), OC->getOperatorLoc(), B);
  }
  if (const auto *IL = dyn_cast<InitListExpr>(S)) {
    // An aggregate of callbacks, `struct ops o = {.on_data = handle}`.
    const InitListExpr *Sem = IL->isSemanticForm() ? IL : IL->getSemanticForm();
    if (Sem)
      if (const RecordDecl *RD = Sem->getType()->getAsRecordDecl())
        if (!RD->isUnion() && isProject(RD)) {
          unsigned I = 0;
          for (const FieldDecl *FD : RD->fields()) {
            if (I >= Sem->getNumInits())
              break;
            const Expr *Init = Sem->getInit(I++);
            if (mayHoldCallable(FD->getType()))
              flowInto(fieldSlot(FD), Init, Init->getBeginLoc(), B);
          }
        }
  }
  if (isa<CallExpr, CXXConstructExpr>(S)) {
    const auto *Call = cast<Expr>(S);
    if (const FunctionDecl *Callee = directCallee(Call)) {
      walkCall(Call, Callee, Guarded, B, Holder, Depth);
      return;
    }
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      // A call through a function pointer or a member function pointer.
      if (!Guarded) {
        facts::ValueCall VC;
        values(CE->getCallee(), VC.Callees);
        if (!VC.Callees.empty()) {
          VC.At = Locations.get(CE->getExprLoc());
          if (facts::Str Root = rootSlot(CE->getCallee()); Root != facts::NoStr)
            VC.Text = SlotNames.lookup(Root);
          B.F.ValueCalls.push_back(std::move(VC));
        }
      }
    }
  }
  for (const Stmt *Child : S->children())
    walk(Child, Guarded, B, passesHolder(S) ? Holder : nullptr, Depth + 1);
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

void FactExtractor::extractFunction(const FunctionDecl *FD) {
  if (!FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
      FD->isInvalidDecl() || !Visited.insert(FD).second)
    return;
  if (!isProject(FD) || (FD->isImplicit() && !isLambdaOperator(FD)))
    return;
  Body B;
  Body *Outer = Current; // a local class's method is extracted mid-walk
  Current = &B;
  auto Restore = llvm::make_scope_exit([&] { Current = Outer; });
  B.FD = FD;
  B.F.Key = functionKey(FD);
  B.F.Name = TU.intern(describeFunction(FD));
  B.F.At = Locations.get(FD->getLocation());
  B.F.Lambda = isLambdaOperator(FD);
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    B.F.Class = classKey(MD->getParent());
    if (MD->size_overridden_methods()) {
      if (std::optional<std::string> Base = Rules.workerOverride(MD))
        B.F.WorkerBase = TU.intern(*Base);
      B.F.Teardown = isTeardown(MD);
    }
  }
  B.F.Destructor = isa<CXXDestructorDecl>(FD);
  {
    std::string Name = describeFunction(FD);
    for (const auto &P : Rules.db().Packs)
      if (P->WorkerEntries.matches(Name)) {
        B.F.WorkerEntry = TU.intern(P->Name);
        break;
      }
  }
  // An event handler of a shutdown event (`void OnClose(wxCloseEvent &)`).
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType().getNonReferenceType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
      for (const auto &Pack : Rules.db().Packs)
        for (const rules::Glob &G : Pack->Teardown.Handlers.Items)
          if (Rules.derivesFrom(RD, G))
            B.F.Teardown = true;
  }
  B.F.Throws = throwsOut(FD->getBody());
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      // In-class initialisers are walked with their class.
      if (!Init->isWritten() || isa<CXXDefaultInitExpr>(Init->getInit()))
        continue;
      if (const FieldDecl *Field = Init->getMember())
        if (mayHoldCallable(Field->getType()))
          flowInto(fieldSlot(Field), Init->getInit(), Init->getSourceLocation(),
                   B);
      walk(Init->getInit(), false, B, nullptr, 0);
    }
  walk(FD->getBody(), false, B, nullptr, 0);
  TU.Functions.push_back(std::move(B.F));
  if (OnFunction)
    OnFunction(FD);
}

bool FactExtractor::isTeardown(const CXXMethodDecl *MD) {
  llvm::SmallVector<const CXXMethodDecl *, 4> Work(MD->overridden_methods());
  for (unsigned I = 0; I < Work.size() && I < 32; ++I) {
    std::string Name = ruleName(Work[I]);
    for (const auto &P : Rules.db().Packs)
      if (P->Teardown.Overrides.matches(Name))
        return true;
    Work.append(Work[I]->overridden_methods().begin(),
                Work[I]->overridden_methods().end());
  }
  return false;
}

bool FactExtractor::throwsOut(const Stmt *S, unsigned Depth) {
  if (!S || Depth > MaxStmtDepth || isa<LambdaExpr>(S))
    return false;
  if (isa<CXXThrowExpr>(S))
    return true;
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    // What the try block throws is caught (by some handler: uisan does not
    // match types); a handler's own throw, or rethrow, leaves.
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (throwsOut(Try->getHandler(I)->getHandlerBlock(), Depth + 1))
        return true;
    return false;
  }
  for (const Stmt *Child : S->children())
    if (throwsOut(Child, Depth + 1))
      return true;
  return false;
}

void FactExtractor::extractGlobal(const VarDecl *VD) {
  const Expr *Init = VD->getInit();
  if (!Init || !Visited.insert(VD).second || !isProject(VD) ||
      VD->getDeclContext()->isDependentContext() || Init->isValueDependent())
    return;
  extractInitializer(VD, Init, varSlot(VD), VD);
}

void FactExtractor::extractInitializer(const ValueDecl *D, const Expr *Init,
                                       facts::Str Slot, const VarDecl *Holder) {
  Body B;
  B.F.Key = TU.intern("init:" + usr(D));
  B.F.Name = TU.intern(ruleName(D));
  B.F.At = Locations.get(D->getLocation());
  B.F.Initializer = true;
  if (mayHoldCallable(D->getType()))
    flowInto(Slot, Init, D->getLocation(), B);
  walk(Init, false, B, Holder, 0);
  // Only what an initialiser starts or stores matters.
  if (!B.F.Spawns.empty() || !B.F.Flows.empty())
    TU.Functions.push_back(std::move(B.F));
}

void FactExtractor::drainLambdas() {
  while (!PendingLambdas.empty()) {
    const FunctionDecl *FD = PendingLambdas.back();
    PendingLambdas.pop_back();
    extractFunction(FD);
  }
}

void FactExtractor::visitRecord(const CXXRecordDecl *RD) {
  if (!RD->isThisDeclarationADefinition() || RD->isDependentContext() ||
      !Visited.insert(RD).second || !isProject(RD))
    return;
  for (const CXXMethodDecl *MD : RD->methods())
    for (const CXXMethodDecl *Base : MD->overridden_methods())
      TU.Overrides.push_back({functionKey(MD), functionKey(Base)});
  for (const FieldDecl *Field : RD->fields()) {
    if (OnField)
      OnField(Field);
    if (const Expr *Init = Field->getInClassInitializer())
      extractInitializer(Field, Init, fieldSlot(Field), nullptr);
  }
  visitContext(RD);
}

void FactExtractor::visitDecl(const Decl *D) {
  if (!D)
    return;
  if (const auto *NS = dyn_cast<NamespaceDecl>(D)) {
    if (!Library.contains(NS->getLocation()))
      visitContext(NS);
    return;
  }
  if (isa<LinkageSpecDecl, ExportDecl>(D)) {
    visitContext(cast<DeclContext>(D));
    return;
  }
  if (Library.contains(D->getLocation()))
    return;
  if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D)) {
    for (const FunctionDecl *Spec : FT->specializations())
      if (const FunctionDecl *Def = Spec->getDefinition())
        extractFunction(Def);
    drainLambdas();
    return;
  }
  if (const auto *CT = dyn_cast<ClassTemplateDecl>(D)) {
    for (const ClassTemplateSpecializationDecl *Spec : CT->specializations())
      visitRecord(Spec);
    return;
  }
  if (isa<ClassTemplatePartialSpecializationDecl>(D))
    return;
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    visitRecord(RD);
    return;
  }
  if (const auto *RD = dyn_cast<RecordDecl>(D)) { // C structs
    if (RD->isThisDeclarationADefinition() && OnField)
      for (const FieldDecl *Field : RD->fields())
        OnField(Field);
    return;
  }
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    extractFunction(FD);
    drainLambdas();
    return;
  }
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->hasGlobalStorage() && !VD->isStaticLocal())
      extractGlobal(VD);
    drainLambdas();
    return;
  }
}

void FactExtractor::visitContext(const DeclContext *DC) {
  for (const Decl *D : DC->decls())
    visitDecl(D);
  drainLambdas();
}

void FactExtractor::run(FunctionHook OnFn, FieldHook OnFld) {
  OnFunction = OnFn;
  OnField = OnFld;
  visitContext(Ctx.getTranslationUnitDecl());
  drainLambdas();
  OnFunction = nullptr;
  OnField = nullptr;
}

} // namespace uisan::tidy
