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

/// Signatures: what the checker builds from a declaration
/// (rules::Glob::signature over Clang's canonical parameter types, as
/// checker/lib/RuleIndex.cpp prints them) and what the runtime derives from
/// the mangled symbol (audit::symbolSignature) must be the same text. The
/// rules suite checks Glob::signature(Name, Params, Const) == Signature,
/// the runtime suite symbolSignature(Symbol) == Signature.
struct SignatureCase {
  const char *Symbol; ///< Itanium-mangled, as the dynamic loader binds it
  const char *Name;   ///< the qualified name
  const char *Params[8]; ///< Clang's spelling of each parameter type
  int ParamCount;
  bool Const;
  const char *Signature;
};

inline constexpr SignatureCase kSignatureCases[] = {
    {"_ZNK11Fl_Valuator5valueEv", "Fl_Valuator::value", {}, 0, true, "Fl_Valuator::value()const"},
    {"_ZN11Fl_Valuator5valueEd", "Fl_Valuator::value", {"double"}, 1, false,
     "Fl_Valuator::value(double)"},
    {"_ZNK9Fl_Widget7visibleEv", "Fl_Widget::visible", {}, 0, true, "Fl_Widget::visible()const"},
    {"_ZN9Fl_Widget10copy_labelEPKc", "Fl_Widget::copy_label", {"const char *"}, 1, false,
     "Fl_Widget::copy_label(constchar*)"},
    {"_ZN6Fl_BoxC1EiiiiPKc", "Fl_Box::Fl_Box", {"int", "int", "int", "int", "const char *"}, 5,
     false, "Fl_Box::Fl_Box(int,int,int,int,constchar*)"},
    {"_ZN6Fl_BoxC1E10Fl_BoxtypeiiiiPKc", "Fl_Box::Fl_Box",
     {"Fl_Boxtype", "int", "int", "int", "int", "const char *"}, 6, false,
     "Fl_Box::Fl_Box(Fl_Boxtype,int,int,int,int,constchar*)"},
    {"_ZNK9Fl_Widget8draw_boxE10Fl_Boxtypej", "Fl_Widget::draw_box",
     {"Fl_Boxtype", "unsigned int"}, 2, true, "Fl_Widget::draw_box(Fl_Boxtype,unsignedint)const"},
    {"_ZN9Fl_Widget4sizeEii", "Fl_Widget::size", {"int", "int"}, 2, false,
     "Fl_Widget::size(int,int)"},
    {"_ZN3Foo5builtEbcijlmfd", "Foo::built",
     {"bool", "char", "int", "unsigned int", "long", "unsigned long", "float", "double"}, 8,
     false, "Foo::built(bool,char,int,unsignedint,long,unsignedlong,float,double)"},
    {"_ZN3Foo6builtsEahstxy", "Foo::builts",
     {"signed char", "unsigned char", "short", "unsigned short", "long long",
      "unsigned long long"}, 6, false,
     "Foo::builts(signedchar,unsignedchar,short,unsignedshort,longlong,unsignedlonglong)"},
    {"_ZN6QLabel7setTextERK7QString", "QLabel::setText", {"const QString &"}, 1, false,
     "QLabel::setText(constQString&)"},
    {"_ZN3Gtk5Label8set_textERKN4Glib7ustringE", "Gtk::Label::set_text",
     {"const Glib::ustring &"}, 1, false, "Gtk::Label::set_text(constGlib::ustring&)"},
    // Back-references: S_ is the first prefix of the name, then each type.
    {"_ZN3Gtk6Widget10set_parentERS0_", "Gtk::Widget::set_parent", {"Gtk::Widget &"}, 1, false,
     "Gtk::Widget::set_parent(Gtk::Widget&)"},
    {"_ZN3Gtk11Application6createERiRPPcRKN4Glib7ustringEN3Gio16ApplicationFlagsE",
     "Gtk::Application::create",
     {"int &", "char **&", "const Glib::ustring &", "Gio::ApplicationFlags"}, 4, false,
     "Gtk::Application::create(int&,char**&,constGlib::ustring&,Gio::ApplicationFlags)"},
    {"_ZN2ns3Foo4swapERS0_S1_", "ns::Foo::swap", {"ns::Foo &", "ns::Foo &"}, 2, false,
     "ns::Foo::swap(ns::Foo&,ns::Foo&)"},
    {"_ZN3Foo3putEPKcS1_", "Foo::put", {"const char *", "const char *"}, 2, false,
     "Foo::put(constchar*,constchar*)"},
    {"_ZN3Foo3setEPcPKcPKPc", "Foo::set", {"char *", "const char *", "char *const *"}, 3, false,
     "Foo::set(char*,constchar*,char*const*)"},
    {"_Z15wxMutexGuiEnterv", "wxMutexGuiEnter", {}, 0, false, "wxMutexGuiEnter()"},
    {"_ZN2Fl4lockEv", "Fl::lock", {}, 0, false, "Fl::lock()"},
    {"_ZN3Foo3logEPKcz", "Foo::log", {"const char *"}, 1, false, "Foo::log(constchar*)"},
    {"_ZN3Foo4moveEOS_", "Foo::move", {"Foo &&"}, 1, false, "Foo::move(Foo&&)"},
};

/// Signature patterns (written as in a pack, compiled by rules::Glob with
/// signatures allowed) on the signatures above.
struct SignaturePatternCase {
  const char *Pattern;
  const char *Signature;
  bool Matches;
};

inline constexpr SignaturePatternCase kSignaturePatternCases[] = {
    {"Fl_Valuator::value() const", "Fl_Valuator::value()const", true},
    {"Fl_Valuator::value() const", "Fl_Valuator::value(double)", false},
    {"Fl_Valuator::value()", "Fl_Valuator::value()const", false},
    {"Fl_Valuator::value(*)", "Fl_Valuator::value(double)", true},
    {"Fl_Valuator::value(*)", "Fl_Valuator::value()const", false},
    {"Fl_Widget::copy_label(const char *)", "Fl_Widget::copy_label(constchar*)", true},
    {"Fl_Widget::copy_label(const char*)", "Fl_Widget::copy_label(constchar*)", true},
    {"Fl_Widget::copy_label(char *)", "Fl_Widget::copy_label(constchar*)", false},
    {"Fl_Box::Fl_Box(int, int, int, int, *)", "Fl_Box::Fl_Box(int,int,int,int,constchar*)", true},
    {"Fl_Widget::draw_box(*) const", "Fl_Widget::draw_box(Fl_Boxtype,unsignedint)const", true},
    {"Fl_Widget::draw_box(*, unsigned int) const",
     "Fl_Widget::draw_box(Fl_Boxtype,unsignedint)const", true},
    {"Fl_Widget::*() const", "Fl_Widget::visible()const", true},
    {"Fl_Widget::*() const", "Fl_Widget::size(int,int)", false},
    {"Gtk::Label::set_text(const Glib::ustring &)", "Gtk::Label::set_text(constGlib::ustring&)",
     true},
    {"Gtk::*(int &, *)", "Gtk::Application::create(int&,char**&,constGlib::ustring&,Gio::ApplicationFlags)",
     true},
};

} // namespace uisan::testcases

#endif
