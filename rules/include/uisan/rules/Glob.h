//===- Glob.h - qualified-name patterns of rule packs ---------------------===//
#ifndef UISAN_RULES_GLOB_H
#define UISAN_RULES_GLOB_H

#include <optional>
#include <string>
#include <string_view>

namespace uisan::rules {

/// A qualified-name pattern: '*' matches any run of characters, including
/// '::', and '?' matches one character; everything else matches itself.
class Glob {
public:
  /// Compiles `Text`, or returns nullopt and explains why in `Why`.
  static std::optional<Glob> compile(std::string_view Text, std::string &Why);

  bool matches(std::string_view Name) const;
  const std::string &text() const { return Text; }
  /// True when the pattern has no wildcard, so it names exactly one entity.
  bool isLiteral() const { return Literal; }

private:
  std::string Text;
  bool Literal = true;
};

} // namespace uisan::rules

#endif
