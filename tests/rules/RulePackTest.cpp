#include "uisan/rules/RulePack.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace uisan::rules;

namespace {
std::string allProblems(const std::vector<Problem> &Ps) {
  std::string S;
  for (const Problem &P : Ps)
    S += formatProblem(P) + "\n";
  return S;
}

std::vector<Problem> problemsOf(const std::string &Text) {
  std::vector<Problem> Ps;
  EXPECT_FALSE(parsePack(Text, "bad.json", Ps)) << Text;
  EXPECT_FALSE(Ps.empty());
  return Ps;
}
} // namespace

TEST(RulePack, ShippedPacksLoadAndCoverTheToolkits) {
  std::vector<Problem> Ps;
  auto Packs = loadShippedPacks(Ps);
  EXPECT_TRUE(Ps.empty()) << allProblems(Ps);
  std::vector<std::string> Names;
  for (const auto &P : Packs)
    Names.push_back(P->Name);
  for (const char *Want : {"seed", "std", "qt", "gtk", "gtkmm", "gstreamer", "wx",
                           "boost", "imgui", "fltk", "sdl2", "juce"})
    EXPECT_NE(std::find(Names.begin(), Names.end(), Want), Names.end())
        << Want;
}

TEST(RulePack, EmbeddedSchemaIsTheFileInTheRepository) {
  std::ifstream In(std::string(UISAN_RULES_DIR) +
                   "/schema/uisan-rules.schema.json");
  std::stringstream SS;
  SS << In.rdbuf();
  EXPECT_EQ(SS.str(), packSchemaText());
}

TEST(RulePack, CompilesEveryEntryKind) {
  const char *Text = R"({
    "format": 1, "name": "inhouse", "description": "d",
    "remedy": "post it with 'Ui::post'",
    "ui": {"classes": [{"name": "ui::Widget", "subclasses": false,
                        "except": ["ui::Widget::id"]}],
           "functions": ["ui::draw*"],
           "prefixes": [{"prefix": "ui_", "except": ["ui_version"]}],
           "except": ["ui::drawSafe"]},
    "signals": {"sections": ["signals"], "markers": ["SIG"]},
    "spawners": [{"function": "rt::spawn", "callable": 1,
                  "unless_arg": ["rt::inline_now"]},
                 {"function": "rt::go"}],
    "worker_overrides": ["rt::Task::run"],
    "binders": ["rt::bind"],
    "marshallers": [{"function": "ui::post", "unless_arg": ["ui::Now"],
                     "receiver": {"type": "ui::Object", "min_count": 2}}],
    "thread_guards": ["ui::isUiThread"],
    "context": {"get": ["rt::ctx"], "attach": [{"function": "rt::attach",
                "thread_arg": 1, "context_arg": 0}]},
    "library_threads": {"names": ["ui-io", "ui-pool-*"], "creators": ["rt::bg*"]},
    "ui_thread": {"kind": "first-caller", "functions": ["ui::init"],
                  "libraries": ["librt-app.so*"]}
  })";
  std::vector<Problem> Ps;
  auto P = parsePack(Text, "inhouse.json", Ps);
  ASSERT_TRUE(P) << allProblems(Ps);
  EXPECT_EQ(P->Remedy, "post it with 'Ui::post'");
  EXPECT_EQ(P->UiThreadName, "UI thread");
  ASSERT_EQ(P->UiClasses.size(), 1u);
  EXPECT_FALSE(P->UiClasses[0].Subclasses);
  EXPECT_TRUE(P->UiClasses[0].Except.matches("ui::Widget::id"));
  EXPECT_TRUE(P->UiFunctions.matches("ui::drawLine"));
  EXPECT_TRUE(P->UiExcept.matches("ui::drawSafe"));
  ASSERT_EQ(P->UiPrefixes.size(), 1u);
  EXPECT_EQ(P->UiPrefixes[0].Prefix, "ui_");
  EXPECT_EQ(P->SignalMarkers, std::vector<std::string>{"SIG"});
  ASSERT_EQ(P->Spawners.size(), 2u);
  EXPECT_EQ(P->Spawners[0].CallableArg, 1);
  EXPECT_EQ(P->Spawners[1].CallableArg, -1);
  EXPECT_TRUE(P->Spawners[0].UnlessArg.matches("rt::inline_now"));
  ASSERT_EQ(P->Marshallers.size(), 1u);
  ASSERT_TRUE(P->Marshallers[0].ReceiverType);
  EXPECT_EQ(P->Marshallers[0].ReceiverMinCount, 2u);
  ASSERT_EQ(P->ContextAttach.size(), 1u);
  EXPECT_EQ(P->ContextAttach[0].ThreadArg, 1u);
  EXPECT_EQ(P->ContextAttach[0].ContextArg, 0u);
  ASSERT_TRUE(P->UiThread);
  EXPECT_EQ(P->UiThread->K, UiThreadRule::Kind::FirstCaller);
  EXPECT_EQ(P->UiThread->Libraries, std::vector<std::string>{"librt-app.so*"});
  EXPECT_EQ(P->LibraryThreads.Names, (std::vector<std::string>{"ui-io", "ui-pool-*"}));
  EXPECT_TRUE(P->LibraryThreads.Creators.matches("rt::bgStart"));
}

TEST(RulePack, AffinityLibraryCallbacksAndWorkerEntries) {
  const char *Text = R"({
    "format": 1, "name": "media", "description": "d",
    "spawners": [{"function": "g_signal_connect_data", "callable": 2,
                  "library_thread": "a streaming thread",
                  "receiver": {"type": "Gst*", "arg": 0},
                  "signal": {"arg": 1, "names": ["pad-added", "notify::*"]}}],
    "worker_entries": ["Sink::onBuffer", "on_event"],
    "affinity": {"object_class": "QObject", "move": ["QObject::moveToThread"],
                 "connect": ["QObject::connect"], "thread_signals": ["QThread::started"],
                 "direct": ["Qt::DirectConnection"], "queued": ["Qt::QueuedConnection"],
                 "receiver_calls": [{"function": "QTimer::singleShot", "receiver": 1}],
                 "needs_event_loop": ["QTimer::start"], "event_loops": ["QThread::exec"]}
  })";
  std::vector<Problem> Ps;
  auto P = parsePack(Text, "media.json", Ps);
  ASSERT_TRUE(P) << allProblems(Ps);
  ASSERT_EQ(P->Spawners.size(), 1u);
  const SpawnerRule &S = P->Spawners[0];
  EXPECT_EQ(S.LibraryThread, "a streaming thread");
  ASSERT_TRUE(S.ReceiverType);
  EXPECT_TRUE(S.ReceiverType->matches("GstElement"));
  EXPECT_EQ(S.SignalArg, 1);
  EXPECT_TRUE(S.Signals.matches("notify::caps"));
  EXPECT_FALSE(S.Signals.matches("clicked"));
  EXPECT_TRUE(P->WorkerEntries.matches("on_event"));
  ASSERT_TRUE(P->Affinity);
  EXPECT_TRUE(P->Affinity->Move.matches("QObject::moveToThread"));
  ASSERT_EQ(P->Affinity->ReceiverCalls.size(), 1u);
  EXPECT_EQ(P->Affinity->ReceiverCalls[0].ReceiverArg, 1u);
  EXPECT_TRUE(P->Affinity->EventLoops.matches("QThread::exec"));
}

TEST(RulePack, WorkerOverrideWithoutAClassPointsToWorkerEntries) {
  auto Ps = problemsOf("{\"format\": 1, \"name\": \"x\", \"description\": \"d\",\n"
                       " \"worker_overrides\": [\"Job::run\", \"on_sample\"]}");
  ASSERT_EQ(Ps.size(), 1u) << allProblems(Ps);
  EXPECT_EQ(Ps[0].Pos.Line, 2u);
  EXPECT_EQ(Ps[0].JsonPath, "$.worker_overrides[1]");
  EXPECT_NE(Ps[0].Message.find("'on_sample'"), std::string::npos) << Ps[0].Message;
  EXPECT_NE(Ps[0].Remedy.find("worker_entries"), std::string::npos) << Ps[0].Remedy;
}

TEST(RulePack, LibraryThreadsTakeNamesAndCreatorsOnly) {
  auto Ps = problemsOf("{\"format\": 1, \"name\": \"x\", \"description\": \"d\",\n"
                       " \"library_threads\": {\"name\": [\"gmain\"]}}");
  ASSERT_EQ(Ps.size(), 1u) << allProblems(Ps);
  EXPECT_EQ(Ps[0].Pos.Line, 2u);
  EXPECT_NE(Ps[0].Message.find("'name'"), std::string::npos) << Ps[0].Message;
  EXPECT_NE(Ps[0].Remedy.find("names"), std::string::npos) << Ps[0].Remedy;
  auto Empty = problemsOf("{\"format\": 1, \"name\": \"x\", \"description\": \"d\",\n"
                          " \"library_threads\": {\"names\": [\"\"]}}");
  EXPECT_EQ(Empty.size(), 1u) << allProblems(Empty);
}

TEST(RulePack, UnknownKeyNamesLinePathAndSuggestion) {
  auto Ps = problemsOf("{\"format\": 1, \"name\": \"x\", \"description\": \"d\",\n"
                       " \"ui\": {\"classes\": [{\"name\": \"W\",\n"
                       "   \"subclass\": true}]}}");
  ASSERT_EQ(Ps.size(), 1u) << allProblems(Ps);
  EXPECT_EQ(Ps[0].File, "bad.json");
  EXPECT_EQ(Ps[0].Pos.Line, 3u);
  EXPECT_EQ(Ps[0].Pos.Column, 4u);
  EXPECT_EQ(Ps[0].JsonPath, "$.ui.classes[0].subclass");
  EXPECT_EQ(Ps[0].Remedy, "did you mean 'subclasses'?");
  EXPECT_EQ(formatProblem(Ps[0]),
            "bad.json:3:4: error: unknown key 'subclass' [at "
            "$.ui.classes[0].subclass]; did you mean 'subclasses'?");
}

TEST(RulePack, UnknownKeyWithNoNearNameListsTheAllowedOnes) {
  auto Ps = problemsOf(R"({"format": 1, "name": "x", "description": "d",
                           "zzzzzz": 1})");
  ASSERT_EQ(Ps.size(), 1u);
  EXPECT_NE(Ps[0].Remedy.find("allowed keys here: '$schema', 'format'"),
            std::string::npos)
      << Ps[0].Remedy;
}

TEST(RulePack, BadPatternIsExplained) {
  auto Ps = problemsOf(R"({"format": 1, "name": "x", "description": "d",
                           "spawners": [{"function": "std:thread"}]})");
  ASSERT_EQ(Ps.size(), 1u);
  EXPECT_EQ(Ps[0].JsonPath, "$.spawners[0].function");
  EXPECT_NE(Ps[0].Message.find("did you mean '::'"), std::string::npos)
      << Ps[0].Message;
}

TEST(RulePack, TypeEnumAndRequiredErrors) {
  auto Ps = problemsOf(R"({"format": 2, "name": "Bad Name",
                           "spawners": [{"function": "f", "callable": "first"},
                                        {"callable": -1}],
                           "ui_thread": {"kind": "mian"},
                           "ui": {"functions": "st::*"}})");
  std::string All = allProblems(Ps);
  EXPECT_NE(All.find("missing required key 'description' [at $]"),
            std::string::npos)
      << All;
  EXPECT_NE(All.find("2 is not one of 1 [at $.format]"), std::string::npos)
      << All;
  EXPECT_NE(All.find("'Bad Name' does not match"), std::string::npos) << All;
  EXPECT_NE(All.find("expected an integer >= 0 or 'auto', found 'first' [at "
                     "$.spawners[0].callable]"),
            std::string::npos)
      << All;
  EXPECT_NE(All.find("missing required key 'function' [at $.spawners[1]]"),
            std::string::npos)
      << All;
  EXPECT_NE(All.find("'mian' is not one of 'main', 'first-caller', 'context' "
                     "[at $.ui_thread.kind]; did you mean 'main'?"),
            std::string::npos)
      << All;
  EXPECT_NE(All.find("expected an array, found a string [at "
                     "$.ui.functions]"),
            std::string::npos)
      << All;
}

TEST(RulePack, InvalidJsonAndUnreadableFile) {
  std::vector<Problem> Ps;
  EXPECT_FALSE(parsePack("{\n  \"format\": 1,\n}", "broken.json", Ps));
  ASSERT_EQ(Ps.size(), 1u);
  EXPECT_EQ(formatProblem(Ps[0]),
            "broken.json:3:1: error: invalid JSON: expected a quoted key [at $]");
  Ps.clear();
  EXPECT_FALSE(loadPackFile("/nonexistent/pack.json", Ps));
  ASSERT_EQ(Ps.size(), 1u);
  EXPECT_NE(formatProblem(Ps[0]).find("/nonexistent/pack.json: error: cannot "
                                      "read the rule pack"),
            std::string::npos);
}

// A pack whose pattern has half a surrogate pair is refused at the escape,
// with the path of the pattern; the good pack beside it is still loaded.
TEST(RulePack, BrokenStringIsAnErrorAndTheOtherPacksLoad) {
  std::string Dir = ::testing::TempDir();
  std::string Bad = Dir + "/uisan-bad-surrogate.json";
  std::string Good = Dir + "/uisan-good.json";
  std::ofstream(Bad) << "{\"format\": 1, \"name\": \"bad\", \"description\": \"d\",\n"
                        " \"ui\": {\"functions\": [\"acme::\\uD800\\u0041\"]}}";
  std::ofstream(Good) << "{\"format\": 1, \"name\": \"good\", \"description\": \"d\",\n"
                         " \"ui\": {\"functions\": [\"acme::\\u0041*\"]}}";
  std::vector<Problem> Ps;
  auto Packs = loadAllPacks({Bad, Good}, Ps);
  ASSERT_EQ(Ps.size(), 1u) << allProblems(Ps);
  EXPECT_EQ(Ps[0].File, Bad);
  EXPECT_EQ(Ps[0].Pos.Line, 2u);
  EXPECT_EQ(Ps[0].Pos.Column, 30u);
  EXPECT_EQ(Ps[0].JsonPath, "$.ui.functions[0]");
  EXPECT_EQ(Ps[0].Message, "invalid JSON: unpaired high surrogate '\\uD800' in a string");
  EXPECT_NE(Ps[0].Remedy.find("write the pair"), std::string::npos) << Ps[0].Remedy;
  const Pack *Loaded = nullptr;
  for (const auto &P : Packs) {
    EXPECT_NE(P->Name, "bad");
    if (P->Name == "good")
      Loaded = P.get();
  }
  ASSERT_TRUE(Loaded);
  EXPECT_TRUE(Loaded->UiFunctions.matches("acme::Apply"));
  EXPECT_FALSE(Loaded->UiFunctions.matches("acme::apply"));
  std::remove(Bad.c_str());
  std::remove(Good.c_str());
}

TEST(RulePack, ClosestMatch) {
  EXPECT_EQ(closestMatch("spawner", {"spawners", "signals"}), "spawners");
  EXPECT_EQ(closestMatch("xyzzy", {"spawners", "signals"}), "");
}

TEST(RulePack, LockRegionsAndSignatureExcepts) {
  const char *Text = R"json({
    "format": 1, "name": "tk", "description": "d",
    "ui": {"classes": [{"name": "Tk_Widget",
                        "except": ["Tk_Widget::value() const"]}],
           "except": ["tk_*(const char*)"]},
    "marshallers": [{"function": "Tk::idle", "off_thread_remedy": "use Tk::post"}],
    "lock_regions": [{"enter": "Tk::lock", "leave": "Tk::unlock"},
                     {"guard": "Tk::Locker"}]
  })json";
  std::vector<Problem> Ps;
  auto P = parsePack(Text, "tk.json", Ps);
  ASSERT_TRUE(P) << allProblems(Ps);
  const auto &Except = P->UiClasses[0].Except;
  EXPECT_FALSE(Except.matches("Tk_Widget::value"));
  EXPECT_TRUE(Except.matches("Tk_Widget::value", "Tk_Widget::value()const"));
  EXPECT_FALSE(Except.matches("Tk_Widget::value", "Tk_Widget::value(double)"));
  EXPECT_TRUE(P->UiExcept.matches("tk_puts", "tk_puts(constchar*)"));
  EXPECT_EQ(P->Marshallers[0].OffThreadRemedy, "use Tk::post");
  ASSERT_EQ(P->LockRegions.size(), 2u);
  EXPECT_TRUE(P->LockRegions[0].Enter->matches("Tk::lock"));
  EXPECT_TRUE(P->LockRegions[0].Leave->matches("Tk::unlock"));
  EXPECT_FALSE(P->LockRegions[0].Guard);
  EXPECT_TRUE(P->LockRegions[1].Guard->matches("Tk::Locker"));
}

TEST(RulePack, HalfALockRegionOrASignatureOutsideExceptIsAnError) {
  auto Half = problemsOf("{\"format\": 1, \"name\": \"x\", \"description\": \"d\",\n"
                         " \"lock_regions\": [{\"enter\": \"Tk::lock\"}]}");
  ASSERT_EQ(Half.size(), 1u) << allProblems(Half);
  EXPECT_EQ(Half[0].Pos.Line, 2u);
  EXPECT_EQ(Half[0].JsonPath, "$.lock_regions[0]");
  EXPECT_NE(Half[0].Message.find("'leave'"), std::string::npos) << Half[0].Message;
  auto Both = problemsOf("{\"format\": 1, \"name\": \"x\", \"description\": \"d\",\n"
                         " \"lock_regions\": [{\"enter\": \"a\", \"leave\": \"b\", \"guard\": \"G\"}]}");
  ASSERT_EQ(Both.size(), 1u) << allProblems(Both);
  EXPECT_NE(Both[0].Message.find("not both"), std::string::npos) << Both[0].Message;
  auto Sig = problemsOf("{\"format\": 1, \"name\": \"x\", \"description\": \"d\",\n"
                        " \"thread_guards\": [\"Tk::isMain() const\"]}");
  ASSERT_EQ(Sig.size(), 1u) << allProblems(Sig);
  EXPECT_EQ(Sig[0].JsonPath, "$.thread_guards[0]");
  EXPECT_NE(Sig[0].Message.find("'except' lists"), std::string::npos) << Sig[0].Message;
}
