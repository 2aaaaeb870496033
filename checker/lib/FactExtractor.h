//===- FactExtractor.h - a translation unit's AST to facts ----------------===//
//
// Walks every function body of the project's own code (library code is
// skipped whole) and writes what it does as facts (Facts.h): the UI calls it
// makes, the functions it calls (directly, virtually, or through callable
// values), the threads it starts, and where it stores callables. Lambdas are
// functions of their own: where a lambda runs is decided by where its value
// goes (a spawner, a marshaller, a member that another thread calls), not by
// where it is written. Code behind a UI-thread guard makes no calls as far as
// the facts go; thread starts and stores there still count.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_FACTEXTRACTOR_H
#define UISAN_CHECKER_FACTEXTRACTOR_H

#include "Facts.h"
#include "RuleIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <vector>

namespace uisan::tidy {

/// Turns source places into facts' places, interning file names.
class LocationTable {
public:
  LocationTable(const clang::SourceManager &SM, const clang::LangOptions &LO,
                facts::TranslationUnit &TU)
      : SM(SM), LO(LO), TU(TU) {}
  /// The file location (`SourceManager::getFileLoc`) of `L`, absolute path.
  facts::Loc get(clang::SourceLocation L);
  /// The macros `L` was expanded from, innermost first, as clang's
  /// "expanded from macro" notes show them.
  std::vector<facts::MacroStep> expansion(clang::SourceLocation L);
  /// The FileID each interned file name came from (for mapping back).
  clang::FileID fileId(facts::Str File) const;
  const clang::SourceManager &sourceManager() const { return SM; }

private:
  const clang::SourceManager &SM;
  const clang::LangOptions &LO;
  facts::TranslationUnit &TU;
  llvm::DenseMap<unsigned, facts::Str> FileNames; // FileID hash -> name
  llvm::DenseMap<facts::Str, clang::FileID> Files;
};

/// Called for each function definition of the project's code, after its
/// facts are written: the per-function analyses (lifecycle) hook in here.
using FunctionHook = llvm::function_ref<void(const clang::FunctionDecl *)>;
/// Called for each field of a project class.
using FieldHook = llvm::function_ref<void(const clang::FieldDecl *)>;

/// Extracts the facts of one translation unit.
class FactExtractor {
public:
  FactExtractor(clang::ASTContext &Ctx, RuleIndex &Rules, LibraryCode &Library,
                facts::TranslationUnit &TU, LocationTable &Locations)
      : Ctx(Ctx), Rules(Rules), Library(Library), TU(TU), Locations(Locations) {}

  /// Walks the whole TU.
  void run(FunctionHook OnFunction = nullptr, FieldHook OnField = nullptr);

  /// The key facts name a function by: its USR; for a lambda, the key of
  /// the code around it plus its place.
  facts::Str functionKey(const clang::FunctionDecl *FD);
  /// The key of a class, and of a field (their USRs).
  facts::Str classKey(const clang::CXXRecordDecl *RD);
  facts::Str fieldKey(const clang::FieldDecl *FD);

private:
  struct Body {
    facts::Function F;
    const clang::FunctionDecl *FD = nullptr; ///< null for an initialiser
    unsigned TryDepth = 0; ///< try blocks around the walk's position
    /// Locals (and members of locals) that hold a guard's answer:
    /// `bool main = isMainThread(); ... if (main)`.
    llvm::DenseMap<std::pair<const clang::Decl *, const clang::Decl *>, int>
        StoredGuards;
  };

  void visitContext(const clang::DeclContext *DC);
  void visitDecl(const clang::Decl *D);
  void visitRecord(const clang::CXXRecordDecl *RD);
  void extractFunction(const clang::FunctionDecl *FD);
  void extractGlobal(const clang::VarDecl *VD);
  /// A global's or an in-class member initialiser as a function of its own
  /// (kept when it starts a thread or stores a callable); `Holder`: the
  /// variable it initialises, if a thread may be started into it.
  void extractInitializer(const clang::ValueDecl *D, const clang::Expr *Init,
                          facts::Str Slot, const clang::VarDecl *Holder);
  void drainLambdas();

  void walk(const clang::Stmt *S, bool Guarded, Body &B,
            const clang::VarDecl *Holder, unsigned Depth);
  void walkCall(const clang::Expr *Call, const clang::FunctionDecl *Callee,
                bool Guarded, Body &B, const clang::VarDecl *Holder,
                unsigned Depth);
  /// The first spawner rule for `Callee` whose conditions this call meets.
  const rules::SpawnerRule *spawnerFor(const clang::FunctionDecl *Callee,
                                       llvm::ArrayRef<const clang::Expr *> Args);
  /// Qt's affinity calls (moveToThread, connect, invokeMethod to an object,
  /// timers): their facts. True when the call is handled whole.
  bool affinityCall(const clang::Expr *Call, const clang::FunctionDecl *Callee,
                    llvm::ArrayRef<const clang::Expr *> Args, bool Guarded,
                    Body &B, unsigned Depth);
  /// Adds a flow of `E`'s callables into `Slot`, if it carries any.
  void flowInto(facts::Str Slot, const clang::Expr *E, clang::SourceLocation At,
                Body &B);

  /// The callables an expression may evaluate to.
  void values(const clang::Expr *E, std::vector<facts::Value> &Out,
              unsigned Depth = 0);
  /// The slot an lvalue expression of a callable-holding type lives in
  /// (`cb`, `this->handlers[k]`, `it->second`), or NoStr.
  facts::Str rootSlot(const clang::Expr *E, unsigned Depth = 0);
  void addFunction(const clang::FunctionDecl *FD,
                   std::vector<facts::Value> &Out);
  void addCallOperators(const clang::CXXRecordDecl *RD,
                        std::vector<facts::Value> &Out);
  void queueLambda(const clang::LambdaExpr *L, std::vector<facts::Value> *Out);
  /// The argument of a spawner that it runs, or -1.
  int callableArg(llvm::ArrayRef<const clang::Expr *> Args, int RuleIndex);
  bool marshals(const rules::MarshallerRule &M,
                llvm::ArrayRef<const clang::Expr *> Args);
  bool argumentNames(llvm::ArrayRef<const clang::Expr *> Args,
                     const rules::GlobList &Names);

  /// True when a value of type `T` can be or contain a callable: a function
  /// pointer, a lambda, std::function, a functor, a container of those.
  bool mayHoldCallable(clang::QualType T, unsigned Depth = 0);
  /// True when `T` can be called itself (a function pointer, a lambda,
  /// std::function, a functor), not only contain callables.
  bool isCallableType(clang::QualType T);
  bool isProject(const clang::Decl *D);

  facts::Str slot(facts::Slot::Kind K, const std::string &Key,
                  llvm::StringRef Name,
                  const clang::FunctionDecl *Owner = nullptr,
                  unsigned Index = 0);
  facts::Str varSlot(const clang::VarDecl *VD);
  facts::Str fieldSlot(const clang::FieldDecl *FD);
  facts::Str paramSlot(const clang::FunctionDecl *FD, unsigned Index);
  facts::Str returnSlot(const clang::FunctionDecl *FD);
  std::string usr(const clang::Decl *D);
  /// True when an override of `MD` is a pack's teardown method.
  bool isTeardown(const clang::CXXMethodDecl *MD);
  /// Whether an uncaught exception can leave `Body` (a throw outside any
  /// try block, or in a catch handler: a rethrow).
  bool throwsOut(const clang::Stmt *S, unsigned Depth = 0);

  /// +1: the condition holds only on the UI thread; -1: only off it; 0: ?
  int guardPolarity(const clang::Expr *Cond);
  /// The guard answer `E` holds (a local or a local's member set from one).
  int storedGuard(const clang::Expr *E);
  /// The key of a local or a local's member, or (null, null).
  static std::pair<const clang::Decl *, const clang::Decl *>
  storedKey(const clang::Expr *E);
  Body *Current = nullptr; ///< the body being walked, for stored guards
  bool mentionsGuard(const clang::Stmt *S, unsigned Depth = 0);
  /// How a statement of a block changes the lock regions held after it:
  /// +1 for `Fl::lock()` or a local guard object, -1 for `Fl::unlock()`.
  int lockRegionChange(const clang::Stmt *S);

  clang::ASTContext &Ctx;
  RuleIndex &Rules;
  LibraryCode &Library;
  facts::TranslationUnit &TU;
  LocationTable &Locations;
  FunctionHook OnFunction;
  FieldHook OnField;

  llvm::DenseMap<const clang::Decl *, facts::Str> Keys;
  llvm::DenseSet<const clang::Decl *> Visited;
  llvm::DenseSet<facts::Str> SlotsWritten;
  llvm::DenseMap<facts::Str, facts::Str> SlotNames; // slot key -> name
  llvm::DenseMap<const clang::Type *, bool> HoldsCallable;
  llvm::DenseMap<const clang::Decl *, bool> PackThrows;
  std::vector<const clang::FunctionDecl *> PendingLambdas;
};

/// A readable name for a function in notes: 'Class::method', 'free'.
std::string describeFunction(const clang::FunctionDecl *FD);

} // namespace uisan::tidy

#endif
