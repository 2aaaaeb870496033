// PatternCases.h - one table of pattern cases that both halves run: the
// rules suite through rules::Glob and uisan::wildcard::match
// (tests/rules/WildcardTest.cpp), the runtime suite through the audit
// module's globMatches and the suppressions (tests/runtime/pattern_test.cpp).
// Expectations are for rule-pack patterns (wildcard::kGlob: the whole text,
// '*' any run, '?' one byte); the rules suite also checks each against a
// reference matcher, so a wrong line here fails there.
#ifndef UISAN_TESTS_PATTERN_CASES_H
#define UISAN_TESTS_PATTERN_CASES_H

namespace uisan::testcases {

struct PatternCase {
  const char *Pattern;
  const char *Text;
  bool Matches;
};

inline constexpr PatternCase kPatternCases[] = {
    // Literal patterns name exactly one thing.
    {"QLabel::setText", "QLabel::setText", true},
    {"QLabel::setText", "QLabel::setTextFormat", false},
    {"QLabel::setText", "MyQLabel::setText", false},
    {"QLabel", "QLabel::setText", false},
    {"a", "", false},
    {"", "", true},
    {"", "a", false},
    // '*' takes any run, including none and '::'.
    {"st::*", "st::write", true},
    {"st::*", "st::DeltaGenerator::write", true},
    {"st::*", "st::", true},
    {"st::*", "st", false},
    {"st::*", "std::thread::thread", false},
    {"*::metaObject", "QLabel::metaObject", true},
    {"*::metaObject", "ns::QLabel::metaObject", true},
    {"*::metaObject", "QLabel::metaObjectX", false},
    {"*::tr", "MainWindow::tr", true},
    {"*::tr", "MainWindow::trace", false},
    {"*::tr", "::tr", true},
    {"gtk_*_get_type", "gtk_label_get_type", true},
    {"gtk_*_get_type", "gtk_widget_class_get_type", true},
    {"gtk_*_get_type", "gtk_label_get_text", false},
    {"gtk_*_get_type", "gtk__get_type", true},
    {"gtk_*_get_type", "gtk_get_type", false},
    {"QWidget::*Event", "QWidget::paintEvent", true},
    {"QWidget::*Event", "QWidget::Event", true},
    {"QWidget::*Event", "QWidget::paintEvents", false},
    {"Jt::*::use", "Jt::TextComponent::use", true},
    {"Jt::*::use", "Jt::use", false},
    {"seed::Executors::new*", "seed::Executors::newFixedThreadPool", true},
    {"*_page", "report_page", true},
    {"*_page", "report_pages", false},
    {"QToolTip::*", "QToolTipX::showText", false},
    {"*", "", true},
    {"*", "anything::at::all", true},
    {"**", "", true},
    {"a**b", "ab", true},
    {"a*", "a", true},
    {"*a", "a", true},
    {"*a", "ba", true},
    {"*a", "ab", false},
    {"a*a", "a", false},
    {"a*a", "aa", true},
    {"a*b*c", "abc", true},
    {"a*b*c", "acb", false},
    {"a*b*c", "aXbYbZc", true},
    {"a*b*c", "aXbYcZ", false},
    // The leftmost place of a run is the right one to take.
    {"*ab*abc", "ab abc", true},
    {"*ab*abc", "abc", false},
    {"*aab", "aaab", true},
    {"*abab*", "xababx", true},
    {"*abaab*", "abaabaab", true},
    {"*abaabaab*", "abaababaab", false},
    {"*aaaab", "aaaaaaab", true},
    {"*aaaab", "aaabaaab", false},
    // '?' is one byte, inside a run or beside a '*'.
    {"g_idle_add?", "g_idle_add2", true},
    {"g_idle_add?", "g_idle_add", false},
    {"g_idle_add?", "g_idle_add22", false},
    {"?", "", false},
    {"?", "x", true},
    {"??", "x", false},
    {"*?", "", false},
    {"*?", "x", true},
    {"?*?", "x", false},
    {"?*?", "xy", true},
    {"*a?c*", "abxabc", true},
    {"*a?c*", "abxab", false},
    {"*a?c", "abcabd", false},
    {"*a??d*", "xxabcdxx", true},
    {"lib?t6*.so*", "libQt6Widgets.so.6", true},
    {"lib?t6*.so*", "libQt5Widgets.so.5", false},
    {"*::operator()", "Worker::operator()", true},
    {"*::operator?)", "Worker::operator()", true},
    // Every other byte is itself, case included, UTF-8 too.
    {"st::Text", "st::text", false},
    {"ns::\xC3\xA9*", "ns::\xC3\xA9t\xC3\xA9", true},
    {"ns::?\xA9", "ns::\xC3\xA9", true},
    // A run with '?' longer than 64 characters (the one case past
    // Shift-And's word): its first 64 found, the rest compared.
    {"*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?b",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaxb", true},
    {"*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?b*",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
    {"*?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab*",
     "xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true},
};

} // namespace uisan::testcases

#endif
