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

namespace {
/// Where a pattern's parameter list starts: the first '(' that is not the
/// name 'operator()' itself; npos if none.
size_t signatureStart(std::string_view Text) {
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text.substr(I, 10) == "operator()") {
      I += 9;
      continue;
    }
    if (Text[I] == '(')
      return I;
  }
  return std::string_view::npos;
}

void appendWithoutSpace(std::string &Out, std::string_view Text) {
  for (char C : Text)
    if (C != ' ' && C != '\t')
      Out += C;
}
} // namespace

std::string Glob::signature(std::string_view Name,
                            const std::vector<std::string> &Params,
                            bool Const) {
  std::string S(Name);
  S += '(';
  for (size_t I = 0; I < Params.size(); ++I) {
    if (I)
      S += ',';
    appendWithoutSpace(S, Params[I]);
  }
  S += ')';
  if (Const)
    S += "const";
  return S;
}

std::optional<Glob> Glob::compile(std::string_view Text, std::string &Why,
                                  bool AllowSignature) {
  if (Text.empty()) {
    Why = "empty pattern";
    return std::nullopt;
  }
  Glob G;
  size_t Sig = signatureStart(Text);
  if (Sig != std::string_view::npos && AllowSignature) {
    std::string_view Params = Text.substr(Sig);
    size_t Close = Params.rfind(')');
    std::string_view Tail =
        Close == std::string_view::npos ? "" : Params.substr(Close + 1);
    while (!Tail.empty() && (Tail.front() == ' ' || Tail.front() == '\t'))
      Tail.remove_prefix(1);
    if (Close == std::string_view::npos || Params.find(')') != Close) {
      Why = "a parameter list is '(' types ')' with no nested parentheses, "
            "e.g. 'Fl_Valuator::value() const'";
      return std::nullopt;
    }
    if (!Tail.empty() && Tail != "const") {
      Why = "only 'const' may follow a parameter list";
      return std::nullopt;
    }
    if (Sig == 0) {
      Why = "a parameter list needs a function name before it";
      return std::nullopt;
    }
    std::optional<Glob> Name = compile(Text.substr(0, Sig), Why);
    if (!Name)
      return std::nullopt;
    G.Text = Name->Text;
    G.Text += '(';
    appendWithoutSpace(G.Text, Params.substr(1, Close - 1));
    G.Text += ')';
    if (!Tail.empty())
      G.Text += "const";
    G.Signature = true;
    G.Literal = G.Text.find_first_of("*?") == std::string::npos;
    return G;
  }
  if (Sig != std::string_view::npos) {
    Why = "a parameter list is only understood in 'except' lists; name the "
          "function without one";
    return std::nullopt;
  }
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
