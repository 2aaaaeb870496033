//===- Facts.cpp - facts of a translation unit: storage and forms ---------===//

#include "Facts.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/LEB128.h"

namespace uisan::facts {

Str TranslationUnit::intern(llvm::StringRef S) {
  if (Index.empty() && !Strings.empty()) // read from the binary form
    for (Str I = 0; I < Strings.size(); ++I)
      Index.try_emplace(Strings[I], I);
  auto [It, New] = Index.try_emplace(S, static_cast<Str>(Strings.size()));
  if (New)
    Strings.push_back(S.str());
  return It->second;
}

namespace {

constexpr llvm::StringLiteral Magic("UISANFCT");

/// Writes the binary form. Strings are referenced by index + 1, so that
/// NoStr is the single byte 0.
class Writer {
public:
  std::string Out;
  void u(uint64_t V) {
    uint8_t Buf[16];
    unsigned N = llvm::encodeULEB128(V, Buf);
    Out.append(reinterpret_cast<const char *>(Buf), N);
  }
  void i(int64_t V) {
    uint8_t Buf[16];
    unsigned N = llvm::encodeSLEB128(V, Buf);
    Out.append(reinterpret_cast<const char *>(Buf), N);
  }
  void str(Str S) { u(S == NoStr ? 0 : uint64_t(S) + 1); }
  void text(llvm::StringRef S) {
    u(S.size());
    Out.append(S.data(), S.size());
  }
  void loc(const Loc &L) {
    str(L.File);
    u(L.Line);
    u(L.Column);
    u(L.Offset);
  }
  void values(const std::vector<Value> &Vs) {
    u(Vs.size());
    for (const Value &V : Vs) {
      u(static_cast<uint8_t>(V.K));
      str(V.Key);
    }
  }
  template <typename T, typename F> void list(const std::vector<T> &Items, F Each) {
    u(Items.size());
    for (const T &Item : Items)
      Each(Item);
  }
};

/// Reads the binary form, failing (never crashing) on truncated or
/// inconsistent input.
class Reader {
public:
  Reader(llvm::StringRef Bytes) : P(Bytes.bytes_begin()), End(Bytes.bytes_end()) {}
  bool Bad = false;
  size_t StringCount = 0;

  uint64_t u() {
    if (Bad)
      return 0;
    unsigned N = 0;
    const char *Error = nullptr;
    uint64_t V = llvm::decodeULEB128(P, &N, End, &Error);
    if (Error) {
      Bad = true;
      return 0;
    }
    P += N;
    return V;
  }
  int64_t i() {
    if (Bad)
      return 0;
    unsigned N = 0;
    const char *Error = nullptr;
    int64_t V = llvm::decodeSLEB128(P, &N, End, &Error);
    if (Error) {
      Bad = true;
      return 0;
    }
    P += N;
    return V;
  }
  Str str() {
    uint64_t V = u();
    if (V == 0)
      return NoStr;
    if (V > StringCount) {
      Bad = true;
      return NoStr;
    }
    return static_cast<Str>(V - 1);
  }
  std::string text() {
    uint64_t N = u();
    if (Bad || N > uint64_t(End - P)) {
      Bad = true;
      return {};
    }
    std::string S(reinterpret_cast<const char *>(P), N);
    P += N;
    return S;
  }
  /// A count of items that each take at least one byte: larger than what
  /// is left means corrupt input, not a huge allocation.
  uint64_t count() {
    uint64_t N = u();
    if (N > uint64_t(End - P))
      Bad = true;
    return Bad ? 0 : N;
  }
  Loc loc() {
    Loc L;
    L.File = str();
    L.Line = static_cast<uint32_t>(u());
    L.Column = static_cast<uint32_t>(u());
    L.Offset = static_cast<uint32_t>(u());
    return L;
  }
  std::vector<Value> values() {
    std::vector<Value> Vs(count());
    for (Value &V : Vs) {
      uint64_t K = u();
      if (K > 1)
        Bad = true;
      V.K = static_cast<Value::Kind>(K);
      V.Key = str();
    }
    return Vs;
  }
  bool flag() { return u() != 0; }
  bool atEnd() const { return P == End; }
  llvm::StringRef rest(size_t N) {
    if (N > size_t(End - P)) {
      Bad = true;
      return {};
    }
    llvm::StringRef S(reinterpret_cast<const char *>(P), N);
    P += N;
    return S;
  }

private:
  const uint8_t *P;
  const uint8_t *End;
};

} // namespace

std::string serialize(const TranslationUnit &TU) {
  Writer W;
  W.Out.append(Magic.data(), Magic.size());
  W.u(FormatVersion);
  W.text(TU.MainFile);
  W.list(TU.Strings, [&](const std::string &S) { W.text(S); });
  W.list(TU.Functions, [&](const Function &F) {
    W.str(F.Key);
    W.str(F.Name);
    W.loc(F.At);
    W.u(F.Lambda | (F.Initializer << 1));
    W.str(F.WorkerBase);
    W.str(F.Class);
    W.list(F.Calls, [&](const Call &C) {
      W.u(static_cast<uint8_t>(C.K));
      W.str(C.Callee);
      W.loc(C.At);
      W.str(C.Api);
      W.str(C.Remedy);
      W.u(C.InTry);
    });
    W.list(F.ValueCalls, [&](const ValueCall &C) {
      W.values(C.Callees);
      W.loc(C.At);
      W.str(C.Text);
      W.str(C.UnlessDefined);
    });
    W.list(F.UiCalls, [&](const UiCall &C) {
      W.str(C.Api);
      W.str(C.Remedy);
      W.u(C.Constructor);
      W.loc(C.At);
      W.list(C.Expansion, [&](const MacroStep &M) {
        W.loc(M.At);
        W.str(M.Name);
      });
    });
    W.list(F.Spawns, [&](const Spawn &S) {
      W.str(S.Spawner);
      W.loc(S.At);
      W.values(S.Callables);
      W.str(S.Holder);
      W.str(S.LibraryThread);
    });
    W.list(F.Flows, [&](const Flow &Fl) {
      W.str(Fl.Slot);
      W.values(Fl.Values);
      W.loc(Fl.At);
    });
    W.u(F.Throws | (F.Teardown << 1) | (F.Destructor << 2));
    W.list(F.FieldEvents, [&](const FieldEvent &E) {
      W.u(static_cast<uint8_t>(E.K));
      W.str(E.Field);
      W.loc(E.At);
    });
    W.list(F.HandOvers, [&](const HandOver &H) {
      W.str(H.Callee);
      W.u(H.Param);
      W.str(H.Field);
      W.u(H.FromParam);
      W.loc(H.At);
    });
    W.list(F.StopsParams, [&](uint32_t P) { W.u(P); });
    W.list(F.Connects, [&](const Connect &C) {
      W.str(C.Api);
      W.str(C.Signal);
      W.str(C.SignalName);
      W.u(C.ThreadSignal);
      W.str(C.Receiver);
      W.str(C.ReceiverText);
      W.u(static_cast<uint8_t>(C.T));
      W.values(C.Targets);
      W.loc(C.At);
    });
    W.list(F.Moves, [&](const Move &M) {
      W.u(static_cast<uint64_t>(M.K));
      W.str(M.Class);
      W.str(M.ObjectText);
      W.str(M.ThreadText);
      W.loc(M.At);
    });
    W.list(F.Emits, [&](const Emit &E) {
      W.str(E.Signal);
      W.str(E.Name);
      W.loc(E.At);
    });
    W.list(F.LoopCalls, [&](const LoopCall &L) {
      W.str(L.Api);
      W.loc(L.At);
    });
    W.u(F.RunsEventLoop);
    W.str(F.WorkerEntry);
  });
  W.list(TU.Slots, [&](const Slot &S) {
    W.str(S.Key);
    W.u(static_cast<uint8_t>(S.K));
    W.str(S.Name);
    W.str(S.Function);
    W.str(S.Owner);
    W.u(S.Index);
  });
  W.list(TU.Overrides, [&](const Override &O) {
    W.str(O.Method);
    W.str(O.Base);
  });
  W.list(TU.ContextHolders, [&](Str S) { W.str(S); });
  W.list(TU.ContextClasses, [&](Str S) { W.str(S); });
  W.values(TU.TeardownCallables);
  W.list(TU.Diagnostics, [&](const Diagnostic &D) {
    W.str(D.Check);
    W.u(D.Error);
    W.loc(D.At);
    W.text(D.Message);
    W.list(D.Notes, [&](const Diagnostic::Note &N) {
      W.loc(N.At);
      W.text(N.Message);
      W.str(N.IfThrows);
      W.u(N.Exit);
    });
    W.list(D.Fixes, [&](const Diagnostic::Fix &X) {
      W.loc(X.At);
      W.u(X.Length);
      W.text(X.Text);
    });
  });
  W.list(TU.ExecutorFields, [&](const ExecutorField &E) {
    W.str(E.Field);
    W.str(E.Name);
    W.str(E.Class);
    W.str(E.ClassName);
    W.loc(E.At);
    W.u(static_cast<uint8_t>(E.H));
    W.str(E.Type);
    W.str(E.Shutdown);
    W.str(E.OnDestroy);
    W.u(E.NeedsStart | (E.OwnedHere << 1) | (E.UserDestructor << 2));
    W.str(E.Destructor);
    W.str(E.ElementClass);
    W.str(E.Deleter);
  });
  W.list(TU.Dependencies, [&](const Dependency &D) {
    W.str(D.Path);
    W.u(D.Size);
    W.i(D.MTime);
    W.Out.append(reinterpret_cast<const char *>(D.Hash.data()), D.Hash.size());
  });
  return std::move(W.Out);
}

llvm::Expected<TranslationUnit> deserialize(llvm::StringRef Bytes,
                                            llvm::StringRef Name) {
  auto Fail = [&](llvm::StringRef Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: %s", Name.str().c_str(),
                                   Why.str().c_str());
  };
  if (!Bytes.consume_front(Magic))
    return Fail("not a uisan facts file");
  Reader R(Bytes);
  uint64_t Version = R.u();
  if (R.Bad)
    return Fail("truncated facts file");
  if (Version != FormatVersion)
    return Fail("facts of format version " + std::to_string(Version) +
                ", this uisan-tidy reads version " +
                std::to_string(FormatVersion) + "; extract them again");
  TranslationUnit TU;
  TU.MainFile = R.text();
  TU.Strings.resize(R.count());
  for (std::string &S : TU.Strings)
    S = R.text();
  R.StringCount = TU.Strings.size();
  TU.Functions.resize(R.count());
  for (Function &F : TU.Functions) {
    F.Key = R.str();
    F.Name = R.str();
    F.At = R.loc();
    uint64_t Flags = R.u();
    F.Lambda = Flags & 1;
    F.Initializer = Flags & 2;
    F.WorkerBase = R.str();
    F.Class = R.str();
    F.Calls.resize(R.count());
    for (Call &C : F.Calls) {
      uint64_t K = R.u();
      if (K > 2)
        R.Bad = true;
      C.K = static_cast<Call::Kind>(K);
      C.Callee = R.str();
      C.At = R.loc();
      C.Api = R.str();
      C.Remedy = R.str();
      C.InTry = R.flag();
    }
    F.ValueCalls.resize(R.count());
    for (ValueCall &C : F.ValueCalls) {
      C.Callees = R.values();
      C.At = R.loc();
      C.Text = R.str();
      C.UnlessDefined = R.str();
    }
    F.UiCalls.resize(R.count());
    for (UiCall &C : F.UiCalls) {
      C.Api = R.str();
      C.Remedy = R.str();
      C.Constructor = R.flag();
      C.At = R.loc();
      C.Expansion.resize(R.count());
      for (MacroStep &M : C.Expansion) {
        M.At = R.loc();
        M.Name = R.str();
      }
    }
    F.Spawns.resize(R.count());
    for (Spawn &S : F.Spawns) {
      S.Spawner = R.str();
      S.At = R.loc();
      S.Callables = R.values();
      S.Holder = R.str();
      S.LibraryThread = R.str();
    }
    F.Flows.resize(R.count());
    for (Flow &Fl : F.Flows) {
      Fl.Slot = R.str();
      Fl.Values = R.values();
      Fl.At = R.loc();
    }
    uint64_t More = R.u();
    F.Throws = More & 1;
    F.Teardown = More & 2;
    F.Destructor = More & 4;
    F.FieldEvents.resize(R.count());
    for (FieldEvent &E : F.FieldEvents) {
      uint64_t K = R.u();
      if (K > 4)
        R.Bad = true;
      E.K = static_cast<FieldEvent::Kind>(K);
      E.Field = R.str();
      E.At = R.loc();
    }
    F.HandOvers.resize(R.count());
    for (HandOver &H : F.HandOvers) {
      H.Callee = R.str();
      H.Param = static_cast<uint32_t>(R.u());
      H.Field = R.str();
      H.FromParam = static_cast<uint32_t>(R.u());
      H.At = R.loc();
    }
    F.StopsParams.resize(R.count());
    for (uint32_t &P : F.StopsParams)
      P = static_cast<uint32_t>(R.u());
    F.Connects.resize(R.count());
    for (Connect &C : F.Connects) {
      C.Api = R.str();
      C.Signal = R.str();
      C.SignalName = R.str();
      C.ThreadSignal = R.flag();
      C.Receiver = R.str();
      C.ReceiverText = R.str();
      uint64_t T = R.u();
      if (T > static_cast<uint64_t>(Connect::Type::Queued))
        R.Bad = true;
      C.T = static_cast<Connect::Type>(T);
      C.Targets = R.values();
      C.At = R.loc();
    }
    F.Moves.resize(R.count());
    for (Move &M : F.Moves) {
      uint64_t K = R.u();
      if (K > static_cast<uint64_t>(Move::Kind::Created))
        R.Bad = true;
      M.K = static_cast<Move::Kind>(K);
      M.Class = R.str();
      M.ObjectText = R.str();
      M.ThreadText = R.str();
      M.At = R.loc();
    }
    F.Emits.resize(R.count());
    for (Emit &E : F.Emits) {
      E.Signal = R.str();
      E.Name = R.str();
      E.At = R.loc();
    }
    F.LoopCalls.resize(R.count());
    for (LoopCall &L : F.LoopCalls) {
      L.Api = R.str();
      L.At = R.loc();
    }
    F.RunsEventLoop = R.flag();
    F.WorkerEntry = R.str();
    if (R.Bad)
      break;
  }
  TU.Slots.resize(R.count());
  for (Slot &S : TU.Slots) {
    S.Key = R.str();
    uint64_t K = R.u();
    if (K > 4)
      R.Bad = true;
    S.K = static_cast<Slot::Kind>(K);
    S.Name = R.str();
    S.Function = R.str();
    S.Owner = R.str();
    S.Index = static_cast<uint32_t>(R.u());
  }
  TU.Overrides.resize(R.count());
  for (Override &O : TU.Overrides) {
    O.Method = R.str();
    O.Base = R.str();
  }
  TU.ContextHolders.resize(R.count());
  for (Str &S : TU.ContextHolders)
    S = R.str();
  TU.ContextClasses.resize(R.count());
  for (Str &S : TU.ContextClasses)
    S = R.str();
  TU.TeardownCallables = R.values();
  TU.Diagnostics.resize(R.count());
  for (Diagnostic &D : TU.Diagnostics) {
    D.Check = R.str();
    D.Error = R.flag();
    D.At = R.loc();
    D.Message = R.text();
    D.Notes.resize(R.count());
    for (Diagnostic::Note &N : D.Notes) {
      N.At = R.loc();
      N.Message = R.text();
      N.IfThrows = R.str();
      N.Exit = R.flag();
    }
    D.Fixes.resize(R.count());
    for (Diagnostic::Fix &X : D.Fixes) {
      X.At = R.loc();
      X.Length = static_cast<uint32_t>(R.u());
      X.Text = R.text();
    }
  }
  TU.ExecutorFields.resize(R.count());
  for (ExecutorField &E : TU.ExecutorFields) {
    E.Field = R.str();
    E.Name = R.str();
    E.Class = R.str();
    E.ClassName = R.str();
    E.At = R.loc();
    uint64_t H = R.u();
    if (H > 3)
      R.Bad = true;
    E.H = static_cast<ExecutorField::Holder>(H);
    E.Type = R.str();
    E.Shutdown = R.str();
    E.OnDestroy = R.str();
    uint64_t Flags = R.u();
    E.NeedsStart = Flags & 1;
    E.OwnedHere = Flags & 2;
    E.UserDestructor = Flags & 4;
    E.Destructor = R.str();
    E.ElementClass = R.str();
    E.Deleter = R.str();
  }
  TU.Dependencies.resize(R.count());
  for (Dependency &D : TU.Dependencies) {
    D.Path = R.str();
    D.Size = R.u();
    D.MTime = R.i();
    llvm::StringRef H = R.rest(D.Hash.size());
    if (!R.Bad)
      std::copy(H.begin(), H.end(), D.Hash.begin());
  }
  if (R.Bad || !R.atEnd())
    return Fail("corrupt facts file");
  return TU;
}

namespace {
llvm::json::Value jsonLoc(const TranslationUnit &TU, const Loc &L) {
  if (!L.valid())
    return nullptr;
  return (TU.str(L.File).str() + ":" + llvm::Twine(L.Line) + ":" +
          llvm::Twine(L.Column))
      .str();
}

llvm::json::Value jsonValues(const TranslationUnit &TU,
                             const std::vector<Value> &Vs) {
  llvm::json::Array A;
  for (const Value &V : Vs)
    A.push_back(llvm::json::Object{
        {V.K == Value::Kind::Function ? "function" : "slot", TU.str(V.Key).str()}});
  return A;
}

llvm::json::Value jsonStr(const TranslationUnit &TU, Str S) {
  if (S == NoStr)
    return nullptr;
  return TU.str(S).str();
}

const char *callKind(Call::Kind K) {
  switch (K) {
  case Call::Kind::Direct:
    return "direct";
  case Call::Kind::Virtual:
    return "virtual";
  case Call::Kind::PresumedUi:
    return "presumed-ui";
  }
  return "?";
}

const char *fieldEventKind(FieldEvent::Kind K) {
  switch (K) {
  case FieldEvent::Kind::Stop:
    return "stop";
  case FieldEvent::Kind::Own:
    return "own";
  case FieldEvent::Kind::OwnByParent:
    return "own-by-parent";
  case FieldEvent::Kind::Start:
    return "start";
  case FieldEvent::Kind::Delete:
    return "delete";
  }
  return "?";
}

llvm::json::Value paramName(uint32_t P) {
  if (P == HandOver::This)
    return "this";
  return static_cast<int64_t>(P);
}

const char *slotKind(Slot::Kind K) {
  switch (K) {
  case Slot::Kind::Field:
    return "field";
  case Slot::Kind::Global:
    return "global";
  case Slot::Kind::Local:
    return "local";
  case Slot::Kind::Param:
    return "param";
  case Slot::Kind::Return:
    return "return";
  }
  return "?";
}
} // namespace

llvm::json::Value toJson(const TranslationUnit &TU) {
  llvm::json::Array Functions;
  for (const Function &F : TU.Functions) {
    llvm::json::Array Calls, ValueCalls, Ui, Spawns, Flows;
    for (const Call &C : F.Calls)
      Calls.push_back(llvm::json::Object{{"kind", callKind(C.K)},
                                         {"callee", TU.str(C.Callee).str()},
                                         {"at", jsonLoc(TU, C.At)},
                                         {"api", jsonStr(TU, C.Api)}});
    for (const ValueCall &C : F.ValueCalls)
      ValueCalls.push_back(llvm::json::Object{{"callees", jsonValues(TU, C.Callees)},
                                              {"at", jsonLoc(TU, C.At)},
                                              {"text", jsonStr(TU, C.Text)},
                                              {"unless_defined", jsonStr(TU, C.UnlessDefined)}});
    for (const UiCall &C : F.UiCalls)
      Ui.push_back(llvm::json::Object{{"api", TU.str(C.Api).str()},
                                      {"constructor", C.Constructor},
                                      {"at", jsonLoc(TU, C.At)}});
    for (const Spawn &S : F.Spawns)
      Spawns.push_back(llvm::json::Object{{"spawner", TU.str(S.Spawner).str()},
                                          {"at", jsonLoc(TU, S.At)},
                                          {"callables", jsonValues(TU, S.Callables)},
                                          {"holder", jsonStr(TU, S.Holder)},
                                          {"library_thread", jsonStr(TU, S.LibraryThread)}});
    for (const Flow &Fl : F.Flows)
      Flows.push_back(llvm::json::Object{{"slot", TU.str(Fl.Slot).str()},
                                         {"values", jsonValues(TU, Fl.Values)},
                                         {"at", jsonLoc(TU, Fl.At)}});
    llvm::json::Array Events, Hands, Stops;
    for (const FieldEvent &E : F.FieldEvents)
      Events.push_back(llvm::json::Object{{"kind", fieldEventKind(E.K)},
                                          {"field", TU.str(E.Field).str()},
                                          {"at", jsonLoc(TU, E.At)}});
    for (const HandOver &H : F.HandOvers)
      Hands.push_back(llvm::json::Object{
          {"callee", TU.str(H.Callee).str()},
          {"param", paramName(H.Param)},
          {"field", jsonStr(TU, H.Field)},
          {"from_param", H.Field == NoStr ? paramName(H.FromParam) : nullptr},
          {"at", jsonLoc(TU, H.At)}});
    for (uint32_t P : F.StopsParams)
      Stops.push_back(paramName(P));
    llvm::json::Array Connects, Moves, Emits, Loops;
    for (const Connect &C : F.Connects)
      Connects.push_back(llvm::json::Object{
          {"api", jsonStr(TU, C.Api)},
          {"signal", jsonStr(TU, C.SignalName)},
          {"thread_signal", C.ThreadSignal},
          {"receiver", jsonStr(TU, C.Receiver)},
          {"receiver_text", jsonStr(TU, C.ReceiverText)},
          {"type", static_cast<int64_t>(C.T)},
          {"targets", jsonValues(TU, C.Targets)},
          {"at", jsonLoc(TU, C.At)}});
    for (const Move &M : F.Moves)
      Moves.push_back(llvm::json::Object{{"kind", M.K == Move::Kind::ToWorker ? "to-worker"
                                                  : M.K == Move::Kind::Back   ? "back"
                                                                              : "created"},
                                         {"class", jsonStr(TU, M.Class)},
                                         {"object", jsonStr(TU, M.ObjectText)},
                                         {"thread", jsonStr(TU, M.ThreadText)},
                                         {"at", jsonLoc(TU, M.At)}});
    for (const Emit &E : F.Emits)
      Emits.push_back(llvm::json::Object{{"signal", jsonStr(TU, E.Name)},
                                         {"at", jsonLoc(TU, E.At)}});
    for (const LoopCall &L : F.LoopCalls)
      Loops.push_back(llvm::json::Object{{"api", jsonStr(TU, L.Api)},
                                         {"at", jsonLoc(TU, L.At)}});
    Functions.push_back(llvm::json::Object{
        {"connects", std::move(Connects)},
        {"moves", std::move(Moves)},
        {"emits", std::move(Emits)},
        {"loop_calls", std::move(Loops)},
        {"runs_event_loop", F.RunsEventLoop},
        {"worker_entry", jsonStr(TU, F.WorkerEntry)},
        {"throws", F.Throws},
        {"teardown", F.Teardown},
        {"destructor", F.Destructor},
        {"field_events", std::move(Events)},
        {"hand_overs", std::move(Hands)},
        {"stops_params", std::move(Stops)},
        {"key", TU.str(F.Key).str()},
        {"name", TU.str(F.Name).str()},
        {"at", jsonLoc(TU, F.At)},
        {"lambda", F.Lambda},
        {"initializer", F.Initializer},
        {"worker_base", jsonStr(TU, F.WorkerBase)},
        {"class", jsonStr(TU, F.Class)},
        {"calls", std::move(Calls)},
        {"value_calls", std::move(ValueCalls)},
        {"ui_calls", std::move(Ui)},
        {"spawns", std::move(Spawns)},
        {"flows", std::move(Flows)}});
  }
  llvm::json::Array Slots, Overrides, Holders, Classes, Diags, Deps;
  for (const Slot &S : TU.Slots)
    Slots.push_back(llvm::json::Object{{"key", TU.str(S.Key).str()},
                                       {"kind", slotKind(S.K)},
                                       {"name", jsonStr(TU, S.Name)},
                                       {"function", jsonStr(TU, S.Function)},
                                       {"owner", jsonStr(TU, S.Owner)},
                                       {"index", S.Index}});
  for (const Override &O : TU.Overrides)
    Overrides.push_back(llvm::json::Object{{"method", TU.str(O.Method).str()},
                                           {"base", TU.str(O.Base).str()}});
  for (Str S : TU.ContextHolders)
    Holders.push_back(TU.str(S).str());
  for (Str S : TU.ContextClasses)
    Classes.push_back(TU.str(S).str());
  for (const Diagnostic &D : TU.Diagnostics) {
    llvm::json::Array Notes;
    for (const Diagnostic::Note &N : D.Notes)
      Notes.push_back(llvm::json::Object{{"at", jsonLoc(TU, N.At)},
                                         {"message", N.Message},
                                         {"if_throws", jsonStr(TU, N.IfThrows)},
                                         {"exit", N.Exit}});
    llvm::json::Array Fixes;
    for (const Diagnostic::Fix &X : D.Fixes)
      Fixes.push_back(llvm::json::Object{{"at", jsonLoc(TU, X.At)},
                                         {"length", X.Length},
                                         {"text", X.Text}});
    Diags.push_back(llvm::json::Object{{"check", TU.str(D.Check).str()},
                                       {"error", D.Error},
                                       {"at", jsonLoc(TU, D.At)},
                                       {"message", D.Message},
                                       {"notes", std::move(Notes)},
                                       {"fixes", std::move(Fixes)}});
  }
  llvm::json::Array Fields;
  for (const ExecutorField &E : TU.ExecutorFields)
    Fields.push_back(llvm::json::Object{
        {"field", TU.str(E.Field).str()},
        {"name", TU.str(E.Name).str()},
        {"class", TU.str(E.Class).str()},
        {"at", jsonLoc(TU, E.At)},
        {"holder", static_cast<int64_t>(E.H)},
        {"type", TU.str(E.Type).str()},
        {"needs_start", E.NeedsStart},
        {"owned_here", E.OwnedHere},
        {"destructor", jsonStr(TU, E.Destructor)},
        {"user_destructor", E.UserDestructor},
        {"element_class", jsonStr(TU, E.ElementClass)},
        {"deleter", jsonStr(TU, E.Deleter)}});
  for (const Dependency &D : TU.Dependencies)
    Deps.push_back(llvm::json::Object{
        {"path", TU.str(D.Path).str()},
        {"size", static_cast<int64_t>(D.Size)},
        {"hash", llvm::toHex(llvm::ArrayRef<uint8_t>(D.Hash), true)}});
  return llvm::json::Object{{"version", static_cast<int64_t>(FormatVersion)},
                            {"main_file", TU.MainFile},
                            {"functions", std::move(Functions)},
                            {"slots", std::move(Slots)},
                            {"overrides", std::move(Overrides)},
                            {"context_holders", std::move(Holders)},
                            {"context_classes", std::move(Classes)},
                            {"teardown_callables", jsonValues(TU, TU.TeardownCallables)},
                            {"diagnostics", std::move(Diags)},
                            {"executor_fields", std::move(Fields)},
                            {"dependencies", std::move(Deps)}};
}

} // namespace uisan::facts
