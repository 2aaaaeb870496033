#include "uisan/rules/Json.h"

#include <gtest/gtest.h>

using namespace uisan::rules;

TEST(Json, RecordsPositionsOfValuesAndKeys) {
  JsonError E;
  auto V = parseJson("{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": true}\n}", E);
  ASSERT_TRUE(V) << E.Message;
  const JsonMember *B = V->findMember("b");
  ASSERT_TRUE(B);
  EXPECT_EQ(B->KeyPos.Line, 3u);
  EXPECT_EQ(B->KeyPos.Column, 3u);
  const JsonValue *A = V->find("a");
  ASSERT_TRUE(A);
  ASSERT_EQ(A->Array.size(), 2u);
  EXPECT_EQ(A->Array[1].String, "x");
  EXPECT_EQ(A->Array[1].Pos.Line, 2u);
  EXPECT_EQ(A->Array[1].Pos.Column, 12u);
  EXPECT_TRUE(V->find("b")->find("c")->Bool);
}

TEST(Json, DecodesEscapes) {
  JsonError E;
  auto V = parseJson(R"(["a\"b\\n\u00e9\ud83d\ude00"])", E);
  ASSERT_TRUE(V) << E.Message;
  EXPECT_EQ(V->Array[0].String, "a\"b\\n\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(Json, ReportsWhereTheTextBreaks) {
  struct Case {
    const char *Text;
    unsigned Line, Column;
    const char *Needle;
  } Cases[] = {
      {"{\"a\": 1,}", 1, 9, "quoted key"},
      {"{\"a\" 1}", 1, 6, "':'"},
      {"[1, 2", 1, 6, "end of file"},
      {"{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key 'a'"},
      {"\n\n  tru", 3, 3, "unexpected character"},
      {"[1] x", 1, 5, "after the JSON value"},
      {"\"\x01\"", 1, 2, "control character"},
  };
  for (const Case &C : Cases) {
    JsonError E;
    EXPECT_FALSE(parseJson(C.Text, E)) << C.Text;
    EXPECT_EQ(E.Pos.Line, C.Line) << C.Text;
    EXPECT_EQ(E.Pos.Column, C.Column) << C.Text;
    EXPECT_NE(E.Message.find(C.Needle), std::string::npos)
        << C.Text << " -> " << E.Message;
  }
}

TEST(Json, DeepNestingIsAnErrorNotACrash) {
  std::string Deep(100000, '[');
  JsonError E;
  EXPECT_FALSE(parseJson(Deep, E));
  EXPECT_NE(E.Message.find("256"), std::string::npos) << E.Message;
}
