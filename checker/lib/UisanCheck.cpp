//===- UisanCheck.cpp - what every uisan check shares ---------------------===//

#include "UisanCheck.h"

#include "clang/AST/ExprCXX.h"

#include <mutex>
#include <set>

using namespace clang;

namespace uisan::tidy {

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

void UisanCheck::storeCommonOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "RulePacks", RulePacks);
  Options.store(Opts, "LibraryPrefixes", LibraryPrefixes);
}

void UisanCheck::beginTranslationUnit(const SourceManager &SM) {
  if (Index)
    return;
  Index = std::make_unique<RuleIndex>(DB);
  Library = std::make_unique<LibraryCode>(SM, splitOptionList(LibraryPrefixes));
}

void UisanCheck::endTranslationUnit() {
  Index.reset();
  Library.reset();
}

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
