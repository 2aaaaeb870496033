//===- UiCallInThreadCheck.cpp - uisan-ui-call-in-thread ------------------===//

#include "UiCallInThreadCheck.h"
#include "WorkerAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace uisan::tidy {

UiCallInThreadCheck::UiCallInThreadCheck(StringRef Name,
                                         clang::tidy::ClangTidyContext *Context)
    : UisanCheck(Name, Context), MaxDepth(Options.get("MaxDepth", 32U)) {}

void UiCallInThreadCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeCommonOptions(Opts);
  Options.store(Opts, "MaxDepth", MaxDepth);
}

void UiCallInThreadCheck::registerMatchers(MatchFinder *Finder) {
  // Which calls are spawners is only known from the packs' patterns, so
  // every call is seen once and classified through the cached RuleIndex.
  Finder->addMatcher(
      callExpr(unless(isExpansionInSystemHeader())).bind("call"), this);
  Finder->addMatcher(
      cxxConstructExpr(unless(isExpansionInSystemHeader())).bind("call"),
      this);
  Finder->addMatcher(
      cxxMethodDecl(isOverride(), isDefinition()).bind("override"), this);
}

namespace {
/// The variable initialised with the thread object `E` creates, through
/// `new`, casts and temporaries: `seed::Thread t(f)`, `auto *t = new ...`.
const VarDecl *variableHolding(ASTContext &Ctx, const Expr *E) {
  DynTypedNode Node = DynTypedNode::create(*E);
  for (int Up = 0; Up < 6; ++Up) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    Node = Parents[0];
    if (const auto *VD = Node.get<VarDecl>())
      return VD;
    const Expr *P = Node.get<Expr>();
    if (!P || !isa<CXXNewExpr, ImplicitCastExpr, ExprWithCleanups,
                   MaterializeTemporaryExpr, CXXBindTemporaryExpr,
                   CXXConstructExpr, CXXFunctionalCastExpr>(P))
      return nullptr;
  }
  return nullptr;
}

/// The variable a thread object expression names, if any.
const VarDecl *namedVar(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}
} // namespace

void UiCallInThreadCheck::check(const MatchFinder::MatchResult &Result) {
  beginTranslationUnit(*Result.SourceManager);
  Ctx = Result.Context;

  if (const auto *MD = Result.Nodes.getNodeAs<CXXMethodDecl>("override")) {
    // Toolkit headers override run() too; only user code is of interest.
    if (Library->contains(MD->getLocation()))
      return;
    if (std::optional<std::string> Base = Index->workerOverride(MD))
      Spawns.push_back({nullptr, nullptr, MD, *Base});
    return;
  }

  const auto *Call = Result.Nodes.getNodeAs<Expr>("call");
  assert(Call && "matcher binds 'call'");
  const FunctionDecl *Callee = directCallee(Call);
  if (!Callee)
    return;
  if (Library->contains(Call->getBeginLoc()))
    return;
  llvm::SmallVector<const Expr *, 8> Args = callArguments(Call);

  if (const rules::ContextAttachRule *Attach = Index->contextAttach(Callee)) {
    if (Attach->ThreadArg < Args.size()) {
      const Expr *Thread = Args[Attach->ThreadArg]->IgnoreParenImpCasts();
      if (const VarDecl *VD = namedVar(Thread))
        ContextVars.insert(VD);
      QualType T = Thread->getType();
      if (T->isPointerType())
        T = T->getPointeeType();
      if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
        ContextClasses.insert(RD->getCanonicalDecl());
    }
    return;
  }

  const rules::SpawnerRule *Rule = Index->spawner(Callee);
  if (!Rule)
    return;
  WorkerAnalysis Analysis(*Result.Context, *Index, *Library, MaxDepth);
  // std::async(std::launch::deferred, f) runs f on the caller's thread.
  if (Analysis.argumentNames(Args, Rule->UnlessArg))
    return;
  int Arg = Analysis.callableArg(Args, Rule->CallableArg);
  if (Arg < 0)
    return;
  Spawns.push_back({Call, Args[Arg], nullptr, ""});
}

void UiCallInThreadCheck::onEndOfTranslationUnit() {
  if (!Index || Spawns.empty()) {
    Spawns.clear();
    ContextVars.clear();
    ContextClasses.clear();
    endTranslationUnit();
    return;
  }
  WorkerAnalysis Analysis(*Ctx, *Index, *Library, MaxDepth);
  const SourceManager &SM = Ctx->getSourceManager();
  std::set<std::pair<unsigned, std::string>> Reported;

  // Source order makes the choice of path for a site shared by several
  // threads stable.
  std::stable_sort(Spawns.begin(), Spawns.end(),
                   [&](const Spawn &A, const Spawn &B) {
                     SourceLocation LA = A.Call ? A.Call->getBeginLoc()
                                                : A.Override->getLocation();
                     SourceLocation LB = B.Call ? B.Call->getBeginLoc()
                                                : B.Override->getLocation();
                     return SM.isBeforeInTranslationUnit(LA, LB);
                   });

  for (const Spawn &S : Spawns) {
    llvm::SmallVector<WorkerEntry, 2> Entries;
    if (S.Override) {
      // A thread class that gets the run's context may call UI; whether
      // that context escapes is uisan-context-escape's concern.
      const CXXRecordDecl *Class = S.Override->getParent();
      bool HasContext = llvm::any_of(ContextClasses, [&](const CXXRecordDecl *C) {
        return C == Class->getCanonicalDecl() ||
               (C->hasDefinition() && C->getDefinition()->isDerivedFrom(Class));
      });
      if (HasContext)
        continue;
      Entries.push_back({S.Override, "'" + describeFunction(S.Override) + "'"});
    } else {
      if (const VarDecl *VD = variableHolding(*Ctx, S.Call))
        if (ContextVars.count(VD))
          continue;
      Analysis.resolveCallable(S.Callable, Entries);
    }

    for (const WorkerEntry &Entry : Entries) {
      Analysis.forEachUiCall(Entry.Function, [&](const UiCallSite &Site,
                                                 llvm::ArrayRef<PathStep> Path) {
        SourceLocation Loc = Site.Loc;
        if (Library->contains(Loc))
          return;
        auto Key = std::make_pair(SM.getExpansionLoc(Loc).getRawEncoding(),
                                  Site.Api.Name);
        if (!Reported.insert(Key).second)
          return;
        const rules::Pack &Pack = *Site.Api.Pack;
        if (Site.Api.IsConstructor)
          diag(Loc, "constructing '%0' is a UI call made on a worker thread; "
                    "%1")
              << Site.Api.Name << Pack.Remedy;
        else
          diag(Loc, "'%0' is a UI call made on a worker thread; %1")
              << Site.Api.Name << Pack.Remedy;
        for (const PathStep &Step : Path) {
          const auto *MD = dyn_cast<CXXMethodDecl>(Step.Caller);
          if (MD && MD->getParent()->isLambda())
            diag(Step.Loc, "called from the lambda", DiagnosticIDs::Note);
          else
            diag(Step.Loc, "called from '%0'", DiagnosticIDs::Note)
                << describeFunction(Step.Caller);
        }
        if (S.Override)
          diag(S.Override->getLocation(),
               "%0 runs on a worker thread: it overrides '%1'",
               DiagnosticIDs::Note)
              << Entry.Description << S.OverriddenName;
        else
          diag(S.Call->getBeginLoc(), "%0 runs on the thread started here",
               DiagnosticIDs::Note)
              << Entry.Description;
      });
    }
  }
  Spawns.clear();
  ContextVars.clear();
  ContextClasses.clear();
  endTranslationUnit();
}

} // namespace uisan::tidy
