//===- Lifecycle.h - are threads and executors stopped on every path? -----===//
//
// A forward may-analysis on Clang's CFG. It tracks handles (a local thread or
// executor, a smart or raw pointer to one, or a container of them) from the
// point they run, through stop (join, shutdown), daemon (detach) and escape
// (moved, stored, returned) events, to the exits of the function or of the
// handle's scope, and reports the exits a still-running handle can reach.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_LIFECYCLE_H
#define UISAN_CHECKER_LIFECYCLE_H

#include "RuleIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"

#include <string>
#include <vector>

namespace uisan::tidy {

/// How a type relates to the executor rules of the packs.
struct ExecutorType {
  const rules::ExecutorRule *Rule = nullptr;
  const rules::Pack *Pack = nullptr;
  std::string Name;        ///< the executor's type, e.g. 'std::thread'
  bool Pointer = false;    ///< a raw pointer to one
  bool Smart = false;      ///< std::unique_ptr / std::shared_ptr to one
  bool Container = false;  ///< a container of them (or of pointers to them)
  explicit operator bool() const { return Rule != nullptr; }
};

/// One thing that runs threads, owned by a local variable.
struct Handle {
  const clang::VarDecl *Var = nullptr;
  /// Tracking starts when this runs (a start() call, the context attach);
  /// null: at the variable's declaration.
  const clang::Stmt *Start = nullptr;
  ExecutorType Type;
};

/// A place where a handle may leave its owner while still running.
struct LeakExit {
  size_t Handle = 0;
  clang::SourceLocation Loc;
  std::string How; ///< "leaves the scope here", "returns here", ...
  /// An exit only if this project function may throw: decided when the
  /// program is linked, since its body may be in another file.
  const clang::FunctionDecl *IfThrows = nullptr;
};

/// Something done to a handle that ends its owner's responsibility.
struct HandleEvent {
  enum Kind { Detached, Escaped };
  size_t Handle = 0;
  Kind K = Detached;
  clang::SourceLocation Loc;
  std::string Detail; ///< for Escaped: "moved", "returned", "stored in 'x'"
};

/// True when `New` gives the object a parent (a pointer argument written at
/// the call and not null), for executors a parent owns (`new QThread(this)`;
/// `new QThreadPool()` has none, its default `nullptr` is not one).
bool givenParent(const clang::CXXNewExpr *New, clang::ASTContext &Ctx);

/// Runs the lifecycle analysis on function bodies of one TU.
class Lifecycle {
public:
  Lifecycle(clang::ASTContext &Ctx, RuleIndex &Rules, LibraryCode &Library)
      : Ctx(Ctx), Rules(Rules), Library(Library) {}

  /// `T *`, for classifying what a `new` makes.
  clang::QualType pointerTo(clang::QualType T);
  /// Classifies `T` against the packs' executor rules.
  ExecutorType classify(clang::QualType T);

  /// The running executors that locals of `FD` own.
  std::vector<Handle> executorHandles(const clang::FunctionDecl *FD);

  /// Runs the dataflow for `Handles` in `FD`.
  void run(const clang::FunctionDecl *FD, llvm::ArrayRef<Handle> Handles,
           std::vector<LeakExit> &Leaks, std::vector<HandleEvent> &Events);

  /// True when `Call` stops (joins, shuts down) the object `Var` names,
  /// directly or through an element of it.
  bool isStop(const clang::Stmt *S, const Handle &H);
  /// True when some statement inside `S` stops `H` (isStop anywhere).
  bool stopsWithin(const clang::Stmt *S, const Handle &H);
  /// The first call in `Body` that starts `Var` per the rule, or null.
  const clang::Stmt *findStart(const clang::Stmt *Body, const Handle &H);
  /// True when `Body` (of `FD` or its callees in the same class) stops
  /// the field `F`.
  bool stopsField(const clang::FunctionDecl *FD, const clang::FieldDecl *F,
                  const rules::ExecutorRule &Rule, unsigned Depth = 0);
  /// False when the rule says only some instances are joinable and this
  /// construction (`Init`, or the class's base initializers) is not one.
  bool isJoinable(const rules::ExecutorRule &R, const clang::CXXRecordDecl *RD,
                  const clang::Expr *Init);
  /// The pack's per-run rule that makes `FD` run once per run/event/frame.
  const rules::PerRunRule *perRun(const clang::FunctionDecl *FD);

  /// True for a call the packs say may throw (library code).
  bool packThrows(const clang::FunctionDecl *FD);
  /// True when `Call` asks whether `H` still runs (a `running` method) as
  /// the condition of a loop: the loop waits for it.
  bool isWaitLoop(const clang::Stmt *Call, const Handle &H);

private:
  /// A callee's simple name ('join') and rule name, asked for every call
  /// and every handle, so cached.
  const std::pair<std::string, std::string> &
  calleeNames(const clang::FunctionDecl *FD);
  bool insideTry(const clang::Stmt *S);
  bool movedIntoMember(const clang::Expr *Move);

  clang::ASTContext &Ctx;
  RuleIndex &Rules;
  LibraryCode &Library;
  llvm::DenseMap<const clang::FunctionDecl *, bool> ThrowCache;
  /// Parents within the body being analysed (set during run()).
  clang::ParentMap *Parents = nullptr;
  llvm::DenseMap<const clang::FunctionDecl *,
                 std::pair<std::string, std::string>>
      NameCache;
};

} // namespace uisan::tidy

#endif
