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

/// A function body a thread runs first.
struct Entry {
  uint32_t Function = None;
  const facts::Spawn *Spawn = nullptr; ///< null for an override
  uint32_t SpawnTu = 0;
  uint32_t SpawnOwner = None; ///< the function containing the spawn
  uint32_t ViaSlot = None;    ///< the slot the callable came through
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

class Query {
public:
  Query(const ProgramModel &P, const UiCallOptions &O, SuppressedFn Suppressed)
      : P(P), O(O), Suppressed(Suppressed) {}

  void run(std::vector<Finding> &Out) {
    collectEntries();
    walk();
    report(Out);
  }

private:
  const ProgramModel &P;
  const UiCallOptions &O;
  SuppressedFn Suppressed;
  std::vector<Entry> Entries;
  std::vector<Reached> Reach;

  void collectEntries() {
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
        E.Function = I;
        E.At = P.where(F.Tu, Facts.At);
        Entries.push_back(E);
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
  }

  void addSpawn(std::map<std::pair<const facts::Spawn *, uint32_t>, size_t> &BySpawn,
                const facts::Spawn &S, uint32_t Tu, uint32_t I, uint32_t G,
                uint32_t Via) {
          auto [It, New] = BySpawn.try_emplace({&S, G}, Entries.size());
          if (!New) {
            if (Entries[It->second].ViaSlot == None)
              Entries[It->second].ViaSlot =
                  visibleSlot(Via, P.functions()[G].Key, I);
            return;
          }
          Entry E;
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
  void walk() {
    Reach.assign(P.functions().size(), Reached());
    std::vector<bool> Seen(P.functions().size(), false);
    std::deque<uint32_t> Queue;
    for (uint32_t E = 0; E < Entries.size(); ++E) {
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
    IsReached.swap(Seen);
  }
  std::vector<bool> IsReached;

  /// The UI calls `Fn` makes itself, in source order.
  std::vector<Site> sites(uint32_t Fn) const {
    const ProgramModel::Function &F = P.functions()[Fn];
    std::vector<Site> Out;
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
    uint32_t Root = Fn;
    while (Reach[Root].Parent != None)
      Root = Reach[Root].Parent;
    const Entry &E = Entries[Reach[Root].Entry];
    const ProgramModel::Function &F = P.functions()[E.Function];
    if (!E.Spawn) {
      Notes.push_back({E.At, P.describe(E.Function) +
                                 " runs on a worker thread: it overrides '" +
                                 P.str(P.id(F.Tu, F.Facts->WorkerBase)).str() +
                                 "'"});
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
    const char *Check = "uisan-ui-call-in-thread";
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
      F.Check = "uisan-ui-call-in-thread";
      F.Loc = S.At;
      F.Message = (S.Constructor ? "constructing '" + S.Api + "'"
                                 : "'" + S.Api + "'") +
                  " is a UI call made on a worker thread; " + S.Remedy;
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
        uint32_t Root = Fn;
        while (Reach[Root].Parent != None)
          Root = Reach[Root].Parent;
        const Entry &E = Entries[Reach[Root].Entry];
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

UiCallInThreadCheck::UiCallInThreadCheck(llvm::StringRef Name,
                                         clang::tidy::ClangTidyContext *Context)
    : UisanCheck(Name, Context),
      Query{Options.get("MaxDepth", 256U),
            Options.get("MaxCallsPerFunction", 3U),
            Options.get("MaxFunctionsPerEntry", 3U)} {}

void UiCallInThreadCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeCommonOptions(Opts);
  Options.store(Opts, "MaxDepth", Query.MaxDepth);
  Options.store(Opts, "MaxCallsPerFunction", Query.MaxCallsPerFunction);
  Options.store(Opts, "MaxFunctionsPerEntry", Query.MaxFunctionsPerEntry);
}

void UiCallInThreadCheck::findings(const ProgramModel &Program,
                                   SuppressedFn Suppressed,
                                   std::vector<Finding> &Out) const {
  findUiCallsInThreads(Program, Query, Suppressed, Out);
}

} // namespace uisan::tidy
