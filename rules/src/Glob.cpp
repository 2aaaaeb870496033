//===- Glob.cpp - qualified-name patterns ---------------------------------===//

#include "uisan/rules/Glob.h"
#include "uisan/rules/Wildcard.h"

namespace uisan::rules {

namespace {
bool isNameChar(char C) {
  return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') ||
         (C >= '0' && C <= '9') || C == '_' || C == '~';
}
// Characters that may appear in operator names such as 'operator()'.
bool isOperatorChar(char C) {
  return std::string_view("()[]<>=!+-*/%&|^,").find(C) !=
         std::string_view::npos;
}
} // namespace

std::optional<Glob> Glob::compile(std::string_view Text, std::string &Why) {
  if (Text.empty()) {
    Why = "empty pattern";
    return std::nullopt;
  }
  Glob G;
  G.Text = std::string(Text);
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '*' || C == '?') {
      G.Literal = false;
      continue;
    }
    if (C == ':') {
      if (I + 1 < Text.size() && Text[I + 1] == ':') {
        if (I + 2 < Text.size() && Text[I + 2] == ':') {
          Why = "':::' in pattern; scopes are separated by '::'";
          return std::nullopt;
        }
        if (I == 0 || I + 2 == Text.size()) {
          Why = "pattern starts or ends with '::'; write the name without "
                "leading or trailing '::'";
          return std::nullopt;
        }
        ++I;
        continue;
      }
      Why = "single ':' in pattern; did you mean '::'?";
      return std::nullopt;
    }
    if (C == ' ' || C == '\t') {
      Why = "white space in pattern; qualified names have none";
      return std::nullopt;
    }
    if (!isNameChar(C) && !isOperatorChar(C)) {
      Why = std::string("character '") + C +
            "' cannot appear in a qualified name; use '*' or '?' as wildcards";
      return std::nullopt;
    }
  }
  return G;
}

bool Glob::matches(std::string_view Name) const {
  if (Literal)
    return Name == Text;
  // The matcher the runtime uses too (linear; the bound is in Wildcard.h).
  return wildcard::match(Text.data(), Text.size(), Name.data(), Name.size(),
                         wildcard::kGlob);
}

} // namespace uisan::rules
