//===- Json.cpp - a JSON reader that remembers positions ------------------===//

#include "uisan/rules/Json.h"

#include <cmath>
#include <cstdlib>

namespace uisan::rules {

const JsonValue::Member *JsonValue::findMember(std::string_view Key) const {
  for (const Member &M : Object)
    if (M.Key == Key)
      return &M;
  return nullptr;
}

const JsonValue *JsonValue::find(std::string_view Key) const {
  const Member *M = findMember(Key);
  return M ? &M->Value : nullptr;
}

bool JsonValue::isInteger() const {
  return K == Kind::Number && std::floor(Number) == Number &&
         std::fabs(Number) < 1e15;
}

const char *jsonKindName(JsonValue::Kind K) {
  switch (K) {
  case JsonValue::Kind::Null:
    return "null";
  case JsonValue::Kind::Bool:
    return "boolean";
  case JsonValue::Kind::Number:
    return "number";
  case JsonValue::Kind::String:
    return "string";
  case JsonValue::Kind::Array:
    return "array";
  case JsonValue::Kind::Object:
    return "object";
  }
  return "?";
}

namespace {

/// Recursive-descent parser over a string_view, tracking line and column.
class Parser {
public:
  Parser(std::string_view Text, JsonError &Error) : Text(Text), Error(Error) {}

  std::optional<JsonValue> parseDocument() {
    skipSpace();
    JsonValue V;
    if (!parseValue(V, 0))
      return std::nullopt;
    skipSpace();
    if (I != Text.size())
      return fail("unexpected text after the JSON value");
    return V;
  }

private:
  std::string_view Text;
  JsonError &Error;
  size_t I = 0;
  unsigned Line = 1, Column = 1;

  SourcePos here() const { return {Line, Column}; }

  std::nullopt_t fail(std::string Message) {
    if (Error.Message.empty()) {
      Error.Pos = here();
      Error.Message = std::move(Message);
    }
    return std::nullopt;
  }

  void advance() {
    if (Text[I] == '\n') {
      ++Line;
      Column = 1;
    } else if ((static_cast<unsigned char>(Text[I]) & 0xC0) != 0x80) {
      ++Column; // count code points, not UTF-8 continuation bytes
    }
    ++I;
  }

  void skipSpace() {
    while (I < Text.size() && (Text[I] == ' ' || Text[I] == '\t' ||
                               Text[I] == '\n' || Text[I] == '\r'))
      advance();
  }

  bool literal(std::string_view Word) {
    if (Text.substr(I, Word.size()) != Word)
      return false;
    for (size_t N = 0; N < Word.size(); ++N)
      advance();
    return true;
  }

  bool parseValue(JsonValue &V, unsigned Depth) {
    if (Depth > 256) {
      fail("JSON nested more than 256 levels deep");
      return false;
    }
    V.Pos = here();
    if (I >= Text.size()) {
      fail("unexpected end of file; expected a value");
      return false;
    }
    char C = Text[I];
    if (C == '{')
      return parseObject(V, Depth);
    if (C == '[')
      return parseArray(V, Depth);
    if (C == '"') {
      V.K = JsonValue::Kind::String;
      return parseString(V.String);
    }
    if (C == '-' || (C >= '0' && C <= '9'))
      return parseNumber(V);
    if (literal("true")) {
      V.K = JsonValue::Kind::Bool;
      V.Bool = true;
      return true;
    }
    if (literal("false")) {
      V.K = JsonValue::Kind::Bool;
      return true;
    }
    if (literal("null"))
      return true;
    fail(std::string("unexpected character '") + C + "'; expected a value");
    return false;
  }

  bool parseObject(JsonValue &V, unsigned Depth) {
    V.K = JsonValue::Kind::Object;
    advance(); // '{'
    skipSpace();
    if (I < Text.size() && Text[I] == '}') {
      advance();
      return true;
    }
    for (;;) {
      skipSpace();
      if (I >= Text.size() || Text[I] != '"') {
        fail("expected a quoted key");
        return false;
      }
      JsonValue::Member M;
      M.KeyPos = here();
      if (!parseString(M.Key))
        return false;
      skipSpace();
      if (I >= Text.size() || Text[I] != ':') {
        fail("expected ':' after the key");
        return false;
      }
      advance();
      skipSpace();
      if (!parseValue(M.Value, Depth + 1))
        return false;
      if (V.findMember(M.Key)) {
        Error.Pos = M.KeyPos;
        Error.Message = "duplicate key '" + M.Key + "'";
        return false;
      }
      V.Object.push_back(std::move(M));
      skipSpace();
      if (I < Text.size() && Text[I] == ',') {
        advance();
        continue;
      }
      if (I < Text.size() && Text[I] == '}') {
        advance();
        return true;
      }
      fail(I >= Text.size() ? "unexpected end of file; expected ',' or '}'"
                            : "expected ',' or '}' in the object");
      return false;
    }
  }

  bool parseArray(JsonValue &V, unsigned Depth) {
    V.K = JsonValue::Kind::Array;
    advance(); // '['
    skipSpace();
    if (I < Text.size() && Text[I] == ']') {
      advance();
      return true;
    }
    for (;;) {
      skipSpace();
      JsonValue Item;
      if (!parseValue(Item, Depth + 1))
        return false;
      V.Array.push_back(std::move(Item));
      skipSpace();
      if (I < Text.size() && Text[I] == ',') {
        advance();
        continue;
      }
      if (I < Text.size() && Text[I] == ']') {
        advance();
        return true;
      }
      fail(I >= Text.size() ? "unexpected end of file; expected ',' or ']'"
                            : "expected ',' or ']' in the array");
      return false;
    }
  }

  static void appendUtf8(std::string &Out, unsigned CP) {
    if (CP < 0x80) {
      Out += static_cast<char>(CP);
    } else if (CP < 0x800) {
      Out += static_cast<char>(0xC0 | (CP >> 6));
      Out += static_cast<char>(0x80 | (CP & 0x3F));
    } else if (CP < 0x10000) {
      Out += static_cast<char>(0xE0 | (CP >> 12));
      Out += static_cast<char>(0x80 | ((CP >> 6) & 0x3F));
      Out += static_cast<char>(0x80 | (CP & 0x3F));
    } else {
      Out += static_cast<char>(0xF0 | (CP >> 18));
      Out += static_cast<char>(0x80 | ((CP >> 12) & 0x3F));
      Out += static_cast<char>(0x80 | ((CP >> 6) & 0x3F));
      Out += static_cast<char>(0x80 | (CP & 0x3F));
    }
  }

  bool parseHex4(unsigned &CP) {
    CP = 0;
    for (int N = 0; N < 4; ++N) {
      if (I >= Text.size()) {
        fail("unexpected end of file in a \\u escape");
        return false;
      }
      char C = Text[I];
      unsigned D;
      if (C >= '0' && C <= '9')
        D = C - '0';
      else if (C >= 'a' && C <= 'f')
        D = C - 'a' + 10;
      else if (C >= 'A' && C <= 'F')
        D = C - 'A' + 10;
      else {
        fail("bad hex digit in a \\u escape");
        return false;
      }
      CP = CP * 16 + D;
      advance();
    }
    return true;
  }

  bool parseString(std::string &Out) {
    advance(); // opening quote
    for (;;) {
      if (I >= Text.size()) {
        fail("unterminated string");
        return false;
      }
      char C = Text[I];
      if (C == '"') {
        advance();
        return true;
      }
      if (static_cast<unsigned char>(C) < 0x20) {
        fail("control character in a string; escape it");
        return false;
      }
      if (C != '\\') {
        Out += C;
        advance();
        continue;
      }
      advance();
      if (I >= Text.size()) {
        fail("unterminated escape");
        return false;
      }
      char E = Text[I];
      advance();
      switch (E) {
      case '"':
      case '\\':
      case '/':
        Out += E;
        break;
      case 'b':
        Out += '\b';
        break;
      case 'f':
        Out += '\f';
        break;
      case 'n':
        Out += '\n';
        break;
      case 'r':
        Out += '\r';
        break;
      case 't':
        Out += '\t';
        break;
      case 'u': {
        unsigned CP;
        if (!parseHex4(CP))
          return false;
        if (CP >= 0xD800 && CP <= 0xDBFF && Text.substr(I, 2) == "\\u") {
          advance();
          advance();
          unsigned Low;
          if (!parseHex4(Low))
            return false;
          if (Low >= 0xDC00 && Low <= 0xDFFF)
            CP = 0x10000 + ((CP - 0xD800) << 10) + (Low - 0xDC00);
        }
        appendUtf8(Out, CP);
        break;
      }
      default:
        fail(std::string("unknown escape '\\") + E + "'");
        return false;
      }
    }
  }

  bool parseNumber(JsonValue &V) {
    size_t Start = I;
    if (Text[I] == '-')
      advance();
    auto Digits = [&] {
      size_t From = I;
      while (I < Text.size() && Text[I] >= '0' && Text[I] <= '9')
        advance();
      return I > From;
    };
    if (!Digits()) {
      fail("expected digits in a number");
      return false;
    }
    if (I < Text.size() && Text[I] == '.') {
      advance();
      if (!Digits()) {
        fail("expected digits after '.'");
        return false;
      }
    }
    if (I < Text.size() && (Text[I] == 'e' || Text[I] == 'E')) {
      advance();
      if (I < Text.size() && (Text[I] == '+' || Text[I] == '-'))
        advance();
      if (!Digits()) {
        fail("expected digits in the exponent");
        return false;
      }
    }
    V.K = JsonValue::Kind::Number;
    V.Number = std::strtod(std::string(Text.substr(Start, I - Start)).c_str(),
                           nullptr);
    return true;
  }
};

} // namespace

std::optional<JsonValue> parseJson(std::string_view Text, JsonError &Error) {
  Error = JsonError();
  return Parser(Text, Error).parseDocument();
}

} // namespace uisan::rules
