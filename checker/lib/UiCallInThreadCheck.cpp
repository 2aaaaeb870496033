//===- UiCallInThreadCheck.cpp - uisan-ui-call-in-thread ------------------===//

#include "UiCallInThreadCheck.h"
#include "ProgramModel.h"

#include <deque>
#include <optional>
#include <map>
#include <set>

namespace uisan::tidy {

namespace {

constexpr uint32_t None = ProgramModel::None;
using Id = ProgramModel::Id;

/// Where objects of a class were moved to a worker thread, or created in
/// a thread entry's own body.
struct Moved {
  const facts::Move *Move = nullptr;
  uint32_t Tu = 0;
  uint32_t Creator = UINT32_MAX; ///< Created: the entry function
};

/// A function body a thread runs first.
struct Entry {
  enum class Kind {
    Override,   ///< overrides a worker method (QThread::run)
    Spawn,      ///< a spawner's callable (or a library thread's callback)
    Declared,   ///< a pack's worker_entries
    Connection, ///< a slot or callable run in a worker's thread (Qt)
    DirectEmit, ///< a slot a direct connection runs where a worker emits
  } K = Kind::Spawn;
  uint32_t Function = None;
  const facts::Spawn *Spawn = nullptr;
  uint32_t SpawnTu = 0;
  uint32_t SpawnOwner = None; ///< the function containing the spawn/connect
  uint32_t ViaSlot = None;    ///< the slot the callable came through
  const facts::Connect *Connect = nullptr;
  const Moved *Receiver = nullptr; ///< the receiver's move (Connection)
  uint32_t Emitter = None;         ///< DirectEmit: the emitting function
  const facts::Emit *Emit = nullptr;
  SourceLocationInfo At;
};

/// How the walk first reached a function.
struct Reached {
  uint32_t Parent = None; ///< None: an entry
  uint32_t Entry = None;
  unsigned Depth = 0;
  enum class Kind { Call, Virtual, Value } K = Kind::Call;
  const facts::Call *Call = nullptr;
  const facts::ValueCall *ValueCall = nullptr;
  uint32_t ViaSlot = None;
};

/// A UI call the walk found.
struct Site {
  uint32_t Function;
  SourceLocationInfo At;
  std::string Api;
  std::string Remedy;
  bool Constructor;
  std::vector<FindingNote> Expansion;
};

bool before(const SourceLocationInfo &A, const SourceLocationInfo &B) {
  return std::tie(A.File, A.Line, A.Column) < std::tie(B.File, B.Line, B.Column);
}

/// What the walk looks for: UI calls, or calls that need an event loop
/// (on the threads that run none).
enum class Mode { UiCalls, LoopCalls };

class Query {
public:
  Query(const ProgramModel &P, const UiCallOptions &O, SuppressedFn Suppressed,
        Mode M = Mode::UiCalls)
      : P(P), O(O), Suppressed(Suppressed), M(M) {}

  void run(std::vector<Finding> &Out) {
    Reach.assign(P.functions().size(), Reached());
    IsReached.assign(P.functions().size(), false);
    collectEntries();
    // A direct connection runs its slot where the signal is emitted: each
    // round's emits in worker code start the next round's entries.
    for (size_t Walked = 0; Walked < Entries.size();) {
      size_t From = Walked;
      Walked = Entries.size();
      walk(From);
      if (M == Mode::UiCalls) {
        addWorkerCreations();
        addDirectEmits();
      }
    }
    report(Out);
  }

private:
  const ProgramModel &P;
  const UiCallOptions &O;
  SuppressedFn Suppressed;
  const Mode M;
  std::vector<Entry> Entries;
  std::vector<Reached> Reach;
  /// Classes whose objects the program moves to a worker thread.
  llvm::DenseMap<Id, Moved> MovedClasses;
  /// A connection or receiver call, with its TU and the function making it.
  struct ConnectRef {
    const facts::Connect *C;
    uint32_t Tu;
    uint32_t Owner;
  };
  /// Direct connections by signal.
  llvm::DenseMap<Id, std::vector<ConnectRef>> DirectBySignal;
  /// (connection, slot) pairs already entries.
  std::set<std::pair<const facts::Connect *, uint32_t>> Connected;
  /// Every connection and receiver call.
  std::vector<ConnectRef> AllConnects;
  /// Classes moved back to an existing thread somewhere (`qApp->thread()`):
  /// where their objects live is not decided by class.
  llvm::DenseSet<Id> MovedBack;

  /// No Qt event loop runs in the thread of an entry of this kind.
  bool withoutEventLoop(const Entry &E) const {
    if (E.K == Entry::Kind::Connection || E.K == Entry::Kind::DirectEmit)
      return false;
    return !P.functions()[E.Function].Facts->RunsEventLoop;
  }

  void collectEntries() {
    for (uint32_t I = 0; I < P.functions().size(); ++I) {
      const ProgramModel::Function &F = P.functions()[I];
      for (const facts::Move &Mv : F.Facts->Moves)
        if (Mv.K == facts::Move::Kind::Back)
          MovedBack.insert(P.id(F.Tu, Mv.Class));
    }
    for (uint32_t I = 0; I < P.functions().size(); ++I) {
      const ProgramModel::Function &F = P.functions()[I];
      for (const facts::Move &Mv : F.Facts->Moves)
        if (Mv.K == facts::Move::Kind::ToWorker &&
            !MovedBack.count(P.id(F.Tu, Mv.Class)))
          MovedClasses.try_emplace(P.id(F.Tu, Mv.Class), Moved{&Mv, F.Tu});
    }
    // (spawn, function) -> entry: a function reached both as itself and
    // through a slot keeps the slot's way, which explains more.
    std::map<std::pair<const facts::Spawn *, uint32_t>, size_t> BySpawn;
    for (uint32_t I = 0; I < P.functions().size(); ++I) {
      const ProgramModel::Function &F = P.functions()[I];
      const facts::Function &Facts = *F.Facts;
      if (Facts.WorkerBase != facts::NoStr &&
          !(Facts.Class != facts::NoStr &&
            P.isContextClass(P.id(F.Tu, Facts.Class)))) {
        Entry E;
        E.K = Entry::Kind::Override;
        E.Function = I;
        E.At = P.where(F.Tu, Facts.At);
        Entries.push_back(E);
      }
      if (Facts.WorkerEntry != facts::NoStr) {
        Entry E;
        E.K = Entry::Kind::Declared;
        E.Function = I;
        E.At = P.where(F.Tu, Facts.At);
        Entries.push_back(E);
      }
      for (const facts::Connect &C : Facts.Connects) {
        AllConnects.push_back({&C, F.Tu, I});
        connection(C, F.Tu, I);
      }
      for (const facts::Spawn &S : Facts.Spawns) {
        // A thread that gets the run's context may call the UI; whether the
        // context escapes is uisan-context-escape's concern.
        if (S.Holder != facts::NoStr && P.isContextHolder(P.id(F.Tu, S.Holder)))
          continue;
        P.forEachFunction(F.Tu, S.Callables, [&](Id Key, uint32_t Via) {
          for (uint32_t G : P.definitions(Key, F.Tu))
            addSpawn(BySpawn, S, F.Tu, I, G, Via);
        });
      }
    }
    // Source order makes the choice of path for a call shared by several
    // threads stable.
    std::stable_sort(Entries.begin(), Entries.end(),
                     [](const Entry &A, const Entry &B) { return before(A.At, B.At); });
    if (M == Mode::LoopCalls)
      llvm::erase_if(Entries, [&](const Entry &E) { return !withoutEventLoop(E); });
  }

  /// A connection or receiver call: an entry when its slot runs in a
  /// worker's thread; a direct connection waits for a worker's emit.
  void connection(const facts::Connect &C, uint32_t Tu, uint32_t Owner) {
    if (C.T == facts::Connect::Type::Direct && !C.ThreadSignal) {
      if (C.Signal != facts::NoStr)
        DirectBySignal[P.id(Tu, C.Signal)].push_back({&C, Tu, Owner});
      return;
    }
    const Moved *Receiver = nullptr;
    if (C.T != facts::Connect::Type::Direct) {
      auto It = MovedClasses.find(P.id(Tu, C.Receiver));
      if (It == MovedClasses.end())
        return;
      Receiver = &It->second;
    }
    Entry E;
    E.K = Entry::Kind::Connection;
    E.Receiver = Receiver;
    addConnectionEntries({&C, Tu, Owner}, E);
  }

  /// An entry like `Proto` for each function connection `D` runs that no
  /// thread reaches yet and that is not its entry already.
  void addConnectionEntries(const ConnectRef &D, Entry Proto) {
    P.forEachFunction(D.Tu, D.C->Targets, [&](Id Key, uint32_t Via) {
      for (uint32_t G : P.definitions(Key, D.Tu)) {
        if (IsReached[G] || !Connected.insert({D.C, G}).second)
          continue;
        Entry E = Proto;
        E.Function = G;
        E.SpawnTu = D.Tu;
        E.SpawnOwner = D.Owner;
        E.ViaSlot = visibleSlot(Via, P.functions()[G].Key, D.Owner);
        E.Connect = D.C;
        E.At = P.where(D.Tu, D.C->At);
        Entries.push_back(E);
      }
    });
  }

  /// Classes whose objects a thread entry constructs in its own body (a
  /// `run()` override, a spawned lambda): they live in that worker, unless
  /// the program also constructs them outside worker code or moves them
  /// back. Their connections are entries from now on.
  void addWorkerCreations() {
    llvm::DenseSet<Id> Elsewhere;
    for (uint32_t Fn = 0; Fn < P.functions().size(); ++Fn) {
      const ProgramModel::Function &F = P.functions()[Fn];
      for (const facts::Move &Mv : F.Facts->Moves)
        if (Mv.K == facts::Move::Kind::Created && !IsReached[Fn])
          Elsewhere.insert(P.id(F.Tu, Mv.Class));
    }
    llvm::DenseSet<Id> Added;
    for (uint32_t Fn = 0; Fn < P.functions().size(); ++Fn) {
      if (!IsReached[Fn] || Reach[Fn].Parent != None)
        continue;
      const ProgramModel::Function &F = P.functions()[Fn];
      for (const facts::Move &Mv : F.Facts->Moves) {
        Id Class = P.id(F.Tu, Mv.Class);
        if (Mv.K != facts::Move::Kind::Created || Elsewhere.count(Class) ||
            MovedBack.count(Class))
          continue;
        if (MovedClasses.try_emplace(Class, Moved{&Mv, F.Tu, Fn}).second)
          Added.insert(Class);
      }
    }
    if (Added.empty())
      return;
    for (const ConnectRef &D : AllConnects)
      if (Added.count(P.id(D.Tu, D.C->Receiver)))
        connection(*D.C, D.Tu, D.Owner);
  }

  /// Entries for the slots of direct connections whose signal a reached
  /// function emits.
  void addDirectEmits() {
    if (DirectBySignal.empty())
      return;
    for (uint32_t Fn = 0; Fn < P.functions().size(); ++Fn) {
      if (!IsReached[Fn])
        continue;
      const ProgramModel::Function &F = P.functions()[Fn];
      for (const facts::Emit &Em : F.Facts->Emits) {
        auto It = DirectBySignal.find(P.id(F.Tu, Em.Signal));
        if (It == DirectBySignal.end())
          continue;
        Entry E;
        E.K = Entry::Kind::DirectEmit;
        E.Emitter = Fn;
        E.Emit = &Em;
        for (const ConnectRef &D : It->second)
          addConnectionEntries(D, E);
      }
    }
  }

  void addSpawn(std::map<std::pair<const facts::Spawn *, uint32_t>, size_t> &BySpawn,
                const facts::Spawn &S, uint32_t Tu, uint32_t I, uint32_t G,
                uint32_t Via) {
    auto [It, New] = BySpawn.try_emplace({&S, G}, Entries.size());
    if (!New) {
      if (Entries[It->second].ViaSlot == None)
        Entries[It->second].ViaSlot = visibleSlot(Via, P.functions()[G].Key, I);
      return;
    }
    Entry E;
    E.K = Entry::Kind::Spawn;
    E.Function = G;
    E.Spawn = &S;
    E.SpawnTu = Tu;
    E.SpawnOwner = I;
    E.ViaSlot = visibleSlot(Via, P.functions()[G].Key, I);
    E.At = P.where(Tu, S.At);
    Entries.push_back(E);
  }

  /// Calls `Each(target, kind, call, value call, slot)` for every function
  /// `Fn` can call.
  template <typename F> void forEachCallee(uint32_t Fn, F Each) const {
    const ProgramModel::Function &Func = P.functions()[Fn];
    for (const facts::Call &C : Func.Facts->Calls) {
      Id Callee = P.id(Func.Tu, C.Callee);
      for (uint32_t G : P.definitions(Callee, Func.Tu))
        Each(G, Reached::Kind::Call, &C, nullptr, None);
      if (C.K == facts::Call::Kind::Virtual)
        for (Id O : P.overriders(Callee))
          for (uint32_t G : P.definitions(O, Func.Tu))
            Each(G, Reached::Kind::Virtual, &C, nullptr, None);
    }
    for (const facts::ValueCall &VC : Func.Facts->ValueCalls) {
      if (VC.UnlessDefined != facts::NoStr &&
          P.function(P.id(Func.Tu, VC.UnlessDefined)) != None)
        continue;
      P.forEachFunction(Func.Tu, VC.Callees, [&](Id Key, uint32_t Via) {
        for (uint32_t G : P.definitions(Key, Func.Tu))
          Each(G, Reached::Kind::Value, nullptr, &VC, Via);
      });
    }
  }

  /// Breadth first from all entries at once: each function is reached
  /// from its nearest entry (the first in source order on a tie), so the
  /// whole program is walked once, whatever the number of threads.
  void walk(size_t FirstEntry) {
    std::vector<bool> &Seen = IsReached;
    std::deque<uint32_t> Queue;
    for (uint32_t E = FirstEntry; E < Entries.size(); ++E) {
      uint32_t Fn = Entries[E].Function;
      if (Seen[Fn])
        continue;
      Seen[Fn] = true;
      Reach[Fn].Entry = E;
      Queue.push_back(Fn);
    }
    while (!Queue.empty()) {
      uint32_t Fn = Queue.front();
      Queue.pop_front();
      const Reached &R = Reach[Fn];
      if (R.Depth >= O.MaxDepth)
        continue;
      Reached Next;
      Next.Parent = Fn;
      Next.Entry = R.Entry;
      Next.Depth = R.Depth + 1;
      forEachCallee(Fn, [&](uint32_t G, Reached::Kind K, const facts::Call *C,
                            const facts::ValueCall *VC, uint32_t Via) {
        if (Seen[G])
          return;
        Seen[G] = true;
        Next.K = K;
        Next.Call = C;
        Next.ValueCall = VC;
        Next.ViaSlot = visibleSlot(Via, P.functions()[G].Key, Fn);
        Reach[G] = Next;
        Queue.push_back(G);
      });
    }
  }
  std::vector<bool> IsReached;

  /// The UI calls `Fn` makes itself, in source order.
  std::vector<Site> sites(uint32_t Fn) const {
    const ProgramModel::Function &F = P.functions()[Fn];
    std::vector<Site> Out;
    if (M == Mode::LoopCalls) {
      // `QEventLoop loop; QTimer::singleShot(ms, &loop, ...); loop.exec();`
      // runs the loop the timer needs.
      if (!F.Facts->RunsEventLoop)
        for (const facts::LoopCall &L : F.Facts->LoopCalls)
          Out.push_back({Fn, P.where(F.Tu, L.At), P.str(P.id(F.Tu, L.Api)).str(),
                         "", false, {}});
      return Out;
    }
    for (const facts::UiCall &U : F.Facts->UiCalls) {
      Out.push_back({Fn, P.where(F.Tu, U.At), P.str(P.id(F.Tu, U.Api)).str(),
                     P.str(P.id(F.Tu, U.Remedy)).str(), U.Constructor, {}});
      for (const facts::MacroStep &M : U.Expansion)
        Out.back().Expansion.push_back(
            {P.where(F.Tu, M.At),
             "expanded from macro '" + P.str(P.id(F.Tu, M.Name)).str() + "'"});
    }
    // A method of the project's UI class whose body the program lacks.
    for (const facts::Call &C : F.Facts->Calls)
      if (C.K == facts::Call::Kind::PresumedUi &&
          P.function(P.id(F.Tu, C.Callee)) == None)
        Out.push_back({Fn, P.where(F.Tu, C.At), P.str(P.id(F.Tu, C.Api)).str(),
                       P.str(P.id(F.Tu, C.Remedy)).str(), false, {}});
    std::stable_sort(Out.begin(), Out.end(),
                     [](const Site &A, const Site &B) { return before(A.At, B.At); });
    return Out;
  }

  /// The slot a note names for a callable that `Fn` got through `Via`: a
  /// local of `Fn` itself explains nothing (`auto f = [..]; f();` reads as
  /// calling the lambda), so the chain is followed past `Fn`'s locals.
  uint32_t visibleSlot(uint32_t Via, Id Key, uint32_t Fn) const {
    for (unsigned Guard = 0; Via != None && Guard < 64; ++Guard) {
      const ProgramModel::Slot &S = P.slots()[Via];
      if (S.K != facts::Slot::Kind::Local || S.Function != P.functions()[Fn].Key)
        return Via;
      auto It = P.holds(Via).find(Key);
      if (It == P.holds(Via).end())
        return None;
      Via = It->second.From;
    }
    return Via;
  }

  std::string caller(uint32_t Fn) const {
    return P.functions()[Fn].Facts->Lambda ? "the lambda" : P.describe(Fn);
  }

  /// Notes from `Fn` back to the start of its thread.
  void pathNotes(uint32_t Fn, std::vector<FindingNote> &Notes) const {
    for (uint32_t At = Fn; Reach[At].Parent != None; At = Reach[At].Parent) {
      const Reached &R = Reach[At];
      const ProgramModel::Function &Parent = P.functions()[R.Parent];
      std::string From = "called from " + caller(R.Parent);
      switch (R.K) {
      case Reached::Kind::Call:
        Notes.push_back({P.where(Parent.Tu, R.Call->At), From});
        break;
      case Reached::Kind::Virtual:
        Notes.push_back(
            {P.where(Parent.Tu, R.Call->At),
             From + " through a virtual call of '" +
                 P.str(P.id(Parent.Tu, R.Call->Api)).str() + "', which " +
                 P.describe(At) + " overrides"});
        break;
      case Reached::Kind::Value: {
        SourceLocationInfo Where = P.where(Parent.Tu, R.ValueCall->At);
        if (R.ViaSlot == None) {
          Notes.push_back({Where, From});
          break;
        }
        Notes.push_back({Where, From + " through " + P.describeSlot(R.ViaSlot)});
        P.provenanceNotes(R.ViaSlot, P.functions()[At].Key, Notes);
        break;
      }
      }
    }
  }

  void entryNotes(uint32_t Fn, std::vector<FindingNote> &Notes) const {
    const Entry &E = Entries[Reach[Fn].Entry];
    const ProgramModel::Function &F = P.functions()[E.Function];
    switch (E.K) {
    case Entry::Kind::Override:
      Notes.push_back({E.At, P.describe(E.Function) +
                                 " runs on a worker thread: it overrides '" +
                                 P.str(P.id(F.Tu, F.Facts->WorkerBase)).str() +
                                 "'"});
      return;
    case Entry::Kind::Declared:
      Notes.push_back({E.At, P.describe(E.Function) +
                                 " runs on a worker thread: the '" +
                                 P.str(P.id(F.Tu, F.Facts->WorkerEntry)).str() +
                                 "' rule pack declares it (worker_entries)"});
      return;
    case Entry::Kind::Connection:
    case Entry::Kind::DirectEmit:
      connectionNotes(E, Notes);
      return;
    case Entry::Kind::Spawn:
      break;
    }
    if (E.Spawn->LibraryThread != facts::NoStr) {
      Notes.push_back({E.At, P.describe(E.Function) +
                                 " is called on a library thread: '" +
                                 P.str(P.id(E.SpawnTu, E.Spawn->Spawner)).str() +
                                 "' registers it here, to run on " +
                                 P.str(P.id(E.SpawnTu, E.Spawn->LibraryThread)).str()});
      if (E.ViaSlot != None)
        P.provenanceNotes(E.ViaSlot, F.Key, Notes);
      return;
    }
    if (E.ViaSlot == None) {
      Notes.push_back({E.At, P.describe(E.Function) +
                                 " runs on the thread started here"});
      return;
    }
    const ProgramModel::Slot &S = P.slots()[E.ViaSlot];
    const ProgramModel::Function &Owner = P.functions()[E.SpawnOwner];
    if (S.K == facts::Slot::Kind::Param && S.Function == Owner.Key)
      // A function of the project that starts threads for its callers.
      Notes.push_back({E.At, P.describe(E.SpawnOwner) +
                                 " starts a thread running its parameter " +
                                 P.describeSlot(E.ViaSlot) + " here"});
    else
      Notes.push_back({E.At, P.describe(E.Function) + ", held by " +
                                 P.describeSlot(E.ViaSlot) +
                                 ", runs on the thread started here"});
    P.provenanceNotes(E.ViaSlot, F.Key, Notes);
  }

  /// Why a slot or callable runs in a worker's thread (Qt's affinity).
  void connectionNotes(const Entry &E, std::vector<FindingNote> &Notes) const {
    const facts::Connect &C = *E.Connect;
    uint32_t Tu = E.SpawnTu;
    std::string What = P.describe(E.Function);
    std::string Receiver = P.str(P.id(Tu, C.ReceiverText)).str();
    std::string Api = P.str(P.id(Tu, C.Api)).str();
    if (E.K == Entry::Kind::DirectEmit ||
        (C.ThreadSignal && C.T == facts::Connect::Type::Direct)) {
      std::string Signal = P.str(P.id(Tu, C.SignalName)).str();
      Notes.push_back({E.At, "connected here with 'Qt::DirectConnection': " +
                                 What + " runs in the thread that emits '" +
                                 Signal + "'" +
                                 (E.K == Entry::Kind::DirectEmit ? "" : ", the new thread")});
      if (E.ViaSlot != None)
        P.provenanceNotes(E.ViaSlot, P.functions()[E.Function].Key, Notes);
      if (E.K == Entry::Kind::DirectEmit) {
        const ProgramModel::Function &Em = P.functions()[E.Emitter];
        Notes.push_back({P.where(Em.Tu, E.Emit->At),
                         "'" + P.str(P.id(Em.Tu, E.Emit->Name)).str() +
                             "' is emitted here, on a worker thread"});
        pathNotes(E.Emitter, Notes);
        entryNotes(E.Emitter, Notes);
      }
      return;
    }
    bool Functor = P.functions()[E.Function].Facts->Lambda;
    std::string Of = Receiver.empty() ? std::string("its ") +
                                            (Functor ? "context" : "receiver")
                                      : std::string("its ") +
                                            (Functor ? "context" : "receiver") +
                                            " '" + Receiver + "'";
    if (C.Signal == facts::NoStr)
      Notes.push_back({E.At, "'" + Api + "' here runs " + What +
                                 " in the thread of " +
                                 (Receiver.empty() ? "its receiver"
                                                   : "'" + Receiver + "'") +
                                 ", which lives in a worker"});
    else
      Notes.push_back({E.At, "connected here; " + What +
                                 " runs in the thread of " + Of +
                                 ", which lives in a worker"});
    if (E.ViaSlot != None)
      P.provenanceNotes(E.ViaSlot, P.functions()[E.Function].Key, Notes);
    const facts::Move &Mv = *E.Receiver->Move;
    std::string Object = P.str(P.id(E.Receiver->Tu, Mv.ObjectText)).str();
    if (Mv.K == facts::Move::Kind::Created) {
      Notes.push_back({P.where(E.Receiver->Tu, Mv.At),
                       "a '" + Object + "' is created here, in " +
                           P.describe(E.Receiver->Creator) +
                           ", and lives in its thread"});
      entryNotes(E.Receiver->Creator, Notes);
      return;
    }
    std::string Thread = P.str(P.id(E.Receiver->Tu, Mv.ThreadText)).str();
    Notes.push_back(
        {P.where(E.Receiver->Tu, Mv.At),
         (Object.empty()    ? std::string("an object of its class")
          : Object == "this" ? std::string("the object")
                             : "'" + Object + "'") +
             " was moved to " +
             (Thread.empty() ? std::string("a worker thread")
                             : Thread == "this" ? std::string("its own thread")
                                                : "the thread of '" + Thread + "'") +
             " here"});
  }

  void report(std::vector<Finding> &Out) {
    // Functions in the order their threads start, then by distance.
    std::vector<uint32_t> Order;
    for (uint32_t Fn = 0; Fn < P.functions().size(); ++Fn)
      if (IsReached[Fn])
        Order.push_back(Fn);
    std::stable_sort(Order.begin(), Order.end(), [&](uint32_t A, uint32_t B) {
      return std::tie(Reach[A].Entry, Reach[A].Depth) <
             std::tie(Reach[B].Entry, Reach[B].Depth);
    });
    std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Done;
    const char *Check = M == Mode::UiCalls ? "uisan-ui-call-in-thread"
                                           : "uisan-timer-without-event-loop";
    // The functions with UI calls, grouped by the thread entry they are
    // nearest to, nearest first.
    std::vector<std::pair<uint32_t, std::vector<Site>>> Groups;
    for (uint32_t Fn : Order) {
      std::vector<Site> Group;
      for (Site &S : sites(Fn)) {
        if (!Done.insert({S.At.File, S.At.Line, S.At.Column, S.Api}).second)
          continue;
        if (Suppressed(S.At, Check))
          continue;
        Group.push_back(std::move(S));
      }
      if (!Group.empty())
        Groups.push_back({Fn, std::move(Group)});
    }
    for (size_t G = 0; G < Groups.size();) {
      uint32_t Entry = Reach[Groups[G].first].Entry;
      size_t End = G;
      while (End < Groups.size() && Reach[Groups[End].first].Entry == Entry)
        ++End;
      size_t Shown = O.MaxFunctionsPerEntry
                         ? std::min<size_t>(O.MaxFunctionsPerEntry, End - G)
                         : End - G;
      size_t HiddenCalls = 0;
      for (size_t I = G + Shown; I < End; ++I)
        HiddenCalls += Groups[I].second.size();
      for (size_t I = G; I < G + Shown; ++I)
        reportFunction(Groups[I].first, Groups[I].second, Out,
                       I + 1 == G + Shown && Shown < End - G
                           ? std::optional<std::pair<size_t, size_t>>(
                                 {HiddenCalls, End - G - Shown})
                           : std::nullopt);
      G = End;
    }
  }

  /// The warnings for one function's UI calls; `Hidden`: (calls,
  /// functions) of the same entry not shown, counted on the last warning.
  void reportFunction(uint32_t Fn, const std::vector<Site> &Group,
                      std::vector<Finding> &Out,
                      std::optional<std::pair<size_t, size_t>> Hidden) {
    size_t Warned = O.MaxCallsPerFunction
                        ? std::min<size_t>(O.MaxCallsPerFunction, Group.size())
                        : Group.size();
    for (size_t I = 0; I < Warned; ++I) {
      const Site &S = Group[I];
      Finding F;
      F.Loc = S.At;
      if (M == Mode::UiCalls) {
        F.Check = "uisan-ui-call-in-thread";
        F.Message = (S.Constructor ? "constructing '" + S.Api + "'"
                                   : "'" + S.Api + "'") +
                    " is a UI call made on a worker thread; " + S.Remedy;
      } else {
        F.Check = "uisan-timer-without-event-loop";
        F.Message = "'" + S.Api +
                    "' needs an event loop in its thread, but it runs on a "
                    "thread that runs none, so the timer never fires; start "
                    "it in a QThread that runs exec(), in an object moved to "
                    "one, or on the GUI thread";
      }
      F.Notes = S.Expansion;
      if (I + 1 == Warned && Warned < Group.size()) {
        size_t More = Group.size() - Warned;
        F.Notes.push_back({Group[Warned].At,
                           "and " + std::to_string(More) + " more UI call" +
                               (More > 1 ? "s" : "") + " in " + caller(Fn) +
                               ", the next here"});
      }
      pathNotes(Fn, F.Notes);
      entryNotes(Fn, F.Notes);
      if (Hidden && I + 1 == Warned) {
        const Entry &E = Entries[Reach[Fn].Entry];
        F.Notes.push_back(
            {E.At, P.describe(E.Function) + " reaches " +
                       std::to_string(Hidden->first) + " more UI call" +
                       (Hidden->first > 1 ? "s" : "") + " in " +
                       std::to_string(Hidden->second) + " more function" +
                       (Hidden->second > 1 ? "s" : "") +
                       ", not reported: the nearest " +
                       std::to_string(O.MaxFunctionsPerEntry) +
                       " are (option MaxFunctionsPerEntry)"});
      }
      Out.push_back(std::move(F));
    }
  }
};

} // namespace

void findUiCallsInThreads(const ProgramModel &Program, const UiCallOptions &O,
                          SuppressedFn Suppressed, std::vector<Finding> &Out) {
  Query(Program, O, Suppressed).run(Out);
}

void findTimersWithoutEventLoop(const ProgramModel &Program,
                                const UiCallOptions &O, SuppressedFn Suppressed,
                                std::vector<Finding> &Out) {
  Query(Program, O, Suppressed, Mode::LoopCalls).run(Out);
}

ThreadWalkCheck::ThreadWalkCheck(llvm::StringRef Name,
                                 clang::tidy::ClangTidyContext *Context,
                                 QueryFn Run)
    : UisanCheck(Name, Context),
      Walk{Options.get("MaxDepth", 256U),
               Options.get("MaxCallsPerFunction", 3U),
               Options.get("MaxFunctionsPerEntry", 3U)},
      Run(Run) {}

void ThreadWalkCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeCommonOptions(Opts);
  Options.store(Opts, "MaxDepth", Walk.MaxDepth);
  Options.store(Opts, "MaxCallsPerFunction", Walk.MaxCallsPerFunction);
  Options.store(Opts, "MaxFunctionsPerEntry", Walk.MaxFunctionsPerEntry);
}

void ThreadWalkCheck::findings(const ProgramModel &Program,
                               SuppressedFn Suppressed,
                               std::vector<Finding> &Out) const {
  Run(Program, Walk, Suppressed, Out);
}

} // namespace uisan::tidy

