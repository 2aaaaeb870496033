//===- UisanCheck.cpp - what every uisan check shares ---------------------===//

#include "UisanCheck.h"
#include "ContextEscapeCheck.h"
#include "ExecutorNotShutdownCheck.h"
#include "FactExtractor.h"
#include "LocalDiagnostics.h"
#include "Nolint.h"
#include "ProgramModel.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/BLAKE3.h"

#include <map>
#include <mutex>
#include <set>

using namespace clang;

namespace uisan::tidy {

//===----------------------------------------------------------------------===//
// Extraction
//===----------------------------------------------------------------------===//

namespace {
void addDependencies(const SourceManager &SM, facts::TranslationUnit &TU,
                     bool Hash) {
  std::vector<facts::Dependency> Deps;
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    FileEntryRef FE = It->first;
    facts::Dependency D;
    // The path the OS resolved when the file was opened: '..' after a
    // symbolic link is not the lexical parent (GCC's include directories
    // are reached that way).
    llvm::SmallString<256> Path(FE.getFileEntry().tryGetRealPathName());
    if (Path.empty()) {
      Path = FE.getName();
      SM.getFileManager().makeAbsolutePath(Path);
    }
    D.Path = TU.intern(Path);
    D.Size = FE.getSize();
    D.MTime = FE.getModificationTime();
    if (std::optional<llvm::MemoryBufferRef> Buf =
            Hash ? It->second->getBufferIfLoaded() : std::nullopt) {
      auto Digest = llvm::BLAKE3::hash<16>(llvm::arrayRefFromStringRef(Buf->getBuffer()));
      std::copy(Digest.begin(), Digest.end(), D.Hash.begin());
    }
    Deps.push_back(D);
  }
  // Sorted by path: the same inputs give the same facts.
  llvm::sort(Deps, [&](const facts::Dependency &A, const facts::Dependency &B) {
    return TU.str(A.Path) < TU.str(B.Path);
  });
  TU.Dependencies = std::move(Deps);
}
} // namespace

facts::TranslationUnit extractTranslationUnit(ASTContext &Ctx,
                                              std::shared_ptr<const RuleDB> DB,
                                              llvm::StringRef LibraryPrefixes,
                                              bool WithDependencies,
                                              bool HashDependencies) {
  const SourceManager &SM = Ctx.getSourceManager();
  facts::TranslationUnit TU;
  LocationTable Locations(SM, Ctx.getLangOpts(), TU);
  TU.MainFile =
      TU.str(Locations.get(SM.getLocForStartOfFile(SM.getMainFileID())).File)
          .str();
  RuleIndex Index(DB);
  LibraryCode Library(SM, splitOptionList(LibraryPrefixes));
  LocalDiagnostics ExecutorDiags(TU, Locations, "uisan-executor-not-shutdown");
  LocalDiagnostics ContextDiags(TU, Locations, "uisan-context-escape");
  FactExtractor Extractor(Ctx, Index, Library, TU, Locations);
  ExecutorAnalysis Executors(Ctx, Index, Library, ExecutorDiags, Extractor);
  ContextEscapeAnalysis Contexts(Ctx, Index, Library, ContextDiags, Extractor);
  Extractor.run(
      [&](const FunctionDecl *FD) {
        Executors.function(FD);
        Contexts.function(FD);
      },
      [&](const FieldDecl *F) { Executors.field(F); });
  if (WithDependencies)
    addDependencies(SM, TU, HashDependencies);
  return TU;
}

void localFindings(const ProgramModel &Program, llvm::StringRef Check,
                   SuppressedFn Suppressed, std::vector<Finding> &Out) {
  // A function of a header is extracted by every TU that includes it;
  // its findings are reported once.
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Seen;
  for (uint32_t T = 0; T < Program.units().size(); ++T)
    for (const facts::Diagnostic &D : Program.units()[T].Diagnostics) {
      if (Program.str(Program.id(T, D.Check)) != Check)
        continue;
      Finding F;
      F.Check = Check.str();
      F.Severity = D.Error ? Finding::Level::Error : Finding::Level::Warning;
      F.Loc = Program.where(T, D.At);
      F.Message = D.Message;
      if (!Seen.insert({F.Loc.File, F.Loc.Line, F.Loc.Column, F.Message}).second)
        continue;
      if (Suppressed(F.Loc, Check))
        continue;
      // Ways out of the scope that need a callee to throw count only if it
      // may; a finding left without any is dropped.
      bool HasExits = false;
      unsigned Exits = 0;
      for (const facts::Diagnostic::Note &N : D.Notes) {
        HasExits |= N.Exit;
        if (N.Exit) {
          if (N.IfThrows != facts::NoStr &&
              !Program.mayThrow(Program.id(T, N.IfThrows)))
            continue;
          if (++Exits > 3)
            continue;
        }
        F.Notes.push_back({Program.where(T, N.At), N.Message});
      }
      if (HasExits && Exits == 0)
        continue;
      for (const facts::Diagnostic::Fix &X : D.Fixes)
        F.Fixes.push_back({Program.where(T, X.At), X.At.Offset, X.Length, X.Text});
      Out.push_back(std::move(F));
    }
}

//===----------------------------------------------------------------------===//
// Local diagnostics
//===----------------------------------------------------------------------===//

std::string formatDiagnostic(llvm::StringRef Format,
                             llvm::ArrayRef<std::string> Args) {
  std::string Out;
  for (size_t I = 0; I < Format.size(); ++I) {
    char C = Format[I];
    if (C == '%' && I + 1 < Format.size() && Format[I + 1] >= '0' &&
        Format[I + 1] <= '9') {
      unsigned N = Format[I + 1] - '0';
      if (N < Args.size())
        Out += Args[N];
      ++I;
      continue;
    }
    Out += C;
  }
  return Out;
}

LocalDiagnostics::Builder::~Builder() {
  std::string Message = formatDiagnostic(Format, Args);
  facts::TranslationUnit &TU = Owner.TU;
  if (Level == DiagnosticIDs::Note) {
    if (Owner.HasWarning && !TU.Diagnostics.empty())
      TU.Diagnostics.back().Notes.push_back(
          {Owner.Locations.get(Loc), std::move(Message), IfThrows, IsExit});
    return;
  }
  facts::Diagnostic D;
  D.Check = TU.intern(Owner.Check);
  D.Error = Level == DiagnosticIDs::Error;
  D.At = Owner.Locations.get(Loc);
  D.Message = std::move(Message);
  for (const facts::MacroStep &M : Owner.Locations.expansion(Loc))
    D.Notes.push_back(
        {M.At, "expanded from macro '" + TU.str(M.Name).str() + "'"});
  // A fix-it is kept only where it is plain text of one file.
  const SourceManager &SM = Owner.Locations.sourceManager();
  for (const auto &[Range, Text] : Fixes) {
    SourceLocation B = Range.getBegin(), E = Range.getEnd();
    if (B.isInvalid() || E.isInvalid() || B.isMacroID() || E.isMacroID() ||
        Range.isTokenRange() || SM.getFileID(B) != SM.getFileID(E) ||
        SM.getFileOffset(E) < SM.getFileOffset(B))
      continue;
    D.Fixes.push_back({Owner.Locations.get(B),
                       SM.getFileOffset(E) - SM.getFileOffset(B), Text});
  }
  TU.Diagnostics.push_back(std::move(D));
  Owner.HasWarning = true;
}

//===----------------------------------------------------------------------===//
// The clang-tidy side
//===----------------------------------------------------------------------===//

namespace {
thread_local FactsSink *CurrentSink = nullptr;
} // namespace

ScopedFactsSink::ScopedFactsSink(FactsSink &Sink) : Previous(CurrentSink) {
  CurrentSink = &Sink;
}
ScopedFactsSink::~ScopedFactsSink() { CurrentSink = Previous; }

/// One TU's facts, shared by every uisan check instance that runs on it.
struct SharedUnit {
  std::mutex Lock;
  std::optional<facts::TranslationUnit> Facts;
  bool Delivered = false;
  std::unique_ptr<ProgramModel> Program;
  const SourceManager *SM = nullptr;
};

namespace {
/// The units being checked, by AST and extraction options. Entries die with
/// the last check holding them.
std::mutex RegistryLock;
std::map<std::pair<const ASTContext *, std::string>, std::weak_ptr<SharedUnit>>
    Registry;

std::shared_ptr<SharedUnit> sharedUnit(const ASTContext *Ctx,
                                       const std::string &Options) {
  std::lock_guard<std::mutex> G(RegistryLock);
  for (auto It = Registry.begin(); It != Registry.end();)
    It = It->second.expired() ? Registry.erase(It) : std::next(It);
  std::weak_ptr<SharedUnit> &Slot = Registry[{Ctx, Options}];
  std::shared_ptr<SharedUnit> Unit = Slot.lock();
  if (!Unit) {
    Unit = std::make_shared<SharedUnit>();
    Slot = Unit;
  }
  return Unit;
}
} // namespace

UisanCheck::UisanCheck(StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RulePacks(Options.getLocalOrGlobal("RulePacks", "")),
      LibraryPrefixes(Options.getLocalOrGlobal("LibraryPrefixes",
                                               DefaultLibraryPrefixes)),
      DB(getRuleDB(RulePacks)) {
  // Inside clang-tidy this is the only place pack problems can surface;
  // the first uisan check of a run reports them (the standalone tool
  // reports them itself, once).
  static std::mutex Lock;
  static std::set<const void *> Reported;
  std::lock_guard<std::mutex> Guard(Lock);
  if (Context->getOptions().CheckOptions.count("uisan.StandaloneTool") ||
      !Reported.insert(Context).second)
    return;
  for (const rules::Problem &P : DB->Problems)
    configurationDiag("uisan: %0") << rules::formatProblem(P);
}

UisanCheck::~UisanCheck() = default;

void UisanCheck::storeCommonOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "RulePacks", RulePacks);
  Options.store(Opts, "LibraryPrefixes", LibraryPrefixes);
}

void UisanCheck::registerMatchers(ast_matchers::MatchFinder *Finder) {
  // One match per TU: the extractor walks the project's declarations
  // itself and skips library code whole.
  Finder->addMatcher(ast_matchers::translationUnitDecl().bind("tu"), this);
}

void UisanCheck::check(const ast_matchers::MatchFinder::MatchResult &Result) {
  Unit = sharedUnit(Result.Context, RulePacks + '\n' + LibraryPrefixes);
  std::lock_guard<std::mutex> G(Unit->Lock);
  if (Unit->Facts || Unit->Program)
    return;
  Unit->SM = Result.SourceManager;
  Unit->Facts = extractTranslationUnit(
      *Result.Context, DB, LibraryPrefixes,
      CurrentSink && CurrentSink->WithDependencies,
      CurrentSink && CurrentSink->HashDependencies);
}

void UisanCheck::onEndOfTranslationUnit() {
  std::shared_ptr<SharedUnit> U = std::move(Unit);
  if (!U)
    return;
  std::lock_guard<std::mutex> G(U->Lock);
  if (CurrentSink) {
    // uisan-tidy links every TU's facts and runs the checks itself.
    if (!U->Delivered && U->Facts) {
      CurrentSink->Unit = std::move(U->Facts);
      U->Delivered = true;
    }
    return;
  }
  if (!U->Program) {
    std::vector<facts::TranslationUnit> One;
    if (U->Facts)
      One.push_back(std::move(*U->Facts));
    U->Facts.reset();
    U->Program = std::make_unique<ProgramModel>(std::move(One));
  }
  const SourceManager &SM = *U->SM;
  NolintFilter Nolint([&](llvm::StringRef File) -> std::string {
    if (auto FE = SM.getFileManager().getOptionalFileRef(File)) {
      FileID FID = SM.translateFile(*FE);
      bool Invalid = false;
      llvm::StringRef Text = SM.getBufferData(FID, &Invalid);
      if (FID.isValid() && !Invalid)
        return Text.str();
    }
    return "";
  });
  std::vector<Finding> Found;
  findings(*U->Program,
           [&](const SourceLocationInfo &L, llvm::StringRef C) {
             return Nolint.suppressed(L, C);
           },
           Found);
  auto Place = [&](const SourceLocationInfo &L) -> SourceLocation {
    auto FE = SM.getFileManager().getOptionalFileRef(L.File);
    if (!FE || L.Line == 0)
      return SourceLocation();
    return SM.translateFileLineCol(*FE, L.Line, std::max(L.Column, 1u));
  };
  for (const Finding &F : Found) {
    {
      // Emitted when D goes out of scope, before its notes.
      DiagnosticBuilder D = diag(Place(F.Loc), "%0",
                                 F.Severity == Finding::Level::Error
                                     ? DiagnosticIDs::Error
                                     : DiagnosticIDs::Warning);
      D << F.Message;
      for (const FixIt &X : F.Fixes)
        if (SourceLocation B = Place(X.Loc); B.isValid())
          D << FixItHint::CreateReplacement(
              CharSourceRange::getCharRange(B, B.getLocWithOffset(X.Length)),
              X.Text);
    }
    for (const FindingNote &N : F.Notes)
      diag(Place(N.Loc), "%0", DiagnosticIDs::Note) << N.Message;
  }
}

//===----------------------------------------------------------------------===//
// AST helpers
//===----------------------------------------------------------------------===//

llvm::SmallVector<const Expr *, 8> callArguments(const Expr *Call) {
  llvm::SmallVector<const Expr *, 8> Args;
  if (const auto *CE = dyn_cast<CallExpr>(Call)) {
    // A member operator call passes the object as its first argument.
    unsigned Skip = 0;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(CE))
      if (isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee()))
        Skip = 1;
    for (unsigned I = Skip; I < CE->getNumArgs(); ++I)
      Args.push_back(CE->getArg(I));
  } else if (const auto *CC = dyn_cast<CXXConstructExpr>(Call)) {
    Args.append(CC->arg_begin(), CC->arg_end());
  }
  return Args;
}

const VarDecl *threadVariable(const Expr *ThreadArg) {
  const Expr *E = ThreadArg->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
    if (OC->getNumArgs() > 0)
      E = OC->getArg(0)->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

const FunctionDecl *directCallee(const Expr *Call) {
  if (const auto *CE = dyn_cast<CallExpr>(Call))
    return CE->getDirectCallee();
  if (const auto *CC = dyn_cast<CXXConstructExpr>(Call))
    return CC->getConstructor();
  return nullptr;
}

} // namespace uisan::tidy
