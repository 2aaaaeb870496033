//===- RuleIndex.cpp - rule packs applied to Clang declarations -----------===//

#include "RuleIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringMap.h"

#include <mutex>

using namespace clang;

namespace uisan::tidy {

std::vector<std::string> splitOptionList(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Value.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Items;
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Items.push_back(P.trim().str());
  return Items;
}

std::shared_ptr<const RuleDB> getRuleDB(llvm::StringRef ExtraPacks) {
  static std::mutex Lock;
  static llvm::StringMap<std::shared_ptr<const RuleDB>> Loaded;
  std::lock_guard<std::mutex> Guard(Lock);
  auto &Slot = Loaded[ExtraPacks];
  if (Slot)
    return Slot;
  auto DB = std::make_shared<RuleDB>();
  DB->Packs = rules::loadAllPacks(splitOptionList(ExtraPacks), DB->Problems);
  Slot = DB;
  return Slot;
}

std::string ruleName(const NamedDecl *D) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  std::string Own = D->getDeclName().isIdentifier()
                        ? D->getName().str()
                        : D->getDeclName().getAsString();
  // A constructor of a class template prints as 'Runner<F>'; rules name it
  // 'Runner::Runner', like any other.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(D))
    Own = Ctor->getParent()->getName().str();
  else if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(D))
    Own = "~" + Dtor->getParent()->getName().str();
  for (const DeclContext *DC = D->getDeclContext(); DC;
       DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *ED = dyn_cast<EnumDecl>(DC)) {
      if (ED->isScoped())
        Parts.push_back(ED->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (!RD->getName().empty())
        Parts.push_back(RD->getName());
    } else if (isa<FunctionDecl>(DC)) {
      break; // local classes are named from their function on
    }
  }
  std::string Name;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    Name += It->str() + "::";
  return Name + Own;
}

bool LibraryCode::contains(SourceLocation Loc) {
  if (Loc.isInvalid())
    return false;
  Loc = SM.getExpansionLoc(Loc);
  FileID FID = SM.getFileID(Loc);
  auto It = Cache.find(FID.getHashValue());
  if (It != Cache.end())
    return It->second;
  bool Library = SM.isInSystemHeader(Loc);
  if (!Library)
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
      llvm::StringRef Name = FE->getName();
      for (const std::string &P : Prefixes)
        if (Name.starts_with(P))
          Library = true;
    }
  return Cache[FID.getHashValue()] = Library;
}

bool RuleIndex::derivesFrom(const CXXRecordDecl *RD,
                            const rules::Glob &Pattern) {
  if (!RD || !RD->hasDefinition())
    return RD && Pattern.matches(ruleName(RD));
  RD = RD->getDefinition();
  if (Pattern.matches(ruleName(RD)))
    return true;
  bool Found = false;
  RD->forallBases([&](const CXXRecordDecl *Base) {
    if (Pattern.matches(ruleName(Base)))
      Found = true;
    return !Found;
  });
  return Found;
}

std::string ruleSignature(const FunctionDecl *FD, const std::string &Name) {
  PrintingPolicy Policy(FD->getASTContext().getLangOpts());
  Policy.FullyQualifiedName = true;
  Policy.SuppressUnwrittenScope = true;
  std::vector<std::string> Params;
  for (const ParmVarDecl *P : FD->parameters())
    Params.push_back(P->getType().getCanonicalType().getAsString(Policy));
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return rules::Glob::signature(Name, Params, MD && MD->isConst());
}

std::optional<UiApi> RuleIndex::computeUi(const FunctionDecl *FD,
                                          const std::string &Name) {
  // Compiler-generated copies, moves and destructors carry no UI work.
  if (FD->isImplicit())
    return std::nullopt;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (MD && isSignal(MD))
    return std::nullopt;
  // Only except patterns with a parameter list read the signature.
  std::string Signature;
  auto signature = [&]() -> llvm::StringRef {
    if (Signature.empty())
      Signature = ruleSignature(FD, Name);
    return Signature;
  };
  auto excepted = [&](const rules::GlobList &L) {
    if (L.matches(Name))
      return true;
    for (const rules::Glob &G : L.Items)
      if (G.hasSignature())
        return L.matches(Name, signature());
    return false;
  };
  for (const auto &P : DB->Packs) {
    if (excepted(P->UiExcept))
      continue;
    UiApi Api{P.get(), Name, isa<CXXConstructorDecl>(FD)};
    if (P->UiFunctions.matches(Name))
      return Api;
    if (MD) {
      for (const rules::UiClassRule &R : P->UiClasses) {
        if (excepted(R.Except))
          continue;
        bool Hit = R.Subclasses ? derivesFrom(MD->getParent(), R.Name)
                                : R.Name.matches(ruleName(MD->getParent()));
        if (Hit) {
          if (Api.IsConstructor)
            Api.Name = ruleName(MD->getParent());
          Api.FromClassRule = true;
          return Api;
        }
      }
      continue;
    }
    if (!FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
      continue;
    for (const rules::UiPrefixRule &R : P->UiPrefixes)
      if (llvm::StringRef(Name).starts_with(R.Prefix) && !excepted(R.Except))
        return Api;
  }
  return std::nullopt;
}

const RuleIndex::Entry &RuleIndex::classify(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Cache.find(FD);
  if (It != Cache.end())
    return It->second;
  // Template instances are classified by their pattern's name.
  const FunctionDecl *Named = FD;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    Named = Pattern;
  std::string Name = ruleName(Named);
  Entry E;
  E.Ui = computeUi(FD, Name);
  for (const auto &P : DB->Packs) {
    for (const rules::SpawnerRule &R : P->Spawners)
      if (R.Function.matches(Name))
        E.Spawners.push_back(&R);
    for (const rules::MarshallerRule &R : P->Marshallers)
      if (!E.Marshaller && R.Function.matches(Name))
        E.Marshaller = &R;
    for (const rules::ContextAttachRule &R : P->ContextAttach)
      if (!E.Attach && R.Function.matches(Name))
        E.Attach = &R;
    E.Binder |= P->Binders.matches(Name);
    E.Factory |= P->Factories.matches(Name);
    E.Guard |= P->ThreadGuards.matches(Name);
    for (const rules::LockRegionRule &R : P->LockRegions) {
      if (R.Enter && R.Enter->matches(Name))
        E.LockRegion = 1;
      else if (R.Leave && R.Leave->matches(Name))
        E.LockRegion = -1;
    }
  }
  return Cache[FD] = std::move(E);
}

std::optional<UiApi> RuleIndex::uiApi(const FunctionDecl *FD) {
  return classify(FD).Ui;
}
llvm::ArrayRef<const rules::SpawnerRule *>
RuleIndex::spawners(const FunctionDecl *FD) {
  return classify(FD).Spawners;
}
std::optional<UiApi> RuleIndex::factoryUiApi(const FunctionDecl *FD) {
  if (!classify(FD).Factory)
    return std::nullopt;
  const clang::TemplateArgumentList *Args = FD->getTemplateSpecializationArgs();
  if (!Args || Args->size() == 0 ||
      Args->get(0).getKind() != clang::TemplateArgument::Type)
    return std::nullopt;
  const auto *RD = Args->get(0).getAsType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return std::nullopt;
  // Any constructor the class declares stands for the class: the class
  // rules decide by the class.
  for (const clang::CXXConstructorDecl *C : RD->getDefinition()->ctors())
    if (!C->isImplicit())
      return uiApi(C);
  return std::nullopt;
}

const rules::MarshallerRule *RuleIndex::marshaller(const FunctionDecl *FD) {
  return classify(FD).Marshaller;
}
const rules::ContextAttachRule *
RuleIndex::contextAttach(const FunctionDecl *FD) {
  return classify(FD).Attach;
}
bool RuleIndex::isBinder(const FunctionDecl *FD) {
  return classify(FD).Binder;
}
bool RuleIndex::isThreadGuard(const FunctionDecl *FD) {
  return classify(FD).Guard;
}
int RuleIndex::lockRegionCall(const FunctionDecl *FD) {
  return classify(FD).LockRegion;
}
bool RuleIndex::isLockGuard(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  RD = RD->getCanonicalDecl();
  auto [It, New] = LockGuardCache.try_emplace(RD, false);
  if (New)
    for (const auto &P : DB->Packs)
      for (const rules::LockRegionRule &R : P->LockRegions)
        if (R.Guard && derivesFrom(RD, *R.Guard))
          It->second = true;
  return It->second;
}

std::optional<std::string>
RuleIndex::workerOverride(const CXXMethodDecl *MD) {
  auto It = OverrideCache.find(MD);
  if (It != OverrideCache.end())
    return It->second;
  std::optional<std::string> Result;
  llvm::SmallVector<const CXXMethodDecl *, 4> Work(MD->overridden_methods());
  llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen;
  while (!Work.empty() && !Result) {
    const CXXMethodDecl *Base = Work.pop_back_val();
    if (!Seen.insert(Base).second)
      continue;
    std::string Name = ruleName(Base);
    for (const auto &P : DB->Packs)
      if (P->WorkerOverrides.matches(Name))
        Result = Name;
    Work.append(Base->overridden_methods().begin(),
                Base->overridden_methods().end());
  }
  return OverrideCache[MD] = Result;
}

namespace {
bool nameIn(llvm::StringRef Name, const std::vector<std::string> &Names) {
  for (const std::string &N : Names)
    if (Name == N)
      return true;
  return false;
}
} // namespace

bool RuleIndex::isSignal(const CXXMethodDecl *MD) {
  auto It = SignalCache.find(MD);
  if (It != SignalCache.end())
    return It->second;
  bool Signal = false;
  const ASTContext &Ctx = MD->getASTContext();
  const SourceManager &SM = Ctx.getSourceManager();
  const CXXMethodDecl *Decl = MD->getCanonicalDecl();
  const CXXRecordDecl *RD = Decl->getParent();
  // The access specifier in force is the last one before the declaration;
  // a signal section is one spelled through a pack's section macro.
  const AccessSpecDecl *Section = nullptr;
  for (const clang::Decl *D : RD->decls()) {
    if (const auto *AS = dyn_cast<AccessSpecDecl>(D))
      Section = AS;
    const clang::Decl *Inner = D;
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      Inner = FT->getTemplatedDecl();
    if (Inner == Decl)
      break;
  }
  for (const auto &P : DB->Packs) {
    if (Signal)
      break;
    if (Section && !P->SignalSections.empty()) {
      SourceLocation Loc = Section->getAccessSpecifierLoc();
      while (Loc.isMacroID() && !Signal) {
        llvm::StringRef Macro =
            Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts());
        Signal = nameIn(Macro, P->SignalSections);
        Loc = SM.getImmediateMacroCallerLoc(Loc);
      }
    }
    if (!Signal && !P->SignalMarkers.empty()) {
      // Markers expand to nothing, so look at the text before the
      // declaration on its line.
      SourceLocation Begin = SM.getExpansionLoc(Decl->getBeginLoc());
      bool Invalid = false;
      llvm::StringRef Buffer = SM.getBufferData(SM.getFileID(Begin), &Invalid);
      if (!Invalid) {
        size_t Offset = SM.getFileOffset(Begin);
        size_t NewLine = Offset ? Buffer.rfind('\n', Offset - 1)
                                : llvm::StringRef::npos;
        size_t LineStart = NewLine == llvm::StringRef::npos ? 0 : NewLine + 1;
        if (LineStart <= Offset) {
          llvm::StringRef Before = Buffer.slice(LineStart, Offset);
          for (const std::string &M : P->SignalMarkers)
            if (Before.contains(M))
              Signal = true;
        }
      }
    }
  }
  return SignalCache[MD] = Signal;
}

} // namespace uisan::tidy
