//===- Json.h - a JSON reader that remembers where each value was ---------===//
//
// Rule-pack errors must name the line of the offending key, which JSON
// libraries' value types do not keep. parseJson reads the text with
// nlohmann/json's SAX parser and records a position for every value and
// every object key; nlohmann/json stays an implementation detail of
// rules/src/Json.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_RULES_JSON_H
#define UISAN_RULES_JSON_H

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uisan::rules {

/// A 1-based line and column in a text file.
struct SourcePos {
  unsigned Line = 0;
  unsigned Column = 0;
};

struct JsonMember;

/// One JSON value with the position where it starts.
struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Kind K = Kind::Null;
  SourcePos Pos;
  bool Bool = false;
  double Number = 0;
  std::string String;
  std::vector<JsonValue> Array;
  /// Members in file order, each with the position of its key.
  using Member = JsonMember;
  std::vector<JsonMember> Object;

  const JsonValue *find(std::string_view Key) const;
  const Member *findMember(std::string_view Key) const;
  bool isInteger() const;
};

/// An object member: its key, where the key was, and its value.
struct JsonMember {
  std::string Key;
  SourcePos KeyPos;
  JsonValue Value;
};

/// Where and why a text is not JSON.
struct JsonError {
  SourcePos Pos;
  std::string Message;
  /// The JSON path of the value being read ("$.ui.functions[2]"); empty
  /// after the top value.
  std::string Path;
  /// How to fix it, when that is not obvious; may be empty.
  std::string Remedy;
};

/// Parses a complete JSON text (RFC 8259): strings must be valid UTF-8 and
/// \u escapes valid UTF-16 (a high surrogate followed by a low one); a
/// leading UTF-8 byte order mark is skipped. Nesting deeper than 256 levels
/// and duplicate keys are errors.
std::optional<JsonValue> parseJson(std::string_view Text, JsonError &Error);

/// The name of a kind as JSON Schema spells it ("object", "string", ...).
const char *jsonKindName(JsonValue::Kind K);

} // namespace uisan::rules

#endif
