//===- RulePack.cpp - load, validate and compile rule packs ---------------===//
//
// Validation is driven by the JSON Schema in rules/schema (built in), so the
// published schema and what the loader accepts cannot drift apart. The
// interpreter below covers the subset of JSON Schema that file uses.
//
//===----------------------------------------------------------------------===//

#include "uisan/rules/RulePack.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

namespace uisan::rules {

std::string formatProblem(const Problem &P) {
  std::ostringstream OS;
  OS << (P.File.empty() ? "<rules>" : P.File);
  if (P.Pos.Line)
    OS << ':' << P.Pos.Line << ':' << P.Pos.Column;
  OS << ": error: " << P.Message;
  if (!P.JsonPath.empty())
    OS << " [at " << P.JsonPath << ']';
  if (!P.Remedy.empty())
    OS << "; " << P.Remedy;
  return OS.str();
}

bool GlobList::matches(std::string_view Name) const {
  for (const Glob &G : Items)
    if (!G.hasSignature() && G.matches(Name))
      return true;
  return false;
}

bool GlobList::matches(std::string_view Name,
                       std::string_view Signature) const {
  for (const Glob &G : Items)
    if (G.hasSignature() ? !Signature.empty() && G.matches(Signature)
                         : G.matches(Name))
      return true;
  return false;
}

std::string closestMatch(std::string_view Word,
                         const std::vector<std::string> &Candidates) {
  std::string Best;
  size_t BestDist = std::max<size_t>(2, Word.size() / 3) + 1;
  for (const std::string &C : Candidates) {
    // Levenshtein distance, two rows.
    std::vector<size_t> Prev(C.size() + 1), Cur(C.size() + 1);
    for (size_t J = 0; J <= C.size(); ++J)
      Prev[J] = J;
    for (size_t I = 1; I <= Word.size(); ++I) {
      Cur[0] = I;
      for (size_t J = 1; J <= C.size(); ++J) {
        size_t Sub = Prev[J - 1] + (Word[I - 1] == C[J - 1] ? 0 : 1);
        Cur[J] = std::min({Prev[J] + 1, Cur[J - 1] + 1, Sub});
      }
      std::swap(Prev, Cur);
    }
    if (Prev[C.size()] < BestDist) {
      BestDist = Prev[C.size()];
      Best = C;
    }
  }
  return Best;
}

namespace {

/// Interprets the schema subset used by uisan-rules.schema.json.
class SchemaValidator {
public:
  SchemaValidator(const JsonValue &Root, std::string File,
                  std::vector<Problem> &Problems)
      : Root(Root), File(std::move(File)), Problems(Problems) {}

  bool validate(const JsonValue &V, const JsonValue &Schema,
                const std::string &Path) {
    size_t Before = Problems.size();
    check(V, resolve(Schema), Path);
    return Problems.size() == Before;
  }

private:
  const JsonValue &Root;
  std::string File;
  std::vector<Problem> &Problems;

  void report(SourcePos Pos, const std::string &Path, std::string Message,
              std::string Remedy = "") {
    Problems.push_back({File, Pos, Path, std::move(Message), std::move(Remedy)});
  }

  const JsonValue &resolve(const JsonValue &Schema) const {
    const JsonValue *Ref = Schema.find("$ref");
    if (!Ref || Ref->K != JsonValue::Kind::String)
      return Schema;
    // Only local references of the form '#/$defs/name' are used.
    const std::string Prefix = "#/$defs/";
    if (Ref->String.rfind(Prefix, 0) == 0)
      if (const JsonValue *Defs = Root.find("$defs"))
        if (const JsonValue *Target =
                Defs->find(Ref->String.substr(Prefix.size())))
          return resolve(*Target);
    return Schema;
  }

  static bool hasType(const JsonValue &V, const std::string &Type) {
    if (Type == "integer")
      return V.isInteger();
    return Type == jsonKindName(V.K);
  }

  static std::string article(const std::string &Type) {
    return (Type == "integer" || Type == "object" || Type == "array")
               ? "an " + Type
               : "a " + Type;
  }

  static std::string describe(const JsonValue &V) {
    switch (V.K) {
    case JsonValue::Kind::String:
      return "'" + V.String + "'";
    case JsonValue::Kind::Number: {
      std::ostringstream OS;
      OS << V.Number;
      return OS.str();
    }
    case JsonValue::Kind::Bool:
      return V.Bool ? "true" : "false";
    case JsonValue::Kind::Null:
      return "null";
    case JsonValue::Kind::Array:
      return "an array";
    case JsonValue::Kind::Object:
      return "an object";
    }
    return "?";
  }

  bool checkType(const JsonValue &V, const JsonValue &Schema,
                 const std::string &Path) {
    const JsonValue *Type = Schema.find("type");
    if (!Type || Type->K != JsonValue::Kind::String)
      return true;
    if (hasType(V, Type->String))
      return true;
    report(V.Pos, Path,
           "expected " + article(Type->String) + ", found " +
               (V.K == JsonValue::Kind::Number ? "the number " + describe(V)
                                               : article(jsonKindName(V.K))));
    return false;
  }

  void check(const JsonValue &V, const JsonValue &Schema,
             const std::string &Path) {
    if (const JsonValue *AnyOf = Schema.find("anyOf")) {
      checkAnyOf(V, *AnyOf, Path);
      return;
    }
    if (!checkType(V, Schema, Path))
      return;
    if (const JsonValue *Enum = Schema.find("enum")) {
      std::vector<std::string> Names;
      bool Found = false;
      for (const JsonValue &E : Enum->Array) {
        Names.push_back(describe(E));
        if (E.K == V.K && describe(E) == describe(V))
          Found = true;
      }
      if (!Found) {
        std::string Allowed;
        for (const std::string &N : Names)
          Allowed += (Allowed.empty() ? "" : ", ") + N;
        std::string Near = V.K == JsonValue::Kind::String
                               ? closestMatch(describe(V), Names)
                               : "";
        report(V.Pos, Path, describe(V) + " is not one of " + Allowed,
               Near.empty() ? "" : "did you mean " + Near + "?");
        return;
      }
    }
    if (V.K == JsonValue::Kind::String)
      checkString(V, Schema, Path);
    if (V.K == JsonValue::Kind::Number)
      if (const JsonValue *Min = Schema.find("minimum"))
        if (V.Number < Min->Number)
          report(V.Pos, Path,
                 describe(V) + " is below the minimum " + describe(*Min));
    if (V.K == JsonValue::Kind::Array)
      if (const JsonValue *Items = Schema.find("items"))
        for (size_t I = 0; I < V.Array.size(); ++I)
          check(V.Array[I], resolve(*Items),
                Path + "[" + std::to_string(I) + "]");
    if (V.K == JsonValue::Kind::Object)
      checkObject(V, Schema, Path);
  }

  void checkString(const JsonValue &V, const JsonValue &Schema,
                   const std::string &Path) {
    if (const JsonValue *Min = Schema.find("minLength"))
      if (V.String.size() < Min->Number) {
        report(V.Pos, Path, "empty string; a value is required");
        return;
      }
    if (const JsonValue *Pattern = Schema.find("pattern"))
      if (!std::regex_search(V.String, std::regex(Pattern->String)))
        report(V.Pos, Path,
               describe(V) + " does not match " + Pattern->String);
    if (const JsonValue *Format = Schema.find("format"))
      if (Format->String == "uisan-pattern" ||
          Format->String == "uisan-signature-pattern") {
        std::string Why;
        if (!Glob::compile(V.String, Why,
                           Format->String == "uisan-signature-pattern"))
          report(V.Pos, Path, "bad pattern " + describe(V) + ": " + Why);
      }
  }

  void checkObject(const JsonValue &V, const JsonValue &Schema,
                   const std::string &Path) {
    const JsonValue *Props = Schema.find("properties");
    std::vector<std::string> Known;
    if (Props)
      for (const JsonValue::Member &M : Props->Object)
        Known.push_back(M.Key);
    if (const JsonValue *Req = Schema.find("required"))
      for (const JsonValue &R : Req->Array)
        if (!V.findMember(R.String))
          report(V.Pos, Path, "missing required key '" + R.String + "'");
    const JsonValue *Additional = Schema.find("additionalProperties");
    bool Closed = Additional && Additional->K == JsonValue::Kind::Bool &&
                  !Additional->Bool;
    for (const JsonValue::Member &M : V.Object) {
      std::string Sub = Path + "." + M.Key;
      const JsonValue *PropSchema = Props ? Props->find(M.Key) : nullptr;
      if (PropSchema) {
        check(M.Value, resolve(*PropSchema), Sub);
        continue;
      }
      if (!Closed)
        continue;
      std::string Near = closestMatch(M.Key, Known);
      std::string Allowed;
      for (const std::string &K : Known)
        Allowed += (Allowed.empty() ? "'" : ", '") + K + "'";
      report(M.KeyPos, Sub, "unknown key '" + M.Key + "'",
             Near.empty() ? "allowed keys here: " + Allowed
                          : "did you mean '" + Near + "'?");
    }
  }

  void checkAnyOf(const JsonValue &V, const JsonValue &AnyOf,
                  const std::string &Path) {
    std::string Forms;
    for (const JsonValue &Branch : AnyOf.Array) {
      std::vector<Problem> Scratch;
      SchemaValidator Trial(Root, File, Scratch);
      if (Trial.validate(V, Branch, Path))
        return;
      const JsonValue &B = resolve(Branch);
      std::string Form;
      if (const JsonValue *T = B.find("type"))
        Form = article(T->String);
      if (const JsonValue *E = B.find("enum"))
        for (const JsonValue &Item : E->Array)
          Form = describe(Item);
      if (const JsonValue *Min = B.find("minimum"))
        Form += " >= " + describe(*Min);
      Forms += (Forms.empty() ? "" : " or ") + Form;
    }
    report(V.Pos, Path, "expected " + Forms + ", found " + describe(V));
  }
};

const JsonValue &schemaRoot() {
  static const JsonValue Root = [] {
    JsonError Error;
    std::optional<JsonValue> Parsed = parseJson(packSchemaText(), Error);
    // The schema is built in and covered by tests; an unparsable one cannot
    // reach users, so an empty schema (accepting nothing unchecked) is moot.
    return Parsed ? std::move(*Parsed) : JsonValue();
  }();
  return Root;
}

// Compilation runs only on validated input, so shapes are known to be right.
Glob glob(const JsonValue &V, bool AllowSignature = false) {
  std::string Why;
  return *Glob::compile(V.String, Why, AllowSignature);
}

GlobList globs(const JsonValue *V, bool AllowSignature = false) {
  GlobList L;
  if (V)
    for (const JsonValue &Item : V->Array)
      L.Items.push_back(glob(Item, AllowSignature));
  return L;
}

/// An 'except' list: its patterns may carry a parameter list.
GlobList exceptGlobs(const JsonValue *V) { return globs(V, true); }

std::vector<std::string> strings(const JsonValue *V) {
  std::vector<std::string> L;
  if (V)
    for (const JsonValue &Item : V->Array)
      L.push_back(Item.String);
  return L;
}

std::string stringOr(const JsonValue &Obj, const char *Key,
                     std::string Default) {
  const JsonValue *V = Obj.find(Key);
  return V ? V->String : Default;
}

std::unique_ptr<Pack> compile(const JsonValue &J, std::string_view File) {
  auto P = std::make_unique<Pack>();
  P->File = std::string(File);
  P->Name = J.find("name")->String;
  P->Description = J.find("description")->String;
  P->Toolkit = stringOr(J, "toolkit", P->Name);
  P->UiThreadName = stringOr(J, "ui_thread_name", "UI thread");
  P->Remedy = stringOr(J, "remedy", "move it to the " + P->UiThreadName);

  if (const JsonValue *Ui = J.find("ui")) {
    if (const JsonValue *Classes = Ui->find("classes"))
      for (const JsonValue &C : Classes->Array) {
        UiClassRule R{glob(*C.find("name")), true,
                      exceptGlobs(C.find("except"))};
        if (const JsonValue *S = C.find("subclasses"))
          R.Subclasses = S->Bool;
        P->UiClasses.push_back(std::move(R));
      }
    P->UiFunctions = globs(Ui->find("functions"));
    if (const JsonValue *Prefixes = Ui->find("prefixes"))
      for (const JsonValue &X : Prefixes->Array)
        P->UiPrefixes.push_back(
            {X.find("prefix")->String, exceptGlobs(X.find("except"))});
    P->UiExcept = exceptGlobs(Ui->find("except"));
    P->UiLibraries = strings(Ui->find("libraries"));
  }
  if (const JsonValue *S = J.find("signals")) {
    P->SignalSections = strings(S->find("sections"));
    P->SignalMarkers = strings(S->find("markers"));
  }
  if (const JsonValue *Spawners = J.find("spawners"))
    for (const JsonValue &S : Spawners->Array) {
      SpawnerRule R;
      R.Function = glob(*S.find("function"));
      R.UnlessArg = globs(S.find("unless_arg"));
      if (const JsonValue *C = S.find("callable"))
        if (C->K == JsonValue::Kind::Number)
          R.CallableArg = static_cast<int>(C->Number);
      R.LibraryThread = stringOr(S, "library_thread", "");
      if (const JsonValue *Recv = S.find("receiver")) {
        R.ReceiverType = glob(*Recv->find("type"));
        if (const JsonValue *A = Recv->find("arg"))
          R.ReceiverArg = static_cast<unsigned>(A->Number);
      }
      if (const JsonValue *Sig = S.find("signal")) {
        R.SignalArg = static_cast<int>(Sig->find("arg")->Number);
        R.Signals = globs(Sig->find("names"));
      }
      P->Spawners.push_back(std::move(R));
    }
  P->WorkerOverrides = globs(J.find("worker_overrides"));
  P->WorkerEntries = globs(J.find("worker_entries"));
  if (const JsonValue *A = J.find("affinity")) {
    AffinityRule R;
    if (const JsonValue *O = A->find("object_class"))
      R.ObjectClass = glob(*O);
    R.Move = globs(A->find("move"));
    R.Connect = globs(A->find("connect"));
    R.ThreadSignals = globs(A->find("thread_signals"));
    R.Direct = globs(A->find("direct"));
    R.Queued = globs(A->find("queued"));
    if (const JsonValue *Rs = A->find("receiver_calls"))
      for (const JsonValue &C : Rs->Array) {
        ReceiverCallRule RC;
        RC.Function = glob(*C.find("function"));
        if (const JsonValue *N = C.find("receiver"))
          RC.ReceiverArg = static_cast<unsigned>(N->Number);
        R.ReceiverCalls.push_back(std::move(RC));
      }
    R.NeedsEventLoop = globs(A->find("needs_event_loop"));
    R.EventLoops = globs(A->find("event_loops"));
    P->Affinity = std::move(R);
  }
  P->Binders = globs(J.find("binders"));
  P->Factories = globs(J.find("factories"));
  if (const JsonValue *Ms = J.find("marshallers"))
    for (const JsonValue &M : Ms->Array) {
      MarshallerRule R{glob(*M.find("function")), globs(M.find("unless_arg")),
                       std::nullopt, 1, {}};
      if (const JsonValue *Recv = M.find("receiver")) {
        R.ReceiverType = glob(*Recv->find("type"));
        if (const JsonValue *N = Recv->find("min_count"))
          R.ReceiverMinCount = static_cast<unsigned>(N->Number);
      }
      R.OffThreadRemedy = stringOr(M, "off_thread_remedy", "");
      P->Marshallers.push_back(std::move(R));
    }
  P->ThreadGuards = globs(J.find("thread_guards"));
  if (const JsonValue *Ls = J.find("lock_regions"))
    for (const JsonValue &L : Ls->Array) {
      LockRegionRule R;
      if (const JsonValue *E = L.find("enter"))
        R.Enter = glob(*E);
      if (const JsonValue *E = L.find("leave"))
        R.Leave = glob(*E);
      if (const JsonValue *G = L.find("guard"))
        R.Guard = glob(*G);
      P->LockRegions.push_back(std::move(R));
    }
  if (const JsonValue *Ctx = J.find("context")) {
    P->ContextGet = globs(Ctx->find("get"));
    if (const JsonValue *Attach = Ctx->find("attach"))
      for (const JsonValue &A : Attach->Array) {
        ContextAttachRule R{glob(*A.find("function")), 0, 1};
        if (const JsonValue *T = A.find("thread_arg"))
          R.ThreadArg = static_cast<unsigned>(T->Number);
        if (const JsonValue *C = A.find("context_arg"))
          R.ContextArg = static_cast<unsigned>(C->Number);
        P->ContextAttach.push_back(std::move(R));
      }
  }
  if (const JsonValue *Es = J.find("executors"))
    for (const JsonValue &E : Es->Array) {
      ExecutorRule R;
      R.Type = glob(*E.find("type"));
      R.Create = globs(E.find("create"));
      R.Start = strings(E.find("start"));
      R.Shutdown = strings(E.find("shutdown"));
      R.Daemon = strings(E.find("daemon"));
      if (const JsonValue *B = E.find("raii"))
        R.Raii = B->Bool;
      if (const JsonValue *B = E.find("default_idle"))
        R.DefaultIdle = B->Bool;
      R.JoinableWhenArg = globs(E.find("joinable_when_arg"));
      if (const JsonValue *A = E.find("raii_alternative")) {
        R.RaiiAlternative = A->find("type")->String;
        R.RaiiMethods = strings(A->find("methods"));
      }
      R.Global = globs(E.find("global"));
      if (const JsonValue *B = E.find("parent_owned"))
        R.ParentOwned = B->Bool;
      R.OnDestroy = stringOr(E, "on_destroy", "");
      R.Running = strings(E.find("running"));
      R.Bounded = strings(E.find("bounded"));
      P->Executors.push_back(std::move(R));
    }
  if (const JsonValue *PR = J.find("per_run")) {
    PerRunRule R;
    R.Functions = globs(PR->find("functions"));
    R.Overrides = globs(PR->find("overrides"));
    R.Unit = stringOr(*PR, "unit", "run");
    P->PerRun = std::move(R);
  }
  P->Throwing = globs(J.find("throwing"));
  if (const JsonValue *T = J.find("teardown")) {
    P->Teardown.Overrides = globs(T->find("overrides"));
    P->Teardown.Signals = globs(T->find("signals"));
    P->Teardown.Handlers = globs(T->find("handlers"));
  }
  if (const JsonValue *T = J.find("ui_thread")) {
    UiThreadRule R;
    const std::string &Kind = T->find("kind")->String;
    R.K = Kind == "main"           ? UiThreadRule::Kind::Main
          : Kind == "first-caller" ? UiThreadRule::Kind::FirstCaller
                                   : UiThreadRule::Kind::Context;
    R.Functions = globs(T->find("functions"));
    R.Libraries = strings(T->find("libraries"));
    P->UiThread = std::move(R);
  }
  if (const JsonValue *L = J.find("library_threads")) {
    P->LibraryThreads.Names = strings(L->find("names"));
    P->LibraryThreads.Creators = globs(L->find("creators"));
  }
  return P;
}

} // namespace

std::unique_ptr<Pack> parsePack(std::string_view Text, std::string_view File,
                                std::vector<Problem> &Problems) {
  JsonError Error;
  std::optional<JsonValue> J = parseJson(Text, Error);
  if (!J) {
    Problems.push_back({std::string(File), Error.Pos, Error.Path,
                        "invalid JSON: " + Error.Message, Error.Remedy});
    return nullptr;
  }
  SchemaValidator Validator(schemaRoot(), std::string(File), Problems);
  if (!Validator.validate(*J, schemaRoot(), "$"))
    return nullptr;
  // worker_overrides are virtual methods, named with their class; a plain
  // function there would match nothing it was meant to.
  bool Bad = false;
  if (const JsonValue *W = J->find("worker_overrides"))
    for (size_t I = 0; I < W->Array.size(); ++I) {
      const std::string &Name = W->Array[I].String;
      if (Name.find("::") != std::string::npos)
        continue;
      Problems.push_back(
          {std::string(File), W->Array[I].Pos,
           "$.worker_overrides[" + std::to_string(I) + "]",
           "'" + Name + "' names no class method: worker_overrides are "
           "virtual methods (Class::method) whose overrides run on a worker",
           "did you mean to list it in 'worker_entries', for a function that "
           "itself runs on a worker?"});
      Bad = true;
    }
  // A lock region is a pair of calls or a guard class, not both or half.
  if (const JsonValue *L = J->find("lock_regions"))
    for (size_t I = 0; I < L->Array.size(); ++I) {
      const JsonValue &R = L->Array[I];
      bool Enter = R.find("enter"), Leave = R.find("leave"),
           Guard = R.find("guard");
      if (Guard ? !Enter && !Leave : Enter && Leave)
        continue;
      Problems.push_back(
          {std::string(File), R.Pos,
           "$.lock_regions[" + std::to_string(I) + "]",
           Guard ? "a lock region has either a 'guard' class or an "
                   "'enter'/'leave' pair, not both"
                 : "a lock region needs both 'enter' and 'leave' (or a "
                   "'guard' class)",
           "e.g. {\"enter\": \"Fl::lock\", \"leave\": \"Fl::unlock\"} or "
           "{\"guard\": \"juce::MessageManagerLock\"}"});
      Bad = true;
    }
  if (Bad)
    return nullptr;
  return compile(*J, File);
}

std::unique_ptr<Pack> loadPackFile(const std::string &Path,
                                   std::vector<Problem> &Problems) {
  std::ifstream In(Path, std::ios::binary);
  if (!In) {
    Problems.push_back({Path, {}, "", "cannot read the rule pack",
                        "check the path (given to --rules, or in the "
                        "RulePacks option, relative to the working "
                        "directory)"});
    return nullptr;
  }
  std::ostringstream Buf;
  Buf << In.rdbuf();
  return parsePack(Buf.str(), Path, Problems);
}

std::vector<std::unique_ptr<Pack>>
loadShippedPacks(std::vector<Problem> &Problems) {
  std::vector<std::unique_ptr<Pack>> Packs;
  for (const ShippedPack &S : shippedPackTexts())
    if (auto P = parsePack(S.Text, std::string("<builtin>/") + S.FileName,
                           Problems))
      Packs.push_back(std::move(P));
  return Packs;
}

std::vector<std::unique_ptr<Pack>>
loadAllPacks(const std::vector<std::string> &Paths,
             std::vector<Problem> &Problems) {
  std::vector<std::unique_ptr<Pack>> Packs = loadShippedPacks(Problems);
  for (const std::string &Path : Paths) {
    std::unique_ptr<Pack> P = loadPackFile(Path, Problems);
    if (!P)
      continue;
    // Names identify packs in listings and messages: one of each.
    auto Same = std::find_if(Packs.begin(), Packs.end(),
                             [&](const auto &Q) { return Q->Name == P->Name; });
    if (Same != Packs.end()) {
      Problems.push_back({P->File, {}, "$.name",
                          "a pack named '" + P->Name +
                              "' is already loaded from " + (*Same)->File,
                          "give this pack another name"});
      continue;
    }
    Packs.push_back(std::move(P));
  }
  return Packs;
}

} // namespace uisan::rules
