//===- ProgramModel.cpp - the facts of every TU linked into one program ---===//

#include "ProgramModel.h"

#include <deque>

namespace uisan::tidy {

ProgramModel::Id ProgramModel::intern(llvm::StringRef S) {
  auto [It, New] = StringIds.try_emplace(S, static_cast<Id>(Strings.size()));
  if (New)
    Strings.push_back(It->getKey());
  return It->second;
}

ProgramModel::Id ProgramModel::lookup(llvm::StringRef S) const {
  auto It = StringIds.find(S);
  return It == StringIds.end() ? NoId : It->second;
}

ProgramModel::ProgramModel(std::vector<facts::TranslationUnit> Units)
    : TUs(std::move(Units)) {
  Remap.resize(TUs.size());
  for (uint32_t T = 0; T < TUs.size(); ++T) {
    Remap[T].reserve(TUs[T].Strings.size());
    for (const std::string &S : TUs[T].Strings)
      Remap[T].push_back(intern(S));
  }
  linkFunctions();
  linkSlots();
  solveFlows();
}

void ProgramModel::linkFunctions() {
  for (uint32_t T = 0; T < TUs.size(); ++T) {
    const facts::TranslationUnit &TU = TUs[T];
    for (const facts::Function &F : TU.Functions) {
      Id Key = id(T, F.Key);
      // A header's inline function or a template instance is the same code
      // in every TU that has it (the same key at the same place): kept
      // once. The same key elsewhere is another program's function.
      auto &Defs = FunctionByKey[Key];
      Id File = id(T, F.At.File);
      bool Same = llvm::any_of(Defs, [&](uint32_t D) {
        const Function &Other = Functions[D];
        return Other.Facts->At.Offset == F.At.Offset &&
               id(Other.Tu, Other.Facts->At.File) == File;
      });
      if (!Same) {
        Defs.push_back(Functions.size());
        Functions.push_back({&F, T, Key});
      }
    }
    for (const facts::Override &O : TU.Overrides) {
      auto &List = DirectOverriders[id(T, O.Base)];
      Id Method = id(T, O.Method);
      if (!llvm::is_contained(List, Method))
        List.push_back(Method);
    }
    for (facts::Str S : TU.ContextHolders)
      ContextHolders.insert(id(T, S));
    for (facts::Str S : TU.ContextClasses)
      ContextClasses.insert(id(T, S));
  }
}

llvm::ArrayRef<uint32_t> ProgramModel::definitions(Id Key,
                                                  uint32_t FromTu) const {
  auto It = FunctionByKey.find(Key);
  if (It == FunctionByKey.end())
    return {};
  const llvm::SmallVector<uint32_t, 1> &Defs = It->second;
  if (Defs.size() == 1)
    return Defs;
  for (const uint32_t &D : Defs)
    if (Functions[D].Tu == FromTu)
      return llvm::ArrayRef<uint32_t>(&D, 1);
  return Defs;
}

const llvm::SmallVector<ProgramModel::Id, 4> &
ProgramModel::overriders(Id Method) const {
  auto It = AllOverriders.find(Method);
  if (It != AllOverriders.end())
    return It->second;
  llvm::SmallVector<Id, 4> All;
  llvm::SmallVector<Id, 8> Work{Method};
  llvm::DenseSet<Id> Seen{Method};
  while (!Work.empty()) {
    Id M = Work.pop_back_val();
    auto D = DirectOverriders.find(M);
    if (D == DirectOverriders.end())
      continue;
    for (Id O : D->second)
      if (Seen.insert(O).second) {
        All.push_back(O);
        Work.push_back(O);
      }
  }
  return AllOverriders[Method] = std::move(All);
}

void ProgramModel::linkSlots() {
  for (uint32_t T = 0; T < TUs.size(); ++T)
    for (const facts::Slot &S : TUs[T].Slots) {
      Id Key = id(T, S.Key);
      auto [It, New] = SlotByKey.try_emplace(Key, Slots.size());
      if (New) {
        Slot Info;
        Info.K = S.K;
        Info.Key = Key;
        Info.Name = id(T, S.Name);
        Info.Function = id(T, S.Function);
        Info.Owner = id(T, S.Owner);
        Info.Index = S.Index;
        Slots.push_back(Info);
      } else if (str(Slots[It->second].Name).empty()) {
        // A declaration may leave a parameter unnamed; its definition names it.
        Slots[It->second].Name = id(T, S.Name);
      }
    }
  for (uint32_t T = 0; T < TUs.size(); ++T)
    for (const facts::Function &F : TUs[T].Functions)
      for (const facts::Flow &Fl : F.Flows)
        Flows.push_back({&Fl, T, slot(id(T, Fl.Slot))});
}

void ProgramModel::solveFlows() {
  Holds.resize(Slots.size());
  // Slot-to-slot edges: (from, to, flow).
  struct Edge {
    uint32_t To;
    uint32_t Flow;
  };
  std::vector<llvm::SmallVector<Edge, 2>> Out(Slots.size());
  std::deque<std::pair<uint32_t, Id>> Work;
  auto Add = [&](uint32_t S, Id Fn, Provenance P) {
    if (Holds[S].try_emplace(Fn, P).second)
      Work.push_back({S, Fn});
  };
  for (uint32_t I = 0; I < Flows.size(); ++I) {
    const FlowRef &F = Flows[I];
    if (F.Slot == None)
      continue;
    for (const facts::Value &V : F.Facts->Values) {
      Id Key = id(F.Tu, V.Key);
      if (V.K == facts::Value::Kind::Function) {
        Add(F.Slot, Key, {I, None});
      } else if (uint32_t From = slot(Key); From != None && From != F.Slot) {
        Out[From].push_back({F.Slot, I});
      }
    }
  }
  // What is passed to a virtual method's parameter reaches the same
  // parameter of every override.
  for (uint32_t S = 0; S < Slots.size(); ++S) {
    const Slot &P = Slots[S];
    if (P.K != facts::Slot::Kind::Param)
      continue;
    for (Id O : overriders(P.Function)) {
      std::string Key =
          ("p:" + str(O) + "#" + llvm::Twine(P.Index)).str();
      Id K = lookup(Key);
      if (K == NoId)
        continue;
      if (uint32_t To = slot(K); To != None)
        Out[S].push_back({To, None});
    }
  }
  // Breadth first, so each provenance is a shortest chain.
  while (!Work.empty()) {
    auto [S, Fn] = Work.front();
    Work.pop_front();
    for (const Edge &E : Out[S])
      Add(E.To, Fn, {E.Flow, S});
  }
}

const llvm::DenseMap<ProgramModel::Id, ProgramModel::Provenance> &
ProgramModel::holds(uint32_t S) const {
  return Holds[S];
}

void ProgramModel::forEachFunction(
    uint32_t Tu, const std::vector<facts::Value> &Values,
    llvm::function_ref<void(Id, uint32_t)> Each) const {
  for (const facts::Value &V : Values) {
    Id Key = id(Tu, V.Key);
    if (V.K == facts::Value::Kind::Function) {
      Each(Key, None);
      continue;
    }
    uint32_t S = slot(Key);
    if (S == None)
      continue;
    // Sorted by key, so that the order does not depend on hashing.
    llvm::SmallVector<Id, 8> Keys;
    for (const auto &KV : Holds[S])
      Keys.push_back(KV.first);
    llvm::sort(Keys, [&](Id A, Id B) { return str(A) < str(B); });
    for (Id K : Keys)
      Each(K, S);
  }
}

SourceLocationInfo ProgramModel::where(uint32_t Tu, const facts::Loc &L) const {
  SourceLocationInfo Out;
  if (!L.valid())
    return Out;
  Out.File = str(id(Tu, L.File)).str();
  Out.Line = L.Line;
  Out.Column = L.Column;
  return Out;
}

std::string ProgramModel::describe(uint32_t FunctionIndex) const {
  const Function &F = Functions[FunctionIndex];
  if (F.Facts->Lambda)
    return "the lambda";
  return "'" + str(id(F.Tu, F.Facts->Name)).str() + "'";
}

std::string ProgramModel::describeSlot(uint32_t SlotIndex) const {
  return "'" + str(Slots[SlotIndex].Name).str() + "'";
}

void ProgramModel::provenanceNotes(uint32_t S, Id Key,
                                   std::vector<FindingNote> &Out) const {
  uint32_t Fn = function(Key);
  std::string What =
      Fn != None ? describe(Fn) : "'" + str(Key).str() + "'";
  for (unsigned Guard = 0; S != None && Guard <= Slots.size(); ++Guard) {
    auto It = Holds[S].find(Key);
    if (It == Holds[S].end())
      return;
    Provenance P = It->second;
    if (P.Flow == None) { // passed on from an overridden method's parameter
      S = P.From;
      continue;
    }
    const FlowRef &F = Flows[P.Flow];
    const Slot &Dst = Slots[S];
    std::string Src = P.From == None ? What : describeSlot(P.From);
    std::string Msg;
    switch (Dst.K) {
    case facts::Slot::Kind::Param: {
      Msg = Src + " is passed to '" + str(Dst.Owner).str() + "'";
      if (!str(Dst.Name).empty())
        Msg += " as '" + str(Dst.Name).str() + "'";
      Msg += " here";
      break;
    }
    case facts::Slot::Kind::Return:
      Msg = Src + " is returned from '" + str(Dst.Owner).str() + "' here";
      break;
    case facts::Slot::Kind::Field:
    case facts::Slot::Kind::Global:
    case facts::Slot::Kind::Local:
      Msg = P.From == None
                ? describeSlot(S) + " holds " + Src + ", stored here"
                : describeSlot(S) + " is given " + Src + " here";
      break;
    }
    Out.push_back({where(F.Tu, F.Facts->At), std::move(Msg)});
    S = P.From;
  }
}

void ProgramModel::forEachCallee(
    uint32_t Fn,
    llvm::function_ref<void(uint32_t, const facts::Call &, bool)> Each) const {
  const Function &F = Functions[Fn];
  for (const facts::Call &C : F.Facts->Calls) {
    Id Callee = id(F.Tu, C.Callee);
    for (uint32_t G : definitions(Callee, F.Tu))
      Each(G, C, false);
    if (C.K == facts::Call::Kind::Virtual)
      for (Id O : overriders(Callee))
        for (uint32_t G : definitions(O, F.Tu))
          Each(G, C, true);
  }
}

bool ProgramModel::mayThrow(Id Key) const {
  if (!Throwing) {
    // Backwards from the functions that throw, along calls outside try
    // blocks: every caller reached may throw too.
    llvm::DenseMap<Id, llvm::SmallVector<Id, 2>> Callers;
    for (const Function &F : Functions)
      for (const facts::Call &C : F.Facts->Calls) {
        if (C.InTry)
          continue;
        Id Callee = id(F.Tu, C.Callee);
        Callers[Callee].push_back(F.Key);
        if (C.K == facts::Call::Kind::Virtual)
          for (Id O : overriders(Callee))
            Callers[O].push_back(F.Key);
      }
    Throwing.emplace();
    llvm::SmallVector<Id, 32> Work;
    for (const Function &F : Functions)
      if (F.Facts->Throws && Throwing->insert(F.Key).second)
        Work.push_back(F.Key);
    while (!Work.empty()) {
      Id K = Work.pop_back_val();
      auto It = Callers.find(K);
      if (It == Callers.end())
        continue;
      for (Id C : It->second)
        if (Throwing->insert(C).second)
          Work.push_back(C);
    }
  }
  return Throwing->count(Key);
}

} // namespace uisan::tidy
