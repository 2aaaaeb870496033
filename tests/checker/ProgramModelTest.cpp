//===- ProgramModelTest.cpp - facts, their forms, and the link ------------===//
//
// Each layer alone: facts round-trip through the binary form and refuse
// damaged input; the link and the queries run on facts built by hand; the
// extractor's facts of small sources are asserted on (--dump-facts's JSON).

#include "Facts.h"
#include "Nolint.h"
#include "ProgramModel.h"
#include "UiCallInThreadCheck.h"
#include "FixtureConfig.h"
#include "UisanTidy.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace uisan;
using namespace uisan::tidy;
using facts::Str;

namespace {

facts::Loc at(facts::TranslationUnit &TU, const char *File, unsigned Line) {
  facts::Loc L;
  L.File = TU.intern(File);
  L.Line = Line;
  L.Column = 1;
  return L;
}

facts::Value fn(facts::TranslationUnit &TU, const char *Key) {
  return {facts::Value::Kind::Function, TU.intern(Key)};
}
facts::Value slotValue(facts::TranslationUnit &TU, const char *Key) {
  return {facts::Value::Kind::Slot, TU.intern(Key)};
}

facts::Function function(facts::TranslationUnit &TU, const char *Key,
                         const char *Name, unsigned Line) {
  facts::Function F;
  F.Key = TU.intern(Key);
  F.Name = TU.intern(Name);
  F.At = at(TU, "/p/a.cpp", Line);
  return F;
}

void addSlot(facts::TranslationUnit &TU, const char *Key, const char *Name,
             facts::Slot::Kind K = facts::Slot::Kind::Field) {
  facts::Slot S;
  S.Key = TU.intern(Key);
  S.Name = TU.intern(Name);
  S.K = K;
  TU.Slots.push_back(S);
}

bool nothingSuppressed(const SourceLocationInfo &, llvm::StringRef) { return false; }

} // namespace

TEST(Facts, RoundTripThroughTheBinaryForm) {
  facts::TranslationUnit TU;
  TU.MainFile = "/p/a.cpp";
  facts::Function F = function(TU, "c:@F@work#", "work", 3);
  F.Calls.push_back({facts::Call::Kind::Virtual, TU.intern("c:@S@Job@F@run#"),
                     at(TU, "/p/a.cpp", 4), TU.intern("Job::run"), facts::NoStr, true});
  F.UiCalls.push_back({TU.intern("st::write"), TU.intern("render it there"), false,
                       at(TU, "/p/a.cpp", 5), {}});
  F.Flows.push_back({TU.intern("f:cb"), {fn(TU, "c:@F@cb#")}, at(TU, "/p/a.cpp", 6)});
  F.Throws = true;
  F.StopsParams = {0, facts::HandOver::This};
  F.Connects.push_back({TU.intern("QObject::connect"), TU.intern("c:@S@L@F@found#"),
                        TU.intern("Loader::found"), true, TU.intern("c:@S@W"),
                        TU.intern("window"), facts::Connect::Type::Direct,
                        {fn(TU, "c:@S@W@F@show#")}, at(TU, "/p/a.cpp", 7)});
  F.Moves.push_back({facts::Move::Kind::Back, TU.intern("c:@S@L"), TU.intern("loader"),
                     TU.intern("thread"), at(TU, "/p/a.cpp", 8)});
  F.Emits.push_back({TU.intern("c:@S@L@F@found#"), TU.intern("Loader::found"),
                     at(TU, "/p/a.cpp", 9)});
  F.LoopCalls.push_back({TU.intern("QTimer::start"), at(TU, "/p/a.cpp", 10)});
  F.RunsEventLoop = true;
  F.WorkerEntry = TU.intern("gstreamer");
  TU.Functions.push_back(F);
  addSlot(TU, "f:cb", "Window::cb");
  TU.Dependencies.push_back({TU.intern("/p/a.cpp"), 120, 1700000000, {1, 2, 3}});

  std::string Bytes = facts::serialize(TU);
  EXPECT_EQ(Bytes, facts::serialize(TU)) << "the same facts give the same bytes";
  llvm::Expected<facts::TranslationUnit> Back = facts::deserialize(Bytes, "a.facts");
  ASSERT_TRUE(static_cast<bool>(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(facts::serialize(*Back), Bytes);
  EXPECT_EQ(llvm::formatv("{0}", facts::toJson(*Back)).str(),
            llvm::formatv("{0}", facts::toJson(TU)).str());
  ASSERT_EQ(Back->Functions.size(), 1u);
  EXPECT_EQ(Back->str(Back->Functions[0].Calls[0].Api), "Job::run");
  EXPECT_TRUE(Back->Functions[0].Calls[0].InTry);
  EXPECT_TRUE(Back->Functions[0].Throws);
  const facts::Function &G = Back->Functions[0];
  ASSERT_EQ(G.Connects.size(), 1u);
  EXPECT_EQ(G.Connects[0].T, facts::Connect::Type::Direct);
  EXPECT_TRUE(G.Connects[0].ThreadSignal);
  EXPECT_EQ(Back->str(G.Connects[0].ReceiverText), "window");
  ASSERT_EQ(G.Connects[0].Targets.size(), 1u);
  ASSERT_EQ(G.Moves.size(), 1u);
  EXPECT_EQ(Back->str(G.Moves[0].ThreadText), "thread");
  EXPECT_EQ(G.Moves[0].K, facts::Move::Kind::Back);
  ASSERT_EQ(G.Emits.size(), 1u);
  EXPECT_EQ(Back->str(G.Emits[0].Name), "Loader::found");
  ASSERT_EQ(G.LoopCalls.size(), 1u);
  EXPECT_TRUE(G.RunsEventLoop);
  EXPECT_EQ(Back->str(G.WorkerEntry), "gstreamer");
}

TEST(Facts, DamagedOrForeignInputIsAnErrorNotACrash) {
  facts::TranslationUnit TU;
  TU.Functions.push_back(function(TU, "k", "f", 1));
  std::string Bytes = facts::serialize(TU);
  for (size_t Cut : {size_t(0), size_t(4), size_t(9), Bytes.size() / 2, Bytes.size() - 1}) {
    llvm::Expected<facts::TranslationUnit> R =
        facts::deserialize(llvm::StringRef(Bytes).take_front(Cut), "cut.facts");
    EXPECT_FALSE(static_cast<bool>(R)) << "cut at " << Cut;
    if (!R) {
      EXPECT_NE(llvm::toString(R.takeError()).find("cut.facts"), std::string::npos);
    }
  }
  std::string Other = Bytes;
  Other[8] = static_cast<char>(facts::FormatVersion + 1); // the version byte
  llvm::Expected<facts::TranslationUnit> R = facts::deserialize(Other, "old.facts");
  ASSERT_FALSE(static_cast<bool>(R));
  EXPECT_NE(llvm::toString(R.takeError()).find("extract them again"), std::string::npos);
  // Every single-byte change is either read back or refused, never a crash.
  for (size_t I = 8; I < Bytes.size(); ++I) {
    std::string Bad = Bytes;
    Bad[I] = static_cast<char>(Bad[I] ^ 0x5a);
    llvm::Expected<facts::TranslationUnit> X = facts::deserialize(Bad, "x");
    if (!X)
      llvm::consumeError(X.takeError());
  }
}

TEST(ProgramModel, CallbackStoredInOneFileAndCalledFromAThreadInAnother) {
  // Unit 1: Downloader::run calls onProgress; setOnProgress stores cb.
  facts::TranslationUnit A;
  A.MainFile = "/p/downloader.cpp";
  facts::Function Run = function(A, "run", "Downloader::run", 10);
  Run.ValueCalls.push_back({{slotValue(A, "f:onProgress")}, at(A, "/p/downloader.cpp", 11),
                            facts::NoStr, facts::NoStr});
  facts::Function Set = function(A, "set", "Downloader::setOnProgress", 20);
  Set.Flows.push_back({A.intern("f:onProgress"), {slotValue(A, "p:set#0")},
                       at(A, "/p/downloader.cpp", 21)});
  facts::Function Start = function(A, "start", "Downloader::start", 30);
  Start.Spawns.push_back({A.intern("std::thread::thread"), at(A, "/p/downloader.cpp", 31),
                          {fn(A, "run")}, facts::NoStr});
  A.Functions = {Run, Set, Start};
  addSlot(A, "f:onProgress", "Downloader::onProgress");
  facts::Slot P;
  P.Key = A.intern("p:set#0");
  P.K = facts::Slot::Kind::Param;
  P.Name = A.intern("cb");
  P.Function = A.intern("set");
  P.Owner = A.intern("Downloader::setOnProgress");
  A.Slots.push_back(P);

  // Unit 2: the window passes a lambda that draws.
  facts::TranslationUnit B;
  B.MainFile = "/p/window.cpp";
  facts::Function Show = function(B, "show", "Window::show", 5);
  Show.Flows.push_back({B.intern("p:set#0"), {fn(B, "lambda")}, at(B, "/p/window.cpp", 6)});
  facts::Function Lambda = function(B, "lambda", "operator()", 6);
  Lambda.Lambda = true;
  Lambda.UiCalls.push_back({B.intern("QProgressBar::setValue"), B.intern("marshal it"), false,
                            at(B, "/p/window.cpp", 7), {}});
  B.Functions = {Show, Lambda};

  ProgramModel M({std::move(A), std::move(B)});
  uint32_t Field = M.slot(M.lookup("f:onProgress"));
  ASSERT_NE(Field, ProgramModel::None);
  EXPECT_EQ(M.holds(Field).count(M.lookup("lambda")), 1u) << "the flow crosses units";

  std::vector<Finding> Out;
  findUiCallsInThreads(M, UiCallOptions(), nothingSuppressed, Out);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Loc.File, "/p/window.cpp");
  EXPECT_EQ(Out[0].Loc.Line, 7u);
  std::vector<std::string> Notes;
  for (const FindingNote &N : Out[0].Notes)
    Notes.push_back(N.Loc.File + ":" + std::to_string(N.Loc.Line) + ": " + N.Message);
  std::vector<std::string> Want = {
      "/p/downloader.cpp:11: called from 'Downloader::run' through 'Downloader::onProgress'",
      "/p/downloader.cpp:21: 'Downloader::onProgress' is given 'cb' here",
      "/p/window.cpp:6: the lambda is passed to 'Downloader::setOnProgress' as 'cb' here",
      "/p/downloader.cpp:31: 'Downloader::run' runs on the thread started here"};
  EXPECT_EQ(Notes, Want);
}

TEST(ProgramModel, VirtualCallsReachEveryOverrideAndOnlyThoseThatDrawAreReported) {
  facts::TranslationUnit T;
  facts::Function Loop = function(T, "loop", "Scheduler::loop", 1);
  Loop.Calls.push_back({facts::Call::Kind::Virtual, T.intern("Job::run"),
                        at(T, "/p/a.cpp", 2), T.intern("Job::run"), facts::NoStr, false});
  facts::Function Start = function(T, "start", "start", 3);
  Start.Spawns.push_back({T.intern("std::thread::thread"), at(T, "/p/a.cpp", 4),
                          {fn(T, "loop")}, facts::NoStr});
  facts::Function Render = function(T, "Render::run", "Render::run", 10);
  Render.UiCalls.push_back({T.intern("st::write"), T.intern("r"), false,
                            at(T, "/p/a.cpp", 11), {}});
  facts::Function Compute = function(T, "Compute::run", "Compute::run", 20);
  facts::Function Deep = function(T, "Deep::run", "Deep::run", 30);
  Deep.UiCalls.push_back({T.intern("st::text"), T.intern("r"), false,
                          at(T, "/p/a.cpp", 31), {}});
  T.Functions = {Loop, Start, Render, Compute, Deep};
  T.Overrides = {{T.intern("Render::run"), T.intern("Job::run")},
                 {T.intern("Compute::run"), T.intern("Job::run")},
                 {T.intern("Deep::run"), T.intern("Render::run")}};
  ProgramModel M({std::move(T)});
  EXPECT_EQ(M.overriders(M.lookup("Job::run")).size(), 3u) << "transitively";
  std::vector<Finding> Out;
  findUiCallsInThreads(M, UiCallOptions(), nothingSuppressed, Out);
  ASSERT_EQ(Out.size(), 2u);
  EXPECT_EQ(Out[0].Notes[0].Message,
            "called from 'Scheduler::loop' through a virtual call of 'Job::run', which "
            "'Render::run' overrides");
}

TEST(ProgramModel, OneDefinitionPerPlaceAndThePreferredDefinitionIsTheCallersOwn) {
  // Two programs in one database both define 'page' (two places); an inline
  // helper of a header is in both units at one place.
  auto Unit = [](const char *File, bool Draws) {
    facts::TranslationUnit T;
    T.MainFile = File;
    facts::Function Page = function(T, "page", "page", 1);
    Page.At = at(T, File, 1);
    Page.Spawns.push_back({T.intern("std::thread::thread"), at(T, File, 2),
                           {fn(T, "work")}, facts::NoStr});
    facts::Function Work = function(T, "work", "work", 5);
    Work.At = at(T, File, 5);
    if (Draws)
      Work.UiCalls.push_back({T.intern("st::write"), T.intern("r"), false, at(T, File, 6), {}});
    facts::Function Helper = function(T, "helper", "helper", 1);
    Helper.At = at(T, "/p/common.h", 1);
    T.Functions = {Page, Work, Helper};
    return T;
  };
  ProgramModel M({Unit("/p/good.cpp", false), Unit("/p/bad.cpp", true)});
  EXPECT_EQ(M.definitions(M.lookup("helper"), 0).size(), 1u);
  EXPECT_EQ(M.definitions(M.lookup("page"), 5).size(), 2u) << "no unit of its own: both";
  EXPECT_EQ(M.definitions(M.lookup("work"), 1).size(), 1u) << "its own unit's";
  std::vector<Finding> Out;
  findUiCallsInThreads(M, UiCallOptions(), nothingSuppressed, Out);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Loc.File, "/p/bad.cpp");
}

TEST(ProgramModel, ThrowsFollowCallsAcrossUnitsButNotOutOfTryBlocks) {
  facts::TranslationUnit T;
  facts::Function Open = function(T, "open", "open", 1);
  Open.Throws = true;
  facts::Function Read = function(T, "read", "read", 2);
  Read.Calls.push_back({facts::Call::Kind::Direct, T.intern("open"), at(T, "/p/a.cpp", 2),
                        facts::NoStr, facts::NoStr, false});
  facts::Function Guarded = function(T, "guarded", "guarded", 3);
  Guarded.Calls.push_back({facts::Call::Kind::Direct, T.intern("read"), at(T, "/p/a.cpp", 3),
                           facts::NoStr, facts::NoStr, true});
  T.Functions = {Open, Read, Guarded};
  ProgramModel M({std::move(T)});
  EXPECT_TRUE(M.mayThrow(M.lookup("open")));
  EXPECT_TRUE(M.mayThrow(M.lookup("read")));
  EXPECT_FALSE(M.mayThrow(M.lookup("guarded")));
}

TEST(Nolint, DirectivesAsClangTidyReadsThem) {
  std::string Text = "a(); // NOLINT\n"
                     "b(); // NOLINT(uisan-ui-call-in-thread)\n"
                     "// NOLINTNEXTLINE(other-check)\n"
                     "c();\n"
                     "// NOLINTBEGIN(uisan-*)\n"
                     "d();\n"
                     "// NOLINTEND(uisan-*)\n"
                     "e(); // NOLINT()\n";
  NolintFilter F([&](llvm::StringRef) { return Text; });
  auto At = [](unsigned Line) { return SourceLocationInfo{"/p/a.cpp", Line, 1}; };
  const char *Check = "uisan-ui-call-in-thread";
  EXPECT_TRUE(F.suppressed(At(1), Check));
  EXPECT_TRUE(F.suppressed(At(2), Check));
  EXPECT_FALSE(F.suppressed(At(2), "uisan-context-escape"));
  EXPECT_FALSE(F.suppressed(At(4), Check));
  EXPECT_TRUE(F.suppressed(At(4), "other-check"));
  EXPECT_TRUE(F.suppressed(At(6), Check));
  EXPECT_FALSE(F.suppressed(At(8), Check)) << "an empty list names no check";
}

namespace {
/// The facts uisan-tidy extracts from `Source`, as JSON.
llvm::json::Value dumpFacts(const std::string &Source) {
  char Dir[] = "/tmp/uisan-facts-XXXXXX";
  std::string Path = std::string(mkdtemp(Dir)) + "/a.cpp";
  std::ofstream(Path) << Source;
  Config C;
  C.Files = {Path};
  C.HasFixedArgs = true;
  C.FixedArgs = {"-std=c++17", "-I" UISAN_FIXTURES_DIR "/seed/include"};
  C.DumpFacts = true;
  C.Jobs = 1;
  RunResult R = runUisanTidy(C);
  std::remove(Path.c_str());
  if (R.FactsJson.size() != 1)
    return nullptr;
  return std::move(R.FactsJson[0]);
}

const llvm::json::Object *functionNamed(const llvm::json::Value &TU, llvm::StringRef Name) {
  for (const llvm::json::Value &F : *TU.getAsObject()->getArray("functions"))
    if (F.getAsObject()->getString("name") == Name)
      return F.getAsObject();
  return nullptr;
}
} // namespace

TEST(Extraction, LambdasAreFunctionsAndTheirValuesFlow) {
  llvm::json::Value TU = dumpFacts(R"(#include <functional>
#include <thread>
struct Downloader {
  std::function<void(int)> onProgress;
  void set(std::function<void(int)> cb) { onProgress = std::move(cb); }
  void run() { onProgress(5); }
};
void start(Downloader &d) {
  d.set([](int) {});
  std::thread t(&Downloader::run, &d);
  t.join();
}
)");
  ASSERT_NE(TU.getAsObject(), nullptr);
  const llvm::json::Object *Set = functionNamed(TU, "Downloader::set");
  ASSERT_NE(Set, nullptr);
  const llvm::json::Array *Flows = Set->getArray("flows");
  ASSERT_EQ(Flows->size(), 1u);
  EXPECT_TRUE(Flows->front().getAsObject()->getString("slot")->starts_with("f:"));
  const llvm::json::Object *Run = functionNamed(TU, "Downloader::run");
  ASSERT_NE(Run, nullptr);
  EXPECT_EQ(Run->getArray("value_calls")->size(), 1u);
  const llvm::json::Object *Start = functionNamed(TU, "start");
  ASSERT_NE(Start, nullptr);
  ASSERT_EQ(Start->getArray("spawns")->size(), 1u);
  // The lambda is passed to 'set''s parameter and is a function of its own.
  bool ToParam = false;
  for (const llvm::json::Value &F : *Start->getArray("flows"))
    ToParam |= F.getAsObject()->getString("slot")->starts_with("p:");
  EXPECT_TRUE(ToParam);
  unsigned Lambdas = 0;
  for (const llvm::json::Value &F : *TU.getAsObject()->getArray("functions"))
    Lambdas += F.getAsObject()->getBoolean("lambda").value_or(false);
  EXPECT_EQ(Lambdas, 1u);
}

TEST(Extraction, AnAlgorithmCallsWhatItIsGivenAContainerOnlyKeepsIt) {
  llvm::json::Value TU = dumpFacts(R"(#include <algorithm>
#include <functional>
#include <vector>
void f(std::vector<int> &v, std::vector<std::function<void()>> &jobs) {
  std::for_each(v.begin(), v.end(), [](int) {});
  jobs.push_back([] {});
  for (auto it = jobs.begin(); it != jobs.end(); ++it) {
  }
}
)");
  ASSERT_NE(TU.getAsObject(), nullptr);
  const llvm::json::Object *F = functionNamed(TU, "f");
  ASSERT_NE(F, nullptr);
  ASSERT_EQ(F->getArray("value_calls")->size(), 1u) << "std::for_each only";
  const llvm::json::Array *Callees =
      F->getArray("value_calls")->front().getAsObject()->getArray("callees");
  ASSERT_EQ(Callees->size(), 1u);
  EXPECT_TRUE(Callees->front().getAsObject()->get("function"));
  bool IntoJobs = false;
  for (const llvm::json::Value &Fl : *F->getArray("flows"))
    IntoJobs |= Fl.getAsObject()->getString("slot")->ends_with("#1");
  EXPECT_TRUE(IntoJobs) << "push_back stores into the parameter's container";
}
