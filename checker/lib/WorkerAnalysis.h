//===- WorkerAnalysis.h - what code runs on a worker thread ---------------===//
//
// Resolves the callable a spawner runs (lambda, function, member function,
// functor, std::bind, a local holding any of these) to function bodies, and
// walks from them through helper functions whose bodies are visible, to the
// UI calls they make. Marshalled callables, signals and code under a
// UI-thread guard are not part of what runs on the worker.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_WORKERANALYSIS_H
#define UISAN_CHECKER_WORKERANALYSIS_H

#include "RuleIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>
#include <vector>

namespace uisan::tidy {

/// A function body that a thread runs first.
struct WorkerEntry {
  const clang::FunctionDecl *Function = nullptr;
  /// How notes name it: "the lambda", "'work'", "'Worker::operator()'".
  std::string Description;
};

/// A UI call found in one function body.
struct UiCallSite {
  const clang::Expr *Call = nullptr;
  clang::SourceLocation Loc;
  UiApi Api;
};

/// A call to a function whose body is visible and is walked in turn.
struct CalleeSite {
  const clang::FunctionDecl *Callee = nullptr;
  clang::SourceLocation Loc;
};

/// One step of the path from the entry to a UI call: `Caller` calls the
/// next function at `Loc`.
struct PathStep {
  const clang::FunctionDecl *Caller = nullptr;
  clang::SourceLocation Loc;
};

/// Finds the UI calls that can run on worker threads of one TU.
class WorkerAnalysis {
public:
  WorkerAnalysis(clang::ASTContext &Ctx, RuleIndex &Rules,
                 LibraryCode &Library, unsigned MaxDepth)
      : Ctx(Ctx), Rules(Rules), Library(Library), MaxDepth(MaxDepth) {}

  /// Function bodies `E` may call when invoked as a callable.
  void resolveCallable(const clang::Expr *E,
                       llvm::SmallVectorImpl<WorkerEntry> &Out,
                       unsigned Depth = 0);

  /// The callable argument of a spawner or marshaller call (or -1), given the
  /// rule's index or, for 'auto', the first argument that is callable.
  int callableArg(llvm::ArrayRef<const clang::Expr *> Args, int RuleIndex);

  /// True when some argument refers to a declaration matching `Names`.
  bool argumentNames(llvm::ArrayRef<const clang::Expr *> Args,
                     const rules::GlobList &Names);

  /// True when `M` runs its callable on the UI thread for these arguments.
  bool marshals(const rules::MarshallerRule &M,
                llvm::ArrayRef<const clang::Expr *> Args);

  /// Calls `Found` for every UI call reachable from `Entry` through visible
  /// helpers (breadth first, so the path is a shortest one), at most
  /// MaxDepth calls deep, each function once.
  void forEachUiCall(
      const clang::FunctionDecl *Entry,
      llvm::function_ref<void(const UiCallSite &,
                              llvm::ArrayRef<PathStep> Path)>
          Found);

private:
  struct Facts {
    std::vector<UiCallSite> Ui;
    std::vector<CalleeSite> Callees;
  };
  const Facts &factsFor(const clang::FunctionDecl *FD);
  void walk(const clang::Stmt *S, bool Guarded, Facts &F, unsigned Depth);
  void walkCall(const clang::Expr *Call, const clang::FunctionDecl *Callee,
                llvm::ArrayRef<const clang::Expr *> Args, bool Guarded,
                Facts &F, unsigned Depth);
  /// +1: the condition holds only on the UI thread; -1: only off it; 0: ?
  int guardPolarity(const clang::Expr *Cond);
  bool mentionsGuard(const clang::Stmt *S);
  bool inSystemHeader(clang::SourceLocation Loc) const;

  clang::ASTContext &Ctx;
  RuleIndex &Rules;
  LibraryCode &Library;
  unsigned MaxDepth;
  llvm::DenseMap<const clang::FunctionDecl *, Facts> FactsCache;
};

/// A readable name for a function in notes: 'Class::method', 'free'.
std::string describeFunction(const clang::FunctionDecl *FD);

} // namespace uisan::tidy

#endif
