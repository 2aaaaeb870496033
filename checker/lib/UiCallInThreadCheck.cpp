//===- UiCallInThreadCheck.cpp - uisan-ui-call-in-thread ------------------===//

#include "UiCallInThreadCheck.h"
#include "WorkerAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace uisan::tidy {

UiCallInThreadCheck::UiCallInThreadCheck(StringRef Name,
                                         clang::tidy::ClangTidyContext *Context)
    : UisanCheck(Name, Context), MaxDepth(Options.get("MaxDepth", 256U)) {}

void UiCallInThreadCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeCommonOptions(Opts);
  Options.store(Opts, "MaxDepth", MaxDepth);
}

void UiCallInThreadCheck::registerMatchers(MatchFinder *Finder) {
  // Function bodies are walked here instead of matching every call: only
  // the project's own bodies are read, and no parent map of the whole TU
  // (toolkit headers included) is ever built.
  Finder->addMatcher(functionDecl(isDefinition()).bind("fn"), this);
  Finder->addMatcher(varDecl(hasGlobalStorage(), isDefinition()).bind("global"),
                     this);
}

namespace {
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
} // namespace

void UiCallInThreadCheck::visit(const Stmt *S, const VarDecl *Holder,
                                unsigned Depth) {
  if (!S || Depth > 2048)
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        visit(VD->getInit(), VD, Depth + 1);
    return;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : L->capture_inits())
      visit(Init, nullptr, Depth + 1);
    visit(L->getBody(), nullptr, Depth + 1);
    return;
  }
  if (isa<CallExpr, CXXConstructExpr>(S))
    if (const FunctionDecl *Callee = directCallee(cast<Expr>(S)))
      visitCall(cast<Expr>(S), Callee, Holder);
  for (const Stmt *Child : S->children())
    visit(Child, passesHolder(S) ? Holder : nullptr, Depth + 1);
}

void UiCallInThreadCheck::visitCall(const Expr *Call,
                                    const FunctionDecl *Callee,
                                    const VarDecl *Holder) {
  llvm::SmallVector<const Expr *, 8> Args = callArguments(Call);
  if (const rules::ContextAttachRule *Attach = Index->contextAttach(Callee)) {
    if (Attach->ThreadArg < Args.size()) {
      const Expr *Thread = Args[Attach->ThreadArg]->IgnoreParenImpCasts();
      if (const VarDecl *VD = threadVariable(Thread))
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
  if (!Rule || !SeenSpawns.insert(Call).second)
    return;
  WorkerAnalysis Analysis(*Ctx, *Index, *Library, MaxDepth);
  // std::async(std::launch::deferred, f) runs f on the caller's thread.
  if (Analysis.argumentNames(Args, Rule->UnlessArg))
    return;
  int Arg = Analysis.callableArg(Args, Rule->CallableArg);
  if (Arg < 0)
    return;
  Spawns.push_back({Call, Args[Arg], nullptr, "", Holder});
}

void UiCallInThreadCheck::check(const MatchFinder::MatchResult &Result) {
  beginTranslationUnit(*Result.SourceManager);
  Ctx = Result.Context;

  if (const auto *VD = Result.Nodes.getNodeAs<VarDecl>("global")) {
    if (!Library->contains(VD->getLocation()))
      visit(VD->getInit(), VD, 0);
    return;
  }
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  assert(FD && "matcher binds 'fn'");
  // Toolkit headers define and override functions too; only user code is
  // of interest.
  if (Library->contains(FD->getLocation()))
    return;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->size_overridden_methods())
      if (std::optional<std::string> Base = Index->workerOverride(MD))
        Spawns.push_back({nullptr, nullptr, MD, *Base, nullptr});
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      const Expr *E = Init->getInit();
      if (const auto *Default = dyn_cast_or_null<CXXDefaultInitExpr>(E))
        E = Default->getExpr();
      visit(E, nullptr, 0);
    }
  visit(FD->getBody(), nullptr, 0);
}

void UiCallInThreadCheck::onEndOfTranslationUnit() {
  if (!Index || Spawns.empty()) {
    Spawns.clear();
    SeenSpawns.clear();
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
      if (S.Holder && ContextVars.count(S.Holder))
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
  SeenSpawns.clear();
  ContextVars.clear();
  ContextClasses.clear();
  endTranslationUnit();
}

} // namespace uisan::tidy
