// rules_pack_fuzzer: a user's rule pack (uisan-tidy --rules, uisan-run
// --rules) through the JSON reader, the schema validation and the compiled
// pack, all in memory through parsePack().
//
// A pack is used whole or not at all: parsePack returns a pack exactly when
// it reports no problem, and every problem prints with a place. A pack that
// loads is matched against a few names, as the checker and runtime do.
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
