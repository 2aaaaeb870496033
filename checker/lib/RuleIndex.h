//===- RuleIndex.h - rule packs applied to Clang declarations -------------===//
#ifndef UISAN_CHECKER_RULEINDEX_H
#define UISAN_CHECKER_RULEINDEX_H

#include "uisan/rules/RulePack.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace uisan::tidy {

/// The shipped packs plus the user's, loaded once per process and shared by
/// every check instance of every translation unit.
struct RuleDB {
  std::vector<std::unique_ptr<rules::Pack>> Packs;
  /// Problems found while loading; bad packs are skipped, good ones kept.
  std::vector<rules::Problem> Problems;
};

/// Splits a ';'-separated option value (RulePacks, LibraryPrefixes) into
/// trimmed, non-empty items.
std::vector<std::string> splitOptionList(llvm::StringRef Value);

/// Returns the rule database for the given extra pack files (';'-separated),
/// loading it on first use. Thread-safe.
std::shared_ptr<const RuleDB> getRuleDB(llvm::StringRef ExtraPacks);

/// The name rule packs match a declaration by: enclosing namespaces and
/// classes joined with '::', without template arguments, inline namespaces
/// or unscoped enums (so 'std::thread::thread', 'Qt::DirectConnection').
std::string ruleName(const clang::NamedDecl *D);

/// Decides whether a location is in library code (system headers, or files
/// under installed-library prefixes such as /usr/include, which pkg-config
/// flags bring in with -I rather than -isystem). Library code is neither
/// walked nor reported. Caches per file.
class LibraryCode {
public:
  LibraryCode(const clang::SourceManager &SM,
              std::vector<std::string> Prefixes)
      : SM(SM), Prefixes(std::move(Prefixes)) {}
  bool contains(clang::SourceLocation Loc);

private:
  const clang::SourceManager &SM;
  std::vector<std::string> Prefixes;
  llvm::DenseMap<unsigned, bool> Cache; // FileID hash -> verdict
};

/// The default for the LibraryPrefixes option.
inline constexpr const char *DefaultLibraryPrefixes = "/usr/include/;/usr/lib/";

/// What a UI call is, for a message.
struct UiApi {
  const rules::Pack *Pack = nullptr;
  std::string Name;
  bool IsConstructor = false;
  /// Matched through a class rule (a method of a UI class or subclass),
  /// not named by a function pattern.
  bool FromClassRule = false;
};

/// Classifies declarations of one translation unit against a RuleDB,
/// caching every answer (the AST lives as long as the TU).
class RuleIndex {
public:
  explicit RuleIndex(std::shared_ptr<const RuleDB> DB) : DB(std::move(DB)) {}

  std::optional<UiApi> uiApi(const clang::FunctionDecl *FD);
  /// The spawner rules naming `FD`, in pack order; a rule with conditions
  /// (receiver type, signal name) applies only where its call meets them.
  llvm::ArrayRef<const rules::SpawnerRule *> spawners(const clang::FunctionDecl *FD);
  const rules::MarshallerRule *marshaller(const clang::FunctionDecl *FD);
  /// For a factory call (`std::make_unique<QPixmap>`): the UI class it
  /// constructs, as a constructor's UiApi.
  std::optional<UiApi> factoryUiApi(const clang::FunctionDecl *FD);
  const rules::ContextAttachRule *contextAttach(const clang::FunctionDecl *FD);
  bool isBinder(const clang::FunctionDecl *FD);
  bool isThreadGuard(const clang::FunctionDecl *FD);
  /// A call that opens (+1) or closes (-1) a lock region (`Fl::lock`,
  /// `Fl::unlock`), or 0.
  int lockRegionCall(const clang::FunctionDecl *FD);
  /// True when a local object of `RD` holds a lock region for its scope
  /// (`juce::MessageManagerLock`).
  bool isLockGuard(const clang::CXXRecordDecl *RD);
  /// The overridden method (e.g. 'QThread::run') when `MD` runs on a worker.
  std::optional<std::string> workerOverride(const clang::CXXMethodDecl *MD);
  /// True for a Qt-style signal: declared in a signal section or marked.
  bool isSignal(const clang::CXXMethodDecl *MD);
  /// True when `RD` is, or derives from, a class matching `Pattern`.
  bool derivesFrom(const clang::CXXRecordDecl *RD, const rules::Glob &Pattern);

  const RuleDB &db() const { return *DB; }

private:
  struct Entry {
    std::optional<UiApi> Ui;
    llvm::SmallVector<const rules::SpawnerRule *, 1> Spawners;
    bool Factory = false;
    const rules::MarshallerRule *Marshaller = nullptr;
    const rules::ContextAttachRule *Attach = nullptr;
    bool Binder = false;
    bool Guard = false;
    int LockRegion = 0;
  };
  const Entry &classify(const clang::FunctionDecl *FD);
  std::optional<UiApi> computeUi(const clang::FunctionDecl *FD,
                                 const std::string &Name);

  std::shared_ptr<const RuleDB> DB;
  llvm::DenseMap<const clang::FunctionDecl *, Entry> Cache;
  llvm::DenseMap<const clang::CXXMethodDecl *, std::optional<std::string>>
      OverrideCache;
  llvm::DenseMap<const clang::CXXMethodDecl *, bool> SignalCache;
  llvm::DenseMap<const clang::CXXRecordDecl *, bool> LockGuardCache;
};

/// The canonical signature an `except` pattern with a parameter list is
/// matched against: 'Fl_Valuator::value()const' (parameter types as the
/// compiler sees them, typedefs resolved, white space removed).
std::string ruleSignature(const clang::FunctionDecl *FD, const std::string &Name);

} // namespace uisan::tidy

#endif
