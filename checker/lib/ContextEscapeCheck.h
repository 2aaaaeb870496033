//===- ContextEscapeCheck.h - uisan-context-escape -------------*- C++ -*-===//
#ifndef UISAN_CHECKER_CONTEXTESCAPECHECK_H
#define UISAN_CHECKER_CONTEXTESCAPECHECK_H

#include "RuleIndex.h"

#include "clang-tidy/ClangTidyCheck.h"

#include <memory>

namespace uisan::tidy {

/// Finds a run's context attached to a thread that can outlive the function
/// that owns the run: detached, stored, moved out, or not joined on some
/// path before it returns.
///
/// Docs: docs/checks/uisan-context-escape.md
class ContextEscapeCheck : public clang::tidy::ClangTidyCheck {
public:
  ContextEscapeCheck(llvm::StringRef Name,
                     clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void onEndOfTranslationUnit() override;

private:
  const std::string RulePacks;
  const std::string LibraryPrefixes;
  std::shared_ptr<const RuleDB> DB;
  std::unique_ptr<RuleIndex> Index;
  std::unique_ptr<LibraryCode> Library;
};

} // namespace uisan::tidy

#endif
