//===- Glob.h - qualified-name patterns of rule packs ---------------------===//
#ifndef UISAN_RULES_GLOB_H
#define UISAN_RULES_GLOB_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uisan::rules {

/// A qualified-name pattern: '*' matches any run of characters, including
/// '::', and '?' matches one character; everything else matches itself.
///
/// Where signatures are allowed (the 'except' lists), a pattern may end in
/// a parameter list and an optional 'const' to tell overloads apart:
/// 'Fl_Valuator::value() const', 'QWidget::grab(*)'. Such a pattern is
/// matched against a function's signature() (white space removed), never
/// against its bare name; in the parameter list '*' is still a wildcard.
class Glob {
public:
  /// Compiles `Text`, or returns nullopt and explains why in `Why`.
  static std::optional<Glob> compile(std::string_view Text, std::string &Why,
                                     bool AllowSignature = false);

  bool matches(std::string_view Name) const;
  const std::string &text() const { return Text; }
  /// True when the pattern has no wildcard, so it names exactly one entity.
  bool isLiteral() const { return Literal; }
  /// True when the pattern ends in a parameter list.
  bool hasSignature() const { return Signature; }

  /// The canonical signature text patterns with a parameter list are
  /// matched against: 'Name(T1,T2)' plus 'const' for a const method, with
  /// all white space removed ('Fl_Valuator::value()const').
  static std::string signature(std::string_view Name,
                               const std::vector<std::string> &Params,
                               bool Const);

private:
  std::string Text;
  bool Literal = true;
  bool Signature = false;
};

} // namespace uisan::rules

#endif
