#include "uisan/rules/Json.h"

#include <gtest/gtest.h>

#include <string>

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

// The parser reads one byte past a number; the next token's place must not
// move with it.
TEST(Json, PositionsAfterNumbersAndOnCrlfLines) {
  JsonError E;
  auto V = parseJson("{\"a\":1,\"b\":[10 , 20,-3.5e1],\r\n \"c\": null}", E);
  ASSERT_TRUE(V) << E.Message;
  const JsonMember *B = V->findMember("b");
  ASSERT_TRUE(B);
  EXPECT_EQ(B->KeyPos.Column, 8u);
  ASSERT_EQ(B->Value.Array.size(), 3u);
  EXPECT_EQ(B->Value.Array[0].Pos.Column, 13u);
  EXPECT_EQ(B->Value.Array[1].Pos.Column, 18u);
  EXPECT_EQ(B->Value.Array[2].Pos.Column, 21u);
  EXPECT_EQ(B->Value.Array[2].Number, -35.0);
  EXPECT_EQ(V->find("a")->Number, 1.0);
  const JsonMember *C = V->findMember("c");
  ASSERT_TRUE(C);
  EXPECT_EQ(C->KeyPos.Line, 2u);
  EXPECT_EQ(C->KeyPos.Column, 2u);
  EXPECT_EQ(C->Value.K, JsonValue::Kind::Null);
}

TEST(Json, ColumnsCountCharactersNotBytes) {
  JsonError E;
  auto V = parseJson("[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\", 1]", E);
  ASSERT_TRUE(V) << E.Message;
  EXPECT_EQ(V->Array[1].Pos.Column, 9u);
}

TEST(Json, DecodesEscapes) {
  JsonError E;
  auto V = parseJson(R"(["a\"b\\n\u00e9\ud83d\ude00\/\b\f\n\r\t\u0041"])", E);
  ASSERT_TRUE(V) << E.Message;
  EXPECT_EQ(V->Array[0].String,
            "a\"b\\n\xC3\xA9\xF0\x9F\x98\x80/\b\f\n\r\tA");
}

TEST(Json, SkipsAByteOrderMarkAndCountsColumnsAfterIt) {
  JsonError E;
  auto V = parseJson("\xEF\xBB\xBF{\"a\": 1}", E);
  ASSERT_TRUE(V) << E.Message;
  EXPECT_EQ(V->Pos.Column, 1u);
  EXPECT_EQ(V->findMember("a")->KeyPos.Column, 2u);
  EXPECT_FALSE(parseJson("\xEF\xBB\xBF{\"a\": tru}", E));
  EXPECT_EQ(E.Pos.Column, 7u);
}

namespace {
struct BadCase {
  const char *Text;
  unsigned Line, Column;
  const char *Message; ///< a part of the message
  const char *Path;    ///< the whole path
};

void expectErrors(const BadCase *Begin, const BadCase *End) {
  for (const BadCase *C = Begin; C != End; ++C) {
    JsonError E;
    EXPECT_FALSE(parseJson(C->Text, E)) << C->Text;
    EXPECT_EQ(E.Pos.Line, C->Line) << C->Text << " -> " << E.Message;
    EXPECT_EQ(E.Pos.Column, C->Column) << C->Text << " -> " << E.Message;
    EXPECT_NE(E.Message.find(C->Message), std::string::npos)
        << C->Text << " -> " << E.Message;
    EXPECT_EQ(E.Path, C->Path) << C->Text << " -> " << E.Message;
  }
}
} // namespace

TEST(Json, ReportsWhereTheTextBreaks) {
  const BadCase Cases[] = {
      {"{\"a\": 1,}", 1, 9, "expected a quoted key", "$"},
      {"{\"a\" 1}", 1, 6, "expected ':' after the key", "$.a"},
      {"{\"a\" \"b\"}", 1, 6, "expected ':' after the key", "$.a"},
      {"{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' in the object", "$"},
      {"{\"a\": }", 1, 7, "unexpected character '}'; expected a value", "$.a"},
      {"[1, 2", 1, 6, "unexpected end of file; expected ',' or ']'", "$"},
      {"[1,]", 1, 4, "unexpected character ']'; expected a value", "$[1]"},
      {"[}", 1, 2, "expected a value or ']'", "$[0]"},
      {"{\"a\": {\"b\": [1, 2 3]}}", 1, 19, "expected ',' or ']' in the array", "$.a.b"},
      {"[01]", 1, 3, "expected ',' or ']' in the array", "$"},
      {"[1-2]", 1, 3, "expected ',' or ']' in the array", "$"},
      {"[1.5e3.2]", 1, 7, "expected ',' or ']' in the array", "$"},
      {"{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key 'a'", "$.a"},
      {"\n\n  tru", 3, 3, "invalid literal 'tru'", "$"},
      {"{\"k\": [1, {\"x\": nul}]}", 1, 17, "invalid literal 'nul'", "$.k[1].x"},
      {"[1] x", 1, 5, "unexpected text after the JSON value", ""},
      {"{\"a\": 1}\n/* c */", 2, 1, "unexpected text after the JSON value", ""},
      {"", 1, 1, "unexpected end of file; expected a value", "$"},
      {"{", 1, 2, "unexpected end of file; expected a quoted key or '}'", "$"},
      {"{\"a\"", 1, 5, "unexpected end of file; expected ':'", "$.a"},
      {"\"\x01\"", 1, 2, "control character U+0001", "$"},
      {"[\"a\nb\"]", 1, 4, "control character U+000A", "$[0]"},
      {"[\"abc", 1, 2, "unterminated string", "$[0]"},
      {"[\"a\\qb\"]", 1, 4, "unknown escape '\\q'", "$[0]"},
      {"[\"\\u12G4\"]", 1, 7, "bad hex digit in a \\u escape", "$[0]"},
      {"[-]", 1, 3, "expected digits in a number", "$[0]"},
      {"[1.]", 1, 4, "expected digits after '.'", "$[0]"},
      {"[1e]", 1, 4, "expected digits in the exponent", "$[0]"},
      {"[1e+]", 1, 5, "expected digits in the exponent", "$[0]"},
      {"[1e999]", 1, 2, "number out of range: '1e999'", "$[0]"},
      {"[\xFF]", 1, 2, "unexpected byte 0xFF; expected a value", "$[0]"},
      {"\xEF\xBB{}", 1, 1, "invalid byte order mark", "$"},
  };
  expectErrors(std::begin(Cases), std::end(Cases));
}

// "\uD800\u0041" used to lose the 'A' without a word, and a lone low
// surrogate became an invalid UTF-8 sequence in the pattern.
TEST(Json, UnpairedSurrogatesAreErrorsAtTheirEscape) {
  const BadCase Cases[] = {
      {"[\"\\uD800\\u0041\"]", 1, 3, "unpaired high surrogate '\\uD800'", "$[0]"},
      {"[\"ok\", \"x\\ud800\"]", 1, 10, "unpaired high surrogate '\\ud800'", "$[1]"},
      {"[\"\\uD800\"]", 1, 3, "unpaired high surrogate '\\uD800'", "$[0]"},
      {"[\"\\uD800\\n\"]", 1, 3, "unpaired high surrogate '\\uD800'", "$[0]"},
      {"[\"\\uD800\\uD800\\uDC00\"]", 1, 3, "unpaired high surrogate '\\uD800'", "$[0]"},
      {"[\"\\uDC00\"]", 1, 3, "lone low surrogate '\\uDC00'", "$[0]"},
      {"[\"\\uD83D\\uDE00\\uDFFF\"]", 1, 15, "lone low surrogate '\\uDFFF'", "$[0]"},
      {"{\"ui\": {\"functions\": [\"st::*\",\n   \"a\\uDC01b\"]}}", 2, 6,
       "lone low surrogate '\\uDC01'", "$.ui.functions[1]"},
      {"{\"\\uDC00\": 1}", 1, 3, "lone low surrogate", "$"},
  };
  expectErrors(std::begin(Cases), std::end(Cases));

  JsonError E;
  EXPECT_FALSE(parseJson("[\"\\uD800\\u0041\"]", E));
  EXPECT_NE(E.Remedy.find("surrogate pair"), std::string::npos) << E.Remedy;
  // A pair is still one character.
  auto V = parseJson("[\"\\uD83D\\uDE00\"]", E);
  ASSERT_TRUE(V) << E.Message;
  EXPECT_EQ(V->Array[0].String, "\xF0\x9F\x98\x80");
}

TEST(Json, InvalidUtf8IsAnErrorAtTheBrokenSequence) {
  const BadCase Cases[] = {
      {"[\"a\xC3(\"]", 1, 4, "invalid UTF-8 in a string (0xC3 0x28)", "$[0]"},
      {"[\"\x80\"]", 1, 3, "invalid UTF-8 in a string (0x80)", "$[0]"},
      {"[\"\xC3\xA9\x80\"]", 1, 4, "invalid UTF-8 in a string (0x80)", "$[0]"},
      {"[\"\xE2\x82\"]", 1, 3, "invalid UTF-8 in a string (0xE2 0x82 0x22)", "$[0]"},
      {"[\"\xC0\xAF\"]", 1, 3, "invalid UTF-8 in a string (0xC0)", "$[0]"},
      {"[\"\xED\xA0\x80\"]", 1, 3, "invalid UTF-8 in a string (0xED 0xA0)", "$[0]"},
      {"[\"\xF4\x90\x80\x80\"]", 1, 3, "invalid UTF-8 in a string (0xF4 0x90)", "$[0]"},
      {"[\"\xC3\xA9\", \"\xFF\"]", 1, 8, "invalid UTF-8 in a string (0xFF)", "$[1]"},
      {"{\"na\xE9me\": 1}", 1, 5, "invalid UTF-8 in a string (0xE9 0x6D)", "$"},
  };
  expectErrors(std::begin(Cases), std::end(Cases));
  JsonError E;
  EXPECT_FALSE(parseJson("[\"\xFF\"]", E));
  EXPECT_NE(E.Remedy.find("UTF-8"), std::string::npos) << E.Remedy;
}

// Keys are kept in a hash table while an object is read: a big object is
// not quadratic, and the error points back at the first key.
TEST(Json, DuplicateKeyNamesTheFirstOne) {
  auto Object = [](const std::string &LastMember) {
    std::string Text = "{\n";
    for (int I = 0; I < 50000; ++I)
      Text += "\"k" + std::to_string(I) + "\": " + std::to_string(I) + ",\n";
    return Text + LastMember + "}";
  };
  JsonError E;
  EXPECT_FALSE(parseJson(Object("\"k123\": 0"), E));
  EXPECT_EQ(E.Message, "duplicate key 'k123'");
  EXPECT_EQ(E.Pos.Line, 50002u);
  EXPECT_EQ(E.Pos.Column, 1u);
  EXPECT_EQ(E.Path, "$.k123");
  EXPECT_EQ(E.Remedy, "keep one; the other is at 125:1");
  auto V = parseJson(Object("\"k-1\": 0"), E);
  ASSERT_TRUE(V) << E.Message;
  EXPECT_EQ(V->Object.size(), 50001u);
  // The same key in two objects is no duplicate.
  EXPECT_TRUE(parseJson(R"([{"a": 1}, {"a": 2, "b": {"a": 3}}])", E)) << E.Message;
}

TEST(Json, DeepNestingIsAnErrorNotACrash) {
  std::string Deep(100000, '[');
  JsonError E;
  EXPECT_FALSE(parseJson(Deep, E));
  EXPECT_NE(E.Message.find("256"), std::string::npos) << E.Message;
  // 257 arrays: the innermost is at depth 256, the limit.
  std::string Ok = std::string(257, '[') + std::string(257, ']');
  EXPECT_TRUE(parseJson(Ok, E)) << E.Message;
  std::string TooDeep = std::string(258, '[') + std::string(258, ']');
  EXPECT_FALSE(parseJson(TooDeep, E));
  EXPECT_EQ(E.Pos.Column, 258u);
}
