//===- Facts.h - what one translation unit says about the program --------===//
//
// The first phase of uisan-tidy turns each translation unit's AST into
// facts: its functions (keyed by USR, so every TU names a function the same
// way), the calls they make (direct, virtual, through a callable value), the
// UI calls, thread starts and stores of callables among them, the class
// hierarchy's overrides, and the findings that need only this TU. The second
// phase (ProgramModel.h) links the facts of every TU into one program.
//
// Facts are plain data: deterministic for the same input, serialisable (a
// compact binary form for the cache and for build systems, JSON for tests
// and debugging), and they keep the source place of everything a note may
// show, so a path across files reads like a path within one.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_FACTS_H
#define UISAN_CHECKER_FACTS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace uisan::facts {

/// Bumped whenever the meaning or the encoding of a fact changes: facts of
/// another version are never read (the cache re-extracts them).
inline constexpr uint32_t FormatVersion = 4;

/// An index into a translation unit's string table.
using Str = uint32_t;
inline constexpr Str NoStr = UINT32_MAX;

/// A place in a file: the file's absolute path (a string), 1-based line and
/// byte column, and the byte offset (for mapping back into a SourceManager).
struct Loc {
  Str File = NoStr;
  uint32_t Line = 0;
  uint32_t Column = 0;
  uint32_t Offset = 0;
  bool valid() const { return File != NoStr; }
};

/// A callable value: a function, or whatever a slot may hold.
struct Value {
  enum class Kind : uint8_t { Function, Slot };
  Kind K = Kind::Function;
  Str Key = NoStr; ///< a function key or a slot key
  friend bool operator==(const Value &A, const Value &B) {
    return A.K == B.K && A.Key == B.Key;
  }
};

/// A place that holds callables between the point they are stored and the
/// point they are called: a member, a global, a local, a parameter, or a
/// function's return value. Slots are named by key, the same in every TU:
/// "f:<field USR>", "g:<variable USR>", "l:<function>@<offset>",
/// "p:<function>#<index>", "r:<function>".
struct Slot {
  enum class Kind : uint8_t { Field, Global, Local, Param, Return };
  Str Key = NoStr;
  Kind K = Kind::Field;
  Str Name = NoStr;     ///< for notes: 'Downloader::onProgress', 'cb'
  Str Function = NoStr; ///< the function of a parameter, local or return value
  Str Owner = NoStr;    ///< that function's name, for notes: 'Utils::busyTask'
  uint32_t Index = 0;   ///< a parameter's position
};

/// A call a function makes to another function.
struct Call {
  enum class Kind : uint8_t {
    Direct,
    /// A virtual call: the called method or any override of it runs.
    Virtual,
    /// A method the project declared on a UI class: walked where the
    /// program has its body, a UI call where it has none.
    PresumedUi,
  };
  Kind K = Kind::Direct;
  Str Callee = NoStr; ///< function key
  Loc At;
  /// PresumedUi: the UI API it is, if no body is found. Virtual: the
  /// called method's name, for notes.
  Str Api = NoStr;
  Str Remedy = NoStr;
  /// Inside a try block of the caller: an exception from it is caught.
  bool InTry = false;
};

/// A call of a callable value (`cb(n)`, `(*fp)()`, `handlers[k]()`, or a
/// callable that a library function such as std::for_each calls in place).
struct ValueCall {
  std::vector<Value> Callees;
  Loc At;
  Str Text = NoStr; ///< how the callee is spelled, for notes: 'onProgress'
  /// A callable handed to the project's function `UnlessDefined`: called
  /// here only if the program has no body for it (then it is treated like
  /// a library function, which calls what it is given).
  Str UnlessDefined = NoStr;
};

/// One step of a macro expansion that a place comes from, for clang's
/// "expanded from macro" notes.
struct MacroStep {
  Loc At;           ///< in the macro's definition
  Str Name = NoStr; ///< the macro
};

/// A call that needs the UI thread.
struct UiCall {
  Str Api = NoStr;    ///< 'QLabel::setText', or the class for a constructor
  Str Remedy = NoStr; ///< the pack's remedy
  bool Constructor = false;
  Loc At;
  std::vector<MacroStep> Expansion; ///< innermost first; empty: no macro
};

/// A thread start: the callables it runs on the new thread.
struct Spawn {
  Str Spawner = NoStr; ///< 'std::thread::thread'
  Loc At;
  std::vector<Value> Callables;
  /// The slot of the variable that owns the thread (a context may be
  /// attached to it), or NoStr.
  Str Holder = NoStr;
  /// A library's own thread that runs a registered callback ('the
  /// streaming thread'), or NoStr for a thread the call starts.
  Str LibraryThread = NoStr;
};

/// A Qt connection of a signal to a slot or functor, or a call that runs a
/// callable in the thread of an object (`QMetaObject::invokeMethod(obj, f)`,
/// `QTimer::singleShot(ms, obj, f)`).
struct Connect {
  enum class Type : uint8_t { Auto, Direct, Queued };
  Str Api = NoStr;          ///< 'QObject::connect', 'QMetaObject::invokeMethod'
  Str Signal = NoStr;       ///< the signal's key; NoStr for a receiver call
  Str SignalName = NoStr;   ///< 'Loader::found'
  bool ThreadSignal = false; ///< emitted in a new thread (QThread::started)
  Str Receiver = NoStr;     ///< the receiver's (context's) class key
  Str ReceiverText = NoStr; ///< how it is written: 'loader_'
  Type T = Type::Auto;
  std::vector<Value> Targets;
  Loc At;
};

/// Where objects of a class live: `obj->moveToThread(t)` (to a worker the
/// program made, or `Back` to a thread that already exists, such as
/// `qApp->thread()`), or a construction (`Created`: in the thread that runs
/// the constructing function).
struct Move {
  enum class Kind : uint8_t { ToWorker, Back, Created };
  Kind K = Kind::ToWorker;
  Str Class = NoStr;
  Str ObjectText = NoStr; ///< 'loader'
  Str ThreadText = NoStr; ///< 'thread_'
  Loc At;
};

/// A signal emitted (called) by a function.
struct Emit {
  Str Signal = NoStr;
  Str Name = NoStr; ///< 'Loader::found'
  Loc At;
};

/// A call that needs an event loop in the calling thread (a timer start).
struct LoopCall {
  Str Api = NoStr;
  Loc At;
};

/// Callables stored into a slot: an assignment, an initialisation, an
/// insertion into a container, or an argument passed to a parameter.
struct Flow {
  Str Slot = NoStr; ///< the destination slot key
  std::vector<Value> Values;
  Loc At;
};

/// What a function does to an executor member (a thread, a pool), for the
/// member findings of uisan-executor-not-shutdown.
struct FieldEvent {
  enum class Kind : uint8_t {
    Stop,        ///< joins, shuts down, waits on it, or deletes a RAII one
    Own,         ///< stores one it made (new, a factory, a local it started)
    OwnByParent, ///< the same, made with a parent object that deletes it
    Start,       ///< starts it
    Delete,      ///< deletes it
  };
  Kind K = Kind::Stop;
  Str Field = NoStr; ///< the field's USR
  Loc At;
};

/// An executor handed on: a member or a parameter of the caller given to a
/// parameter (or as the object, `This`) of a project function, which may
/// stop it (`waitForThread(worker_)`, `scanner_->close()`).
struct HandOver {
  static constexpr uint32_t This = UINT32_MAX - 1;
  Str Callee = NoStr;
  uint32_t Param = 0;      ///< the callee's parameter, or This
  Str Field = NoStr;       ///< the caller's member handed over, or
  uint32_t FromParam = 0;  ///< the caller's parameter (or This) handed over
  Loc At;
};

/// One function body (or, for a global's initialiser, the initialiser).
struct Function {
  Str Key = NoStr;  ///< the function's USR (a lambda: its own key)
  Str Name = NoStr; ///< 'Loader::run', 'work'
  Loc At;           ///< the name of its definition
  bool Lambda = false;
  /// Not a function: the initialiser of a global, which starts threads and
  /// stores callables but is never called.
  bool Initializer = false;
  /// The pack method it overrides that runs on a worker ('QThread::run').
  Str WorkerBase = NoStr;
  /// The class of a method, for thread classes that get a context.
  Str Class = NoStr;

  std::vector<Call> Calls;
  std::vector<ValueCall> ValueCalls;
  std::vector<UiCall> UiCalls;
  std::vector<Spawn> Spawns;
  std::vector<Flow> Flows;

  /// A throw (or rethrow) that no try block of the function catches.
  bool Throws = false;
  /// Overrides a pack's teardown method, or is connected to a teardown
  /// signal: it runs at shutdown.
  bool Teardown = false;
  /// A destructor.
  bool Destructor = false;
  std::vector<FieldEvent> FieldEvents;
  std::vector<HandOver> HandOvers;
  /// Parameters (HandOver::This: the object itself) the function stops.
  std::vector<uint32_t> StopsParams;

  // Qt's thread affinity.
  std::vector<Connect> Connects;
  std::vector<Move> Moves;
  std::vector<Emit> Emits;
  std::vector<LoopCall> LoopCalls;
  /// Runs an event loop (QThread::exec): timers started before work.
  bool RunsEventLoop = false;
  /// Declared by a pack as run on a worker thread (worker_entries).
  Str WorkerEntry = NoStr;
};

/// A member of a project class that holds an executor.
struct ExecutorField {
  enum class Holder : uint8_t { Value, Pointer, Smart, Container };
  Str Field = NoStr;     ///< USR
  Str Name = NoStr;      ///< 'worker'
  Str Class = NoStr;     ///< the owning class's key
  Str ClassName = NoStr; ///< 'Loader'
  Loc At;
  Holder H = Holder::Value;
  Str Type = NoStr;     ///< the executor's type, 'std::thread'
  Str Shutdown = NoStr; ///< the remedy's call, 'join'
  Str OnDestroy = NoStr; ///< what destroying a running one does, or NoStr
  /// Runs only once started or assigned (a default-constructed std::thread,
  /// a QThread before start()): a member never started is idle.
  bool NeedsStart = false;
  /// Owned from its declaration: an in-class initialiser that makes one.
  bool OwnedHere = false;
  /// The class's destructor: its key, and whether the user declared one.
  Str Destructor = NoStr;
  bool UserDestructor = false;
  /// The element type's class (for one that stops itself when destroyed).
  Str ElementClass = NoStr;
  /// A smart pointer's deleter: the key of its call operator, or NoStr.
  Str Deleter = NoStr;
};

/// `Method` overrides `Base` (directly).
struct Override {
  Str Method = NoStr;
  Str Base = NoStr;
};

/// A finding that one TU decides alone (a local thread left unjoined), or a
/// compile diagnostic of the TU. Kept in the facts so that a run from the
/// cache reports exactly what a fresh run would.
struct Diagnostic {
  struct Note {
    Loc At;
    std::string Message;
    /// A way out of the scope that exists only if this function may throw
    /// (decided when the program is linked), or NoStr.
    Str IfThrows = NoStr;
    /// One of the ways out of the scope that the finding is about: a
    /// finding whose every such note is dropped is dropped.
    bool Exit = false;
  };
  /// A mechanical, safe edit that fixes the finding: replace Length bytes
  /// at At (its Offset) with Text.
  struct Fix {
    Loc At;
    uint32_t Length = 0;
    std::string Text;
  };
  Str Check = NoStr; ///< 'uisan-executor-not-shutdown', 'clang-diagnostic-error'
  bool Error = false;
  Loc At;
  std::string Message;
  std::vector<Note> Notes;
  std::vector<Fix> Fixes;
};

/// A file the TU read, with what identifies its contents.
struct Dependency {
  Str Path = NoStr;
  uint64_t Size = 0;
  int64_t MTime = 0; ///< seconds since the epoch
  std::array<uint8_t, 16> Hash{};
};

/// Everything extracted from one translation unit.
struct TranslationUnit {
  std::string MainFile;
  std::vector<std::string> Strings;
  std::vector<Function> Functions;
  std::vector<Slot> Slots;
  std::vector<Override> Overrides;
  /// Slots of thread variables, and classes (with their bases), that get a
  /// run's context: their threads may make UI calls.
  std::vector<Str> ContextHolders;
  std::vector<Str> ContextClasses;
  /// Callables connected to a teardown signal (aboutToQuit): they run at
  /// shutdown.
  std::vector<Value> TeardownCallables;
  std::vector<Diagnostic> Diagnostics;
  std::vector<ExecutorField> ExecutorFields;
  std::vector<Dependency> Dependencies;

  /// The index of `S` in the string table, adding it when new.
  Str intern(llvm::StringRef S);
  llvm::StringRef str(Str S) const {
    return S == NoStr ? llvm::StringRef() : llvm::StringRef(Strings[S]);
  }

private:
  llvm::StringMap<Str> Index;
};

/// The binary form: a header with FormatVersion, then the string table and
/// the facts, integers as LEB128. Deterministic: the same facts give the
/// same bytes.
std::string serialize(const TranslationUnit &TU);

/// Reads the binary form; `Name` is used in errors ("corrupt facts file").
llvm::Expected<TranslationUnit> deserialize(llvm::StringRef Bytes,
                                            llvm::StringRef Name);

/// The facts as a JSON document, with strings resolved (tests assert on
/// it; `uisan-tidy --dump-facts` prints it).
llvm::json::Value toJson(const TranslationUnit &TU);

} // namespace uisan::facts

#endif
