// uisan-run --sarif: JSON lines in, a SARIF 2.1.0 log out, with the fields
// the schema requires and code scanning reads.
#include "sarif.h"

#include "uisan/rules/Json.h"

#include <gtest/gtest.h>

using namespace uisan;
using uisan::rules::JsonValue;

namespace {

const char *kUiCall =
    R"j({"kind":"ui-call-off-thread","pid":7,"program":"/bin/app","count":1,"what":"QLabel::setText(QString const&)",)j"
    R"j("toolkit":"qt","ui_thread":"T0","remedy":"marshal it","more_count":2,)j"
    R"j("summary":{"function":"Loader::load()","file":"src/loader.cpp","line":23},)j"
    R"j("thread":{"id":"T1","name":"loader","state":"running","main":false,"created_by":"T0",)j"
    R"j("created_at":[{"pc":"0x1","function":"","file":"","line":0,"module":"/lib/libstdc++.so.6","offset":"0xd4579"},)j"
    R"j({"pc":"0x2","function":"main","file":"src/main.cpp","line":9,"module":"/bin/app","offset":"0x10"}]},)j"
    R"j("stack":[{"pc":"0x3","function":"Loader::load()","file":"src/loader.cpp","line":23,"module":"/bin/app","offset":"0x20"}]})j";

JsonValue parse(const std::string &text) {
  rules::JsonError error;
  auto v = rules::parseJson(text, error);
  EXPECT_TRUE(v) << error.Message << "\n" << text;
  return v ? *v : JsonValue();
}

} // namespace

TEST(Sarif, ResultsCarryTheSummaryAsLocationAndStacksAsThreadFlows) {
  int skipped = -1;
  JsonValue log = parse(sarifFromJsonLines(std::string(kUiCall) + "\n", "9.9", skipped));
  EXPECT_EQ(skipped, 0);
  EXPECT_EQ(log.find("version")->String, "2.1.0");
  ASSERT_EQ(log.find("runs")->Array.size(), 1u);
  const JsonValue &run = log.find("runs")->Array[0];
  const JsonValue *driver = run.find("tool")->find("driver");
  EXPECT_EQ(driver->find("name")->String, "uisan-run");
  EXPECT_EQ(driver->find("version")->String, "9.9");
  ASSERT_EQ(driver->find("rules")->Array.size(), 5u);
  const JsonValue &res = run.find("results")->Array.at(0);
  EXPECT_EQ(res.find("ruleId")->String, "ui-call-off-thread");
  EXPECT_EQ(res.find("ruleIndex")->Number, 0);
  std::string text = res.find("message")->find("text")->String;
  EXPECT_NE(text.find("qt UI call 'QLabel::setText(QString const&)' from thread T1 'loader'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("and 2 more UI calls"), std::string::npos) << text;
  const JsonValue *phys = res.find("locations")->Array.at(0).find("physicalLocation");
  EXPECT_EQ(phys->find("artifactLocation")->find("uri")->String, "src/loader.cpp");
  EXPECT_EQ(phys->find("region")->find("startLine")->Number, 23);
  // The call, then where its thread was created, outermost frame first.
  const JsonValue &flows = res.find("codeFlows")->Array.at(0);
  ASSERT_EQ(flows.find("threadFlows")->Array.size(), 2u);
  const JsonValue &created = flows.find("threadFlows")->Array[1];
  ASSERT_EQ(created.find("locations")->Array.size(), 2u);
  const JsonValue &outer = created.find("locations")->Array[0];
  EXPECT_EQ(outer.find("location")->find("message")->find("text")->String, "main");
  const JsonValue &inner = created.find("locations")->Array[1];
  EXPECT_EQ(inner.find("nestingLevel")->Number, 1);
  EXPECT_EQ(inner.find("location")->find("physicalLocation")->find("artifactLocation")
                ->find("uri")->String,
            "file:///lib/libstdc++.so.6");
  EXPECT_EQ(inner.find("location")->find("message")->find("text")->String,
            "(libstdc++.so.6+0xd4579)");
}

TEST(Sarif, LinesThatAreNoReportsAreSkippedAndCounted) {
  int skipped = 0;
  std::string lines = std::string("{\"kind\":\"ui-call-off-thr") + "\n\n" + "[1,2]\n" + kUiCall;
  JsonValue log = parse(sarifFromJsonLines(lines, "1", skipped));
  EXPECT_EQ(skipped, 2);
  EXPECT_EQ(log.find("runs")->Array[0].find("results")->Array.size(), 1u);
  JsonValue none = parse(sarifFromJsonLines("", "1", skipped));
  EXPECT_EQ(skipped, 0);
  EXPECT_TRUE(none.find("runs")->Array[0].find("results")->Array.empty());
}

TEST(Sarif, Uris) {
  EXPECT_EQ(sarifUri("/src/a b.cpp"), "file:///src/a%20b.cpp");
  EXPECT_EQ(sarifUri("src/x#1.cpp"), "src/x%231.cpp");
}
