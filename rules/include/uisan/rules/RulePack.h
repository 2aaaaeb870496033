//===- RulePack.h - the rule-pack model shared by checker and runtime -----===//
//
// A rule pack says, for one toolkit, what a UI call is, what starts a thread,
// what marshals back to the UI thread and how a context is attached. Packs
// are JSON files validated against rules/schema/uisan-rules.schema.json; the
// format is documented in docs/rules.md.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_RULES_RULEPACK_H
#define UISAN_RULES_RULEPACK_H

#include "uisan/rules/Glob.h"
#include "uisan/rules/Json.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace uisan::rules {

/// One error in a rule pack, printable as
/// `file:line:col: error: message [at $.json.path]` plus a remedy.
struct Problem {
  std::string File;
  SourcePos Pos;
  std::string JsonPath;
  std::string Message;
  std::string Remedy; ///< e.g. "did you mean 'subclasses'?"; may be empty
};

/// Formats `P` the way compilers print errors, on one line (plus the remedy).
std::string formatProblem(const Problem &P);

/// A list of patterns; matches when any one does.
struct GlobList {
  std::vector<Glob> Items;
  /// Whether a pattern without a parameter list matches `Name`.
  bool matches(std::string_view Name) const;
  /// Also patterns with a parameter list, against `Signature`
  /// (Glob::signature; empty when unknown, so those never match).
  bool matches(std::string_view Name, std::string_view Signature) const;
  bool empty() const { return Items.empty(); }
};

/// Methods and constructors of a class (and, optionally, its subclasses).
struct UiClassRule {
  Glob Name;
  bool Subclasses = true;
  GlobList Except;
};

/// C functions recognised by a name prefix.
struct UiPrefixRule {
  std::string Prefix;
  GlobList Except;
};

/// A call or constructor that runs one of its arguments on another thread:
/// one it starts, or a library's own thread that runs a registered callback.
struct SpawnerRule {
  Glob Function;
  int CallableArg = -1; ///< -1: the first argument that is callable
  GlobList UnlessArg;
  /// Set: the callback runs on this library thread ('the streaming
  /// thread'), for notes.
  std::string LibraryThread;
  /// Set: only when argument ReceiverArg's type is or derives from this
  /// (a GStreamer element's signals, not a button's).
  std::optional<Glob> ReceiverType;
  unsigned ReceiverArg = 0;
  /// Set (>= 0): only when this argument is a string literal naming one of
  /// Signals ('pad-added', 'notify::caps').
  int SignalArg = -1;
  GlobList Signals;
};

/// A call that runs a callable in the thread of an object it is given.
struct ReceiverCallRule {
  Glob Function;
  unsigned ReceiverArg = 0;
};

/// Qt's thread affinity: where objects live and which thread runs a slot.
struct AffinityRule {
  std::optional<Glob> ObjectClass; ///< 'QObject'
  GlobList Move;                   ///< 'QObject::moveToThread'
  GlobList Connect;                ///< 'QObject::connect'
  GlobList ThreadSignals;          ///< emitted in the new thread
  GlobList Direct;                 ///< connection types that call in place
  GlobList Queued;                 ///< connection types that post
  std::vector<ReceiverCallRule> ReceiverCalls;
  GlobList NeedsEventLoop;         ///< 'QTimer::start', 'QObject::startTimer'
  GlobList EventLoops;             ///< 'QThread::exec'
};

/// A call that runs one of its arguments on the UI thread.
struct MarshallerRule {
  Glob Function;
  GlobList UnlessArg;
  std::optional<Glob> ReceiverType; ///< set: marshals only given a receiver
  unsigned ReceiverMinCount = 1;
  /// Set: calling it from a worker is itself unsafe (glibmm's
  /// signal_idle().connect); reported as a UI call with this remedy.
  std::string OffThreadRemedy;
};

/// Code in which UI calls are allowed on any thread: between two calls
/// (`Fl::lock()` ... `Fl::unlock()`), or while a guard object lives
/// (`juce::MessageManagerLock`). Exactly Enter+Leave, or Guard, is set.
struct LockRegionRule {
  std::optional<Glob> Enter;
  std::optional<Glob> Leave;
  std::optional<Glob> Guard; ///< a class; a local of it locks its scope
};

/// A call that attaches a run's context to a thread object.
struct ContextAttachRule {
  Glob Function;
  unsigned ThreadArg = 0;
  unsigned ContextArg = 1;
};

/// A type that owns threads and must be joined or shut down.
struct ExecutorRule {
  Glob Type;
  GlobList Create;
  std::vector<std::string> Start;
  std::vector<std::string> Shutdown;
  std::vector<std::string> Daemon;
  bool Raii = false;
  bool DefaultIdle = false; ///< default-constructed, it runs nothing
  GlobList JoinableWhenArg;  ///< non-empty: others run detached
  GlobList Global;
  bool ParentOwned = false;
  std::string OnDestroy; ///< may be empty
  /// Methods that say it still runs: a loop while one is true waits for it.
  std::vector<std::string> Running;
  /// Shutdown methods that give up after a timeout when given one.
  std::vector<std::string> Bounded;
  /// Set: a type with the same interface whose destructor stops it
  /// ('std::jthread' for 'std::thread'), offered as a fix-it for a local
  /// whose every use is a call of one of RaiiMethods.
  std::string RaiiAlternative;
  std::vector<std::string> RaiiMethods;
};

/// Code that runs when the application shuts down: stopping a member there
/// counts like stopping it in its owner's destructor.
struct TeardownRule {
  GlobList Overrides; ///< methods whose overrides run then (wxApp::OnExit)
  GlobList Signals;   ///< signals whose slots run then (aboutToQuit)
  GlobList Handlers;  ///< event types whose handlers run then (wxCloseEvent)
};

/// Functions that run once per script run, event or frame.
struct PerRunRule {
  GlobList Functions;
  GlobList Overrides;
  std::string Unit = "run";
};

/// How the runtime recognises the UI thread.
struct UiThreadRule {
  enum class Kind { Main, FirstCaller, Context };
  Kind K = Kind::Main;
  GlobList Functions;
  /// Shared objects holding some of `Functions` besides the UI libraries.
  std::vector<std::string> Libraries;
};

/// Threads a library owns (never a thread-leak), for the runtime.
struct LibraryThreadRule {
  std::vector<std::string> Names; ///< thread-name globs ('*', '?')
  GlobList Creators;              ///< functions on the creation stack
};

/// One loaded and validated rule pack.
struct Pack {
  std::string Name;
  std::string File; ///< where it came from, for messages
  std::string Description;
  std::string Toolkit;
  std::string UiThreadName = "UI thread";
  std::string Remedy;

  std::vector<UiClassRule> UiClasses;
  GlobList UiFunctions;
  std::vector<UiPrefixRule> UiPrefixes;
  GlobList UiExcept;
  /// Shared objects holding the UI functions (file-name or path globs).
  std::vector<std::string> UiLibraries;

  std::vector<std::string> SignalSections;
  std::vector<std::string> SignalMarkers;

  std::vector<SpawnerRule> Spawners;
  GlobList WorkerOverrides;
  /// Functions that run on a worker thread as they are (callbacks).
  GlobList WorkerEntries;
  std::optional<AffinityRule> Affinity;
  GlobList Binders;
  /// Calls that construct an object of their first template argument
  /// (`std::make_unique<QPixmap>(16, 16)`).
  GlobList Factories;
  std::vector<MarshallerRule> Marshallers;
  GlobList ThreadGuards;
  std::vector<LockRegionRule> LockRegions;

  GlobList ContextGet;
  std::vector<ContextAttachRule> ContextAttach;

  std::vector<ExecutorRule> Executors;
  std::optional<PerRunRule> PerRun;
  GlobList Throwing;
  TeardownRule Teardown;

  std::optional<UiThreadRule> UiThread;
  LibraryThreadRule LibraryThreads;
};

/// Parses and validates one pack. On any problem, appends to `Problems` and
/// returns nullptr; a pack is used whole or not at all.
std::unique_ptr<Pack> parsePack(std::string_view Text, std::string_view File,
                                std::vector<Problem> &Problems);

/// Reads `Path` and parses it; an unreadable file is a Problem too.
std::unique_ptr<Pack> loadPackFile(const std::string &Path,
                                   std::vector<Problem> &Problems);

/// The packs shipped with uisan (rules/packs/*.json, built in).
struct ShippedPack {
  const char *FileName;
  const char *Text;
};
const std::vector<ShippedPack> &shippedPackTexts();

/// Parses every shipped pack. They are validated in the test suite, so a
/// problem here means a broken build; it is still reported, not ignored.
std::vector<std::unique_ptr<Pack>> loadShippedPacks(std::vector<Problem> &Problems);

/// The shipped packs plus the packs at `Paths`, each name once: a pack
/// whose name is taken is a Problem and is skipped, like a bad pack.
std::vector<std::unique_ptr<Pack>>
loadAllPacks(const std::vector<std::string> &Paths,
             std::vector<Problem> &Problems);

/// The machine-readable schema the packs are validated against.
const char *packSchemaText();

/// The closest candidate to `Word` within a small edit distance, or "".
std::string closestMatch(std::string_view Word,
                         const std::vector<std::string> &Candidates);

} // namespace uisan::rules

#endif
