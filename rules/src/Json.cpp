//===- Json.cpp - rule-pack JSON through nlohmann/json's SAX interface ----===//
//
// nlohmann/json reads the text: tokens, escapes, surrogate pairs, UTF-8 and
// the grammar. This file builds JsonValue trees from its SAX events and
// gives each key and value the line and column where it starts, which the
// events do not carry. The text reaches the parser through an iterator that
// counts what the parser has read. At each event the parser has read the
// token and nothing after it (but for a number, whose end the builder
// measures itself), so a token starts at the first byte after the previous
// one that is not white space, ',' or ':' — the only bytes between tokens
// that have no event.
//
// Errors name the place and say what was expected there. nlohmann/json's
// own messages ("syntax error while parsing object key - unexpected '}';
// expected string literal") are replaced by what the builder knows: the
// container it is in and which token it was waiting for.
//
//===----------------------------------------------------------------------===//

#include "uisan/rules/Json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <unordered_map>

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

using Json = nlohmann::json;

constexpr size_t kMaxDepth = 256;

/// A byte iterator over the text that tells the builder how many bytes
/// nlohmann/json has taken: the counting input of its iterator adapter.
class CountingIterator {
public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char *;
  using reference = const char &;

  CountingIterator(const char *P, size_t *Taken) : P(P), Taken(Taken) {}
  reference operator*() const { return *P; }
  CountingIterator &operator++() {
    ++P;
    ++*Taken;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator Before = *this;
    ++*this;
    return Before;
  }
  bool operator==(const CountingIterator &O) const { return P == O.P; }
  bool operator!=(const CountingIterator &O) const { return P != O.P; }

private:
  const char *P;
  size_t *Taken;
};

bool isSpace(char C) { return C == ' ' || C == '\t' || C == '\n' || C == '\r'; }

bool isContinuation(unsigned char C) { return (C & 0xC0) == 0x80; }

/// How many bytes a UTF-8 sequence starting with `Lead` has (0: not a lead).
size_t sequenceLength(unsigned char Lead) {
  if (Lead >= 0xC2 && Lead <= 0xDF)
    return 2;
  if (Lead >= 0xE0 && Lead <= 0xEF)
    return 3;
  if (Lead >= 0xF0 && Lead <= 0xF4)
    return 4;
  return 0;
}

std::string hexByte(unsigned char C) {
  char Buf[8];
  std::snprintf(Buf, sizeof(Buf), "0x%02X", C);
  return Buf;
}

/// A byte for a message: 'x' when printable ASCII, else its value.
std::string describeByte(unsigned char C) {
  if (C >= 0x20 && C < 0x7F)
    return std::string("character '") + static_cast<char>(C) + "'";
  return "byte " + hexByte(C);
}

/// Printable ASCII as is, every other byte as \xHH, so that a message
/// about a broken text is itself valid UTF-8.
std::string printable(std::string_view S) {
  std::string Out;
  for (unsigned char C : S) {
    if (C >= 0x20 && C < 0x7F) {
      Out += static_cast<char>(C);
    } else {
      char Buf[8];
      std::snprintf(Buf, sizeof(Buf), "\\x%02X", C);
      Out += Buf;
    }
  }
  return Out;
}

/// Builds the JsonValue tree from nlohmann/json's SAX events.
class Builder final : public nlohmann::json_sax<Json> {
public:
  Builder(std::string_view Text, JsonError &Error)
      : Text(Text), Error(Error),
        // nlohmann/json skips a UTF-8 byte order mark; columns start after
        // it, as editors count them.
        Origin(Text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0), Prev(Origin),
        LocOffset(Origin) {}

  /// Bytes nlohmann/json has taken so far (CountingIterator writes it).
  size_t Taken = 0;
  JsonValue Root;

  bool null() override { return scalar(JsonValue::Kind::Null) != nullptr; }
  bool boolean(bool B) override {
    JsonValue *V = scalar(JsonValue::Kind::Bool);
    if (V)
      V->Bool = B;
    return V;
  }
  bool number_integer(number_integer_t N) override {
    return number(static_cast<double>(N));
  }
  bool number_unsigned(number_unsigned_t N) override {
    return number(static_cast<double>(N));
  }
  bool number_float(number_float_t N, const string_t &) override {
    return number(N);
  }
  bool string(string_t &S) override {
    JsonValue *V = scalar(JsonValue::Kind::String);
    if (V)
      V->String = std::move(S);
    return V;
  }
  bool binary(binary_t &) override {
    // Only the binary formats (CBOR, MessagePack, ...) have binary values.
    return fail(Taken, "binary value in a JSON text");
  }

  bool start_object(std::size_t) override { return open(JsonValue::Kind::Object); }
  bool start_array(std::size_t) override { return open(JsonValue::Kind::Array); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t &K) override {
    size_t Start = tokenStart();
    Prev = Taken;
    Frame &F = Open.back();
    SourcePos Pos = posOf(Start);
    auto [It, New] = F.Keys.try_emplace(K, Pos);
    if (!New) {
      Error.Path = path() + "." + K;
      return fail(Start, "duplicate key '" + K + "'",
                  "keep one; the other is at " + std::to_string(It->second.Line) +
                      ":" + std::to_string(It->second.Column));
    }
    F.V->Object.push_back({std::move(K), Pos, JsonValue()});
    F.AwaitingValue = true;
    return true;
  }

  bool parse_error(std::size_t Position, const std::string &LastToken,
                   const nlohmann::detail::exception &Ex) override;

private:
  /// An open array or object, and for an object the keys it has so far.
  struct Frame {
    JsonValue *V;
    bool AwaitingValue = false; ///< an object whose last key has no value yet
    std::unordered_map<std::string, SourcePos> Keys;
  };
  /// What the parser was waiting for when it stopped.
  enum class Want {
    Value,
    ValueOrClose,  ///< first item of an array
    Key,
    KeyOrClose,    ///< first member of an object
    Colon,
    CommaOrCloseObject,
    CommaOrCloseArray,
    End,           ///< the end of the text, after the top value
  };

  std::string_view Text;
  JsonError &Error;
  const size_t Origin; ///< where the JSON text starts
  size_t Prev;         ///< the end of the last token an event was made for
  size_t LocOffset;    ///< posOf's last offset and its place
  SourcePos LocPos{1, 1};
  std::vector<Frame> Open;
  bool Done = false;

  size_t skipSpace(size_t I) const {
    while (I < Text.size() && isSpace(Text[I]))
      ++I;
    return I;
  }

  size_t tokenStart() const {
    size_t I = Prev;
    while (I < Text.size() && (isSpace(Text[I]) || Text[I] == ',' || Text[I] == ':'))
      ++I;
    return I;
  }

  /// Line and column of a byte offset; lines and columns are 1-based, and
  /// columns count code points, not bytes.
  SourcePos posOf(size_t Offset) {
    if (Offset < LocOffset) { // only error places look back; start over
      LocOffset = Origin;
      LocPos = {1, 1};
    }
    for (; LocOffset < Offset && LocOffset < Text.size(); ++LocOffset) {
      unsigned char C = static_cast<unsigned char>(Text[LocOffset]);
      if (C == '\n') {
        ++LocPos.Line;
        LocPos.Column = 1;
      } else if (!isContinuation(C)) {
        ++LocPos.Column;
      }
    }
    return LocPos;
  }

  bool fail(size_t Offset, std::string Message, std::string Remedy = "") {
    Error.Pos = posOf(Offset);
    Error.Message = std::move(Message);
    Error.Remedy = std::move(Remedy);
    return false;
  }

  /// The JSON path of the value being read in each open container.
  std::string path(size_t Frames) const {
    std::string P = "$";
    for (size_t I = 0; I < Frames; ++I) {
      const JsonValue &V = *Open[I].V;
      if (V.K == JsonValue::Kind::Object)
        P += "." + V.Object.back().Key;
      else
        P += "[" + std::to_string(V.Array.size() - 1) + "]";
    }
    return P;
  }
  /// The path of the innermost open container.
  std::string path() const { return path(Open.empty() ? 0 : Open.size() - 1); }

  /// Where the next value goes, with its place, or nullptr (and the error)
  /// when it is nested too deep.
  JsonValue *place(JsonValue::Kind K) {
    size_t Start = tokenStart();
    if (Open.size() > kMaxDepth) {
      fail(Start, "JSON nested more than " + std::to_string(kMaxDepth) +
                      " levels deep");
      return nullptr;
    }
    JsonValue *V = &Root;
    if (!Open.empty()) {
      Frame &F = Open.back();
      if (F.V->K == JsonValue::Kind::Array) {
        F.V->Array.emplace_back();
        V = &F.V->Array.back();
      } else {
        V = &F.V->Object.back().Value;
        F.AwaitingValue = false;
      }
    }
    V->K = K;
    V->Pos = posOf(Start);
    return V;
  }

  JsonValue *scalar(JsonValue::Kind K) {
    JsonValue *V = place(K);
    Prev = Taken;
    Done = Open.empty();
    return V;
  }

  bool number(double N) {
    size_t End = tokenStart();
    JsonValue *V = place(JsonValue::Kind::Number);
    // The parser read past the number to see where it ends ("01" is two
    // numbers); the token is what the grammar takes, which it accepted.
    auto Digits = [&] {
      while (End < Text.size() && Text[End] >= '0' && Text[End] <= '9')
        ++End;
    };
    auto Take = [&](const char *Any) {
      bool Taken = End < Text.size() && std::strchr(Any, Text[End]);
      End += Taken;
      return Taken;
    };
    Take("-");
    if (!Take("0"))
      Digits();
    if (Take("."))
      Digits();
    if (Take("eE")) {
      Take("+-");
      Digits();
    }
    Prev = End;
    Done = Open.empty();
    if (V)
      V->Number = N;
    return V;
  }

  bool open(JsonValue::Kind K) {
    JsonValue *V = place(K);
    Prev = Taken;
    if (!V)
      return false;
    // Children go into V's vector, never into an ancestor's, so the
    // pointers to open containers stay valid.
    Open.push_back({V, false, {}});
    return true;
  }

  bool close() {
    Prev = Taken;
    Open.pop_back();
    Done = Open.empty();
    return true;
  }

  Want wanted(size_t &At) const;
  void lexerError(const std::string &Lexer, size_t At, size_t Last);
};

/// What the parser was waiting for, and (in At) where that token starts:
/// after the last event, past a ',' or ':' that the grammar accepted.
Builder::Want Builder::wanted(size_t &At) const {
  At = skipSpace(Prev);
  auto After = [&](char C) {
    if (At < Text.size() && Text[At] == C) {
      At = skipSpace(At + 1);
      return true;
    }
    return false;
  };
  if (Open.empty())
    return Done ? Want::End : Want::Value;
  const Frame &F = Open.back();
  if (F.V->K == JsonValue::Kind::Object) {
    if (F.AwaitingValue)
      return After(':') ? Want::Value : Want::Colon;
    if (F.V->Object.empty())
      return Want::KeyOrClose;
    return After(',') ? Want::Key : Want::CommaOrCloseObject;
  }
  if (F.V->Array.empty())
    return Want::ValueOrClose;
  return After(',') ? Want::Value : Want::CommaOrCloseArray;
}

/// A token nlohmann/json could not read, starting at At; Last is the last
/// byte it read.
void Builder::lexerError(const std::string &Lexer, size_t At, size_t Last) {
  auto Has = [&](const char *S) { return Lexer.find(S) != std::string::npos; };
  auto ByteAt = [&](size_t I) {
    return I < Text.size() ? static_cast<unsigned char>(Text[I]) : 0;
  };
  if (Has("surrogate")) {
    // Pair the string's \u escapes up to where the parser stopped: the
    // first high surrogate not followed at once by a low one, or the first
    // low one not preceded by a high one, is the culprit.
    auto CodeUnit = [&](size_t Escape) {
      return std::strtoul(std::string(Text.substr(Escape + 2, 4)).c_str(), nullptr, 16);
    };
    auto IsLow = [](unsigned long U) { return U >= 0xDC00 && U <= 0xDFFF; };
    const size_t None = std::string::npos;
    size_t Pending = None, Culprit = None;
    for (size_t I = At + 1; I <= Last && I + 1 < Text.size() && Culprit == None;) {
      if (Text[I] != '\\') {
        ++I;
        continue;
      }
      if (Text[I + 1] != 'u') {
        I += 2;
        continue;
      }
      unsigned long U = CodeUnit(I);
      if (Pending != None)
        Culprit = IsLow(U) && I == Pending + 6 ? None : Pending;
      else if (IsLow(U))
        Culprit = I;
      Pending = U >= 0xD800 && U <= 0xDBFF && Pending == None ? I : None;
      I += 6;
    }
    if (Culprit == None)
      Culprit = Pending; // a high surrogate, then no escape at all
    if (Culprit == None) {
      fail(Last, "cannot read the JSON text: " + Lexer);
      return;
    }
    const char *Pair = "a UTF-16 surrogate pair is a '\\uD800'..'\\uDBFF' escape "
                       "followed by a '\\uDC00'..'\\uDFFF' escape; write the pair, "
                       "or the character itself";
    std::string Escape = printable(Text.substr(Culprit, 6));
    if (IsLow(CodeUnit(Culprit)))
      fail(Culprit, "lone low surrogate '" + Escape + "' in a string", Pair);
    else
      fail(Culprit, "unpaired high surrogate '" + Escape + "' in a string", Pair);
  } else if (Has("ill-formed UTF-8")) {
    // Last is the first byte that cannot be where it is; the sequence it
    // breaks starts at the lead byte before it, if it was waiting for more.
    size_t Start = Last, Before = 0;
    while (Before < 3 && Last > Before && isContinuation(ByteAt(Last - Before - 1)))
      ++Before;
    if (Last > Before && sequenceLength(ByteAt(Last - Before - 1)) > Before + 1)
      Start = Last - Before - 1;
    std::string Bytes;
    for (size_t I = Start; I <= Last && I < Text.size(); ++I)
      Bytes += (Bytes.empty() ? "" : " ") + hexByte(ByteAt(I));
    fail(Start, "invalid UTF-8 in a string (" + Bytes + ")",
         "save the pack as UTF-8, or write the character as a \\u escape");
  } else if (Has("control character")) {
    // "control character U+000A (LF) must be escaped to \u000A or \n"
    const std::string Must = " must be escaped to ";
    size_t From = Lexer.find("control character"), To = Lexer.find(Must);
    std::string What = Lexer.substr(From, To - From);
    std::string How = To == std::string::npos ? "" : Lexer.substr(To + Must.size());
    fail(Last, What + " in a string", How.empty() ? "" : "write it as " + How);
  } else if (Has("missing closing quote")) {
    fail(At, "unterminated string", "close it with '\"'");
  } else if (Has("forbidden character after backslash")) {
    fail(Last - 1, "unknown escape '\\" + printable(Text.substr(Last, 1)) + "'",
         "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
  } else if (Has("4 hex digits")) {
    fail(Last, "bad hex digit in a \\u escape", "write four hex digits after '\\u'");
  } else if (Has("after '-'")) {
    fail(Last, "expected digits in a number");
  } else if (Has("after '.'")) {
    fail(Last, "expected digits after '.'");
  } else if (Has("exponent")) {
    fail(Last, "expected digits in the exponent");
  } else if (Has("invalid BOM")) {
    fail(0, "invalid byte order mark", "save the pack as UTF-8");
  } else if (Has("invalid literal") && At < Text.size() &&
             (Text[At] == 't' || Text[At] == 'f' || Text[At] == 'n')) {
    size_t End = At;
    while (End < Text.size() && End <= Last && !isSpace(Text[End]) &&
           Text[End] != ',' && Text[End] != ']' && Text[End] != '}')
      ++End;
    fail(At, "invalid literal '" + printable(Text.substr(At, End - At)) +
                 "'; expected a value",
         "the literals are true, false and null");
  } else if (Has("invalid literal")) {
    fail(At, "unexpected " + describeByte(ByteAt(At)) + "; expected a value");
  } else {
    fail(Last, "cannot read the JSON text: " + Lexer);
  }
}

bool Builder::parse_error(std::size_t Position, const std::string &LastToken,
                          const nlohmann::detail::exception &Ex) {
  // Position counts the bytes read, the end of the text as one more.
  size_t Last = Position ? Position - 1 : 0;
  if (Last > Text.size())
    Last = Text.size();
  size_t At = 0;
  Want W = wanted(At);

  // The path of what was being read: the member or item a value was
  // wanted for, else the container.
  switch (W) {
  case Want::Value:
  case Want::ValueOrClose:
    if (Open.empty())
      Error.Path = "$";
    else if (Open.back().V->K == JsonValue::Kind::Object)
      Error.Path = path(Open.size());
    else
      Error.Path = path() + "[" + std::to_string(Open.back().V->Array.size()) + "]";
    break;
  case Want::Colon:
    Error.Path = path(Open.size());
    break;
  case Want::Key:
  case Want::KeyOrClose:
  case Want::CommaOrCloseObject:
  case Want::CommaOrCloseArray:
    Error.Path = path();
    break;
  case Want::End:
    break;
  }

  std::string What = Ex.what();
  if (Ex.id == 406) { // out_of_range: a number too large for a double
    fail(At, "number out of range: '" + printable(LastToken) + "'");
    return false;
  }
  // "... syntax error while parsing <context> - <detail>"; a token the
  // lexer could not read has "<its message>; last read: '<token>'".
  std::string Detail;
  size_t Syntax = What.find("syntax error");
  size_t Dash = Syntax == std::string::npos ? Syntax : What.find("- ", Syntax);
  if (Dash != std::string::npos)
    Detail = What.substr(Dash + 2);
  size_t LastRead = Detail.find("; last read: '");
  bool CanStartHere =
      W == Want::Value || W == Want::ValueOrClose ||
      ((W == Want::Key || W == Want::KeyOrClose) && At < Text.size() && Text[At] == '"');
  if (LastRead != std::string::npos && CanStartHere) {
    lexerError(Detail.substr(0, LastRead), At, Last);
    return false;
  }

  bool Eof = At >= Text.size();
  auto Expected = [&](const char *What) {
    if (Eof)
      fail(At, std::string("unexpected end of file; expected ") + What);
    else
      fail(At, "unexpected " + describeByte(static_cast<unsigned char>(Text[At])) +
                   "; expected " + What);
  };
  switch (W) {
  case Want::Value:
    Expected("a value");
    break;
  case Want::ValueOrClose:
    Expected("a value or ']'");
    break;
  case Want::Key:
  case Want::KeyOrClose:
    if (Eof)
      fail(At, W == Want::Key ? "unexpected end of file; expected a quoted key"
                              : "unexpected end of file; expected a quoted key or '}'");
    else
      fail(At, "expected a quoted key");
    break;
  case Want::Colon:
    fail(At, Eof ? "unexpected end of file; expected ':'" : "expected ':' after the key");
    break;
  case Want::CommaOrCloseObject:
    fail(At, Eof ? "unexpected end of file; expected ',' or '}'"
                 : "expected ',' or '}' in the object");
    break;
  case Want::CommaOrCloseArray:
    fail(At, Eof ? "unexpected end of file; expected ',' or ']'"
                 : "expected ',' or ']' in the array");
    break;
  case Want::End:
    fail(At, "unexpected text after the JSON value");
    break;
  }
  return false;
}

} // namespace

std::optional<JsonValue> parseJson(std::string_view Text, JsonError &Error) {
  Error = JsonError();
  Builder B(Text, Error);
  CountingIterator First(Text.data(), &B.Taken);
  CountingIterator Last(Text.data() + Text.size(), &B.Taken);
  if (!Json::sax_parse(First, Last, &B, Json::input_format_t::json,
                       /*strict=*/true, /*ignore_comments=*/false))
    return std::nullopt;
  return std::move(B.Root);
}

} // namespace uisan::rules
