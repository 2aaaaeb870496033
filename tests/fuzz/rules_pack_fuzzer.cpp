// rules_pack_fuzzer: a user's rule pack (uisan-tidy --rules, uisan-run
// --rules) through the JSON reader, the schema validation and the compiled
// pack, all in memory through parsePack().
//
// A pack is used whole or not at all: parsePack returns a pack exactly when
// it reports no problem, and every problem prints with a place. A pack that
// loads is matched against a few names, as the checker and runtime do.
// Every string and key of a text the reader accepts is valid UTF-8 (no
// surrogate code points either), checked here independently of the reader.
#include "uisan/rules/Json.h"
#include "uisan/rules/RulePack.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace uisan::rules;

namespace {

void fail(const char *what) {
  std::fprintf(stderr, "rules_pack_fuzzer: %s\n", what);
  std::abort();
}

const char *const Names[] = {
    "st::text", "st::DeltaGenerator::write", "Jt::TextComponent::use",
    "QWidget::setText", "QLabel::QLabel", "gtk_label_set_text", "g_idle_add",
    "std::thread::thread", "std::async", "wxFrame::SetTitle",
    "ns::Widget<int>::operator()", "", "::", "a::b::c::d::e::f::g::h"};

size_t matchAll(const GlobList &L) {
  size_t N = 0;
  for (const char *Name : Names)
    N += L.matches(Name);
  return N;
}

/// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool validUtf8(std::string_view S) {
  for (size_t I = 0; I < S.size();) {
    unsigned char C = static_cast<unsigned char>(S[I]);
    size_t N = C < 0x80 ? 1 : (C & 0xE0) == 0xC0 ? 2 : (C & 0xF0) == 0xE0 ? 3
             : (C & 0xF8) == 0xF0 ? 4 : 0;
    if (!N || I + N > S.size())
      return false;
    unsigned long CP = N == 1 ? C : C & (0x7F >> N);
    for (size_t K = 1; K < N; ++K) {
      unsigned char D = static_cast<unsigned char>(S[I + K]);
      if ((D & 0xC0) != 0x80)
        return false;
      CP = CP << 6 | (D & 0x3F);
    }
    static const unsigned long Least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (CP < Least[N] || CP > 0x10FFFF || (CP >= 0xD800 && CP <= 0xDFFF))
      return false;
    I += N;
  }
  return true;
}

void checkStrings(const JsonValue &V) {
  if (V.K == JsonValue::Kind::String && !validUtf8(V.String))
    fail("the reader accepted a string that is not valid UTF-8");
  for (const JsonValue &Item : V.Array)
    checkStrings(Item);
  for (const JsonMember &M : V.Object) {
    if (!validUtf8(M.Key))
      fail("the reader accepted a key that is not valid UTF-8");
    checkStrings(M.Value);
  }
}

size_t exercise(const Pack &P) {
  size_t N = matchAll(P.UiFunctions) + matchAll(P.UiExcept) +
             matchAll(P.WorkerOverrides) + matchAll(P.Binders) +
             matchAll(P.ThreadGuards) + matchAll(P.ContextGet) +
             matchAll(P.Throwing);
  for (const UiClassRule &R : P.UiClasses)
    for (const char *Name : Names)
      N += R.Name.matches(Name) + R.Except.matches(Name);
  for (const UiPrefixRule &R : P.UiPrefixes)
    N += matchAll(R.Except) + R.Prefix.size();
  for (const SpawnerRule &R : P.Spawners)
    for (const char *Name : Names)
      N += R.Function.matches(Name) + R.UnlessArg.matches(Name);
  for (const MarshallerRule &R : P.Marshallers)
    for (const char *Name : Names)
      N += R.Function.matches(Name) + (R.ReceiverType && R.ReceiverType->matches(Name));
  for (const ContextAttachRule &R : P.ContextAttach)
    for (const char *Name : Names)
      N += R.Function.matches(Name);
  for (const ExecutorRule &R : P.Executors)
    for (const char *Name : Names)
      N += R.Type.matches(Name) + R.Create.matches(Name) +
           R.JoinableWhenArg.matches(Name) + R.Global.matches(Name);
  if (P.PerRun)
    N += matchAll(P.PerRun->Functions) + matchAll(P.PerRun->Overrides);
  if (P.UiThread)
    N += matchAll(P.UiThread->Functions);
  return N;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string_view Text(reinterpret_cast<const char *>(Data), Size);

  std::vector<Problem> Problems;
  std::unique_ptr<Pack> P = parsePack(Text, "fuzz.json", Problems);
  if (!P == Problems.empty())
    fail(P ? "a pack loaded with problems" : "a pack refused without a problem");
  for (const Problem &Pr : Problems) {
    if (Pr.Message.empty())
      fail("a problem without a message");
    if (formatProblem(Pr).find("fuzz.json") == std::string::npos)
      fail("a problem that does not name the file");
  }
  if (P) {
    volatile size_t Sink = exercise(*P);
    (void)Sink;
  }

  // The JSON reader alone, as the schema loader and --list-rules use it.
  JsonError Error;
  std::optional<JsonValue> V = parseJson(Text, Error);
  if (!V && Error.Message.empty())
    fail("JSON refused without a reason");
  if (V)
    checkStrings(*V);

  // Short inputs are also pattern texts of their own.
  if (Size <= 256) {
    std::string Why;
    if (std::optional<Glob> G = Glob::compile(Text, Why)) {
      volatile bool Sink = G->matches(Text) ? G->matches("st::text") : false;
      (void)Sink;
    } else if (Why.empty()) {
      fail("pattern refused without a reason");
    }
  }
  return 0;
}
