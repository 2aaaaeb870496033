// The audit module's decisions from names: the spec uisan-run writes, the
// qualified names of mangled symbols, and which bindings get a stub.
#include "uisan_audit_names.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace uisan;
using namespace uisan::audit;

namespace {

const char kSpec[] = "# comment\n"
                     "toolkit qt first-caller GUI thread\n"
                     "remedy marshal it to the GUI thread\n"
                     "library libQt6*.so*\n"
                     "library */qt6/plugins/*\n"
                     "sets-ui-thread QApplication::QApplication\n"
                     "class QWidget\n"
                     "class-only QPixmap\n"
                     "function QToolTip::*\n"
                     "except *::metaObject\n"
                     "toolkit gtk main main thread\n"
                     "library libgtk-3.so*\n"
                     "prefix gtk_\n"
                     "except gtk_*_get_type\n";

/// QLabel : QFrame : QWidget; QBitmap : QPixmap.
bool anyClass(const void *, const QualifiedName &owner, ClassHierarchy::Visitor visit, void *ctx) {
  std::string name(owner.text, static_cast<size_t>(owner.owner_end));
  const char *chain[][4] = {{"QLabel", "QFrame", "QWidget", nullptr},
                            {"QBitmap", "QPixmap", nullptr, nullptr}};
  for (auto &c : chain)
    if (name == c[0]) {
      for (int i = 0; c[i]; ++i)
        if (visit(c[i], ctx))
          return true;
      return false;
    }
  return visit(name.c_str(), ctx);
}

uint16_t classifySymbol(const Spec &spec, int toolkit, const char *symbol) {
  QualifiedName name;
  if (!qualifiedName(symbol, name))
    return 0xffff;
  return classify(spec, toolkit, symbol, name, ClassHierarchy{anyClass, nullptr});
}

} // namespace

TEST(AuditGlob, WildcardsMatchTheWholeName) {
  EXPECT_TRUE(globMatches("QToolTip::*", "QToolTip::showText"));
  EXPECT_TRUE(globMatches("*::metaObject", "QLabel::metaObject"));
  EXPECT_TRUE(globMatches("gtk_*_get_type", "gtk_label_get_type"));
  EXPECT_TRUE(globMatches("lib?t6*.so*", "libQt6Widgets.so.6"));
  EXPECT_FALSE(globMatches("gtk_*_get_type", "gtk_label_get_text"));
  EXPECT_FALSE(globMatches("QToolTip::*", "QToolTipX::showText"));
  EXPECT_FALSE(globMatches("QLabel", "QLabel::setText"));
}

TEST(AuditSpec, ParsesToolkitsAndItems) {
  static Spec spec;
  char error[160];
  ASSERT_TRUE(spec.parse(kSpec, error, sizeof(error))) << error;
  ASSERT_EQ(spec.toolkit_count, 2);
  EXPECT_STREQ(spec.toolkits[0].name, "qt");
  EXPECT_STREQ(spec.toolkits[0].ui_thread_name, "GUI thread");
  EXPECT_STREQ(spec.toolkits[0].remedy, "marshal it to the GUI thread");
  EXPECT_EQ(spec.toolkits[0].kind, AuditUiKind::FirstCaller);
  EXPECT_EQ(spec.toolkits[1].kind, AuditUiKind::Main);
  EXPECT_EQ(spec.toolkitOfLibrary("/usr/lib/x86_64-linux-gnu/libQt6Widgets.so.6"), 0);
  EXPECT_EQ(spec.toolkitOfLibrary("/usr/lib/x86_64-linux-gnu/qt6/plugins/platforms/libqxcb.so"), 0);
  EXPECT_EQ(spec.toolkitOfLibrary("/usr/lib/x86_64-linux-gnu/libgtk-3.so.0"), 1);
  EXPECT_EQ(spec.toolkitOfLibrary("/usr/lib/x86_64-linux-gnu/libglib-2.0.so.0"), -1);
  EXPECT_EQ(spec.toolkitOfLibrary("./app"), -1);
}

TEST(AuditSpec, BadLinesNameTheLineAndKeepWhatCameBefore) {
  static Spec spec;
  char error[160];
  EXPECT_FALSE(spec.parse("toolkit qt main GUI\nlibrary libQt6*.so*\nclasss QWidget\n", error,
                          sizeof(error)));
  EXPECT_STREQ(error, "line 3: unknown item 'classs'");
  EXPECT_EQ(spec.entry_count, 1);
  EXPECT_FALSE(spec.parse("toolkit qt sometimes GUI\n", error, sizeof(error)));
  EXPECT_STREQ(error, "line 1: UI thread kind must be main or first-caller, not 'sometimes'");
  EXPECT_FALSE(spec.parse("class QWidget\n", error, sizeof(error)));
  EXPECT_STREQ(error, "line 1: item before any toolkit line: 'class'");
  EXPECT_FALSE(spec.parse("toolkit qt main\nclass\n", error, sizeof(error)));
  EXPECT_STREQ(error, "line 2: item without a value: 'class'");
  EXPECT_TRUE(spec.parse("", error, sizeof(error)));
  EXPECT_EQ(spec.toolkit_count, 0);
}

TEST(AuditNames, QualifiedNamesOfMangledSymbols) {
  QualifiedName n;
  ASSERT_TRUE(qualifiedName("_ZN6QLabel7setTextERK7QString", n));
  EXPECT_STREQ(n.text, "QLabel::setText");
  EXPECT_EQ(n.owner_end, 6);
  EXPECT_STREQ(n.owner_mangled, "6QLabel");
  ASSERT_TRUE(qualifiedName("_ZNK7QWidget8isHiddenEv", n));
  EXPECT_STREQ(n.text, "QWidget::isHidden");
  ASSERT_TRUE(qualifiedName("_ZN12QApplicationC1ERiPPci", n));
  EXPECT_STREQ(n.text, "QApplication::QApplication");
  ASSERT_TRUE(qualifiedName("_ZN7QPixmapD2Ev", n));
  EXPECT_STREQ(n.text, "QPixmap::~QPixmap");
  ASSERT_TRUE(qualifiedName("_ZN2ns5Outer5Inner3fooEv", n));
  EXPECT_STREQ(n.text, "ns::Outer::Inner::foo");
  EXPECT_STREQ(n.owner_mangled, "N2ns5Outer5InnerE");
  ASSERT_TRUE(qualifiedName("_ZN7QWidgetaSERKS_", n)); // substitutions in the arguments only
  EXPECT_STREQ(n.text, "QWidget::operator=");
  ASSERT_TRUE(qualifiedName("_Z12wxMessageBoxRK8wxStringS1_lP8wxWindowii", n));
  EXPECT_STREQ(n.text, "wxMessageBox");
  EXPECT_EQ(n.owner_end, 0);
  ASSERT_TRUE(qualifiedName("gtk_label_set_text", n));
  EXPECT_STREQ(n.text, "gtk_label_set_text");
  EXPECT_FALSE(qualifiedName("_ZTV6QLabel", n));             // a vtable
  EXPECT_FALSE(qualifiedName("_ZThn16_N6QLabelD1Ev", n));     // a thunk
  EXPECT_FALSE(qualifiedName("_ZN7QVectorIiE6appendERKi", n)); // a template
  EXPECT_FALSE(qualifiedName("", n));
  EXPECT_FALSE(qualifiedName("_ZN99", n)); // truncated
}

TEST(AuditNames, ClassNamesFromTypeInfo) {
  char out[64];
  ASSERT_TRUE(demangleClassName("6QLabel", out, sizeof(out)));
  EXPECT_STREQ(out, "QLabel");
  ASSERT_TRUE(demangleClassName("N2ns3FooE", out, sizeof(out)));
  EXPECT_STREQ(out, "ns::Foo");
  EXPECT_FALSE(demangleClassName("6QLabelx", out, sizeof(out)));
  EXPECT_FALSE(demangleClassName("7QVectorIiE", out, sizeof(out)));
}

TEST(AuditClassify, UiApisSettersAndExceptions) {
  static Spec spec;
  char error[160];
  ASSERT_TRUE(spec.parse(kSpec, error, sizeof(error))) << error;
  // A subclass of a `class` entry, through the hierarchy.
  EXPECT_EQ(classifySymbol(spec, 0, "_ZN6QLabel7setTextERK7QString"), kStubIsUi);
  // `class-only`: the class itself, not its subclasses.
  EXPECT_EQ(classifySymbol(spec, 0, "_ZN7QPixmap4fillERK6QColor"), kStubIsUi);
  EXPECT_EQ(classifySymbol(spec, 0, "_ZN7QBitmap5clearEv"), 0);
  EXPECT_EQ(classifySymbol(spec, 0, "_ZN8QToolTip8showTextERK6QPointRK7QString"), kStubIsUi);
  EXPECT_EQ(classifySymbol(spec, 0, "_ZNK6QLabel10metaObjectEv"), 0); // except
  EXPECT_EQ(classifySymbol(spec, 0, "_ZN12QApplicationC1ERiPPci"), kStubSetsUiThread);
  EXPECT_EQ(classifySymbol(spec, 0, "_ZN7QString6appendERKS_"), 0); // not UI
  EXPECT_EQ(classifySymbol(spec, 1, "gtk_label_set_text"), kStubIsUi);
  EXPECT_EQ(classifySymbol(spec, 1, "gtk_label_get_type"), 0);
  EXPECT_EQ(classifySymbol(spec, 1, "g_idle_add"), 0);
  // Rules of one toolkit never apply to another's libraries.
  EXPECT_EQ(classifySymbol(spec, 1, "_ZN6QLabel7setTextERK7QString"), 0);
}

namespace {

const char kRegionSpec[] = "toolkit fltk main main thread\n"
                           "library libfltk.so*\n"
                           "class Fl_Widget\n"
                           "except Fl_Valuator::value()const\n"
                           "except Fl_Widget::*()const\n"
                           "except Fl_Box::label(constchar*)\n"
                           "class-only Fl\n"
                           "except Fl::awake\n"
                           "region-enter Fl::lock\n"
                           "region-leave Fl::unlock\n"
                           "toolkit wx main main thread\n"
                           "library libwx_gtk*.so*\n"
                           "ui-thread-library libwx_baseu-*.so*\n"
                           "class wxWindow\n"
                           "region-enter wxMutexGuiEnter\n"
                           "region-leave wxMutexGuiLeave\n"
                           "region-guard wxMutexGuiLocker\n"
                           "region-guard ns::*Lock\n"
                           "toolkit gtk first-caller main thread\n"
                           "prefix gdk_\n"
                           "region-enter gdk_threads_enter\n"
                           "region-leave gdk_threads_leave\n";

/// Fl_Valuator, Fl_Box : Fl_Widget.
bool fltkClasses(const void *, const QualifiedName &owner, ClassHierarchy::Visitor visit,
                 void *ctx) {
  std::string name(owner.text, static_cast<size_t>(owner.owner_end));
  if (visit(name.c_str(), ctx))
    return true;
  return (name == "Fl_Valuator" || name == "Fl_Box") && visit("Fl_Widget", ctx);
}

uint16_t classifyFltk(const Spec &spec, int toolkit, const char *symbol) {
  QualifiedName name;
  if (!qualifiedName(symbol, name))
    return 0xffff;
  return classify(spec, toolkit, symbol, name, ClassHierarchy{fltkClasses, nullptr});
}

} // namespace

TEST(AuditSpec, LockRegionsAndSignatureExcepts) {
  static Spec spec;
  char error[160];
  ASSERT_TRUE(spec.parse(kRegionSpec, error, sizeof(error))) << error;
  ASSERT_EQ(spec.toolkit_count, 3);
  int enters = 0, leaves = 0, guards = 0, signatures = 0;
  for (int i = 0; i < spec.entry_count; ++i) {
    enters += spec.entries[i].kind == EntryKind::RegionEnter;
    leaves += spec.entries[i].kind == EntryKind::RegionLeave;
    guards += spec.entries[i].kind == EntryKind::RegionGuard;
    signatures += spec.entries[i].signature;
  }
  EXPECT_EQ(enters, 3);
  EXPECT_EQ(leaves, 3);
  EXPECT_EQ(guards, 2);
  EXPECT_EQ(signatures, 3); // not "except Fl::awake"
  EXPECT_TRUE(isSignaturePattern("Fl_Valuator::value()const"));
  EXPECT_TRUE(isSignaturePattern("QWidget::grab(*)"));
  EXPECT_FALSE(isSignaturePattern("Fl::awake"));
  EXPECT_FALSE(isSignaturePattern("*::operator()"));
  EXPECT_TRUE(isSignaturePattern("*::operator()(int)"));
  bool only = false;
  EXPECT_EQ(spec.toolkitOfLibrary("/usr/lib/x86_64-linux-gnu/libwx_baseu-3.2.so.0", &only), 1);
  EXPECT_TRUE(only);
  EXPECT_EQ(spec.toolkitOfLibrary("/usr/lib/x86_64-linux-gnu/libwx_baseu-3.2.so.0"), -1);
}

TEST(AuditClassify, LockRegionCallsAreNeverUiCalls) {
  static Spec spec;
  char error[160];
  ASSERT_TRUE(spec.parse(kRegionSpec, error, sizeof(error))) << error;
  // Fl::lock is a method of `class-only Fl`, yet entering the region is
  // what makes UI calls safe: not a UI call.
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN2Fl4lockEv"), kStubRegionEnter);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN2Fl6unlockEv"), kStubRegionLeave);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN2Fl5awakeEPFvPvES0_"), 0);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN2Fl4waitEv"), kStubIsUi);
  EXPECT_EQ(classifyFltk(spec, 1, "_Z15wxMutexGuiEnterv"), kStubRegionEnter);
  EXPECT_EQ(classifyFltk(spec, 1, "_Z15wxMutexGuiLeavev"), kStubRegionLeave);
  EXPECT_EQ(classifyFltk(spec, 2, "gdk_threads_enter"), kStubRegionEnter);
  EXPECT_EQ(classifyFltk(spec, 2, "gdk_threads_leave"), kStubRegionLeave);
  EXPECT_EQ(classifyFltk(spec, 2, "gdk_window_show"), kStubIsUi);
  // A guard class: its constructors enter, its destructor leaves; its
  // other methods and other classes' constructors are left alone.
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN16wxMutexGuiLockerC1Ev"), kStubRegionEnter);
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN16wxMutexGuiLockerC2Ev"), kStubRegionEnter);
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN16wxMutexGuiLockerD1Ev"), kStubRegionLeave);
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN16wxMutexGuiLocker4pingEv"), 0);
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN2ns11MessageLockC1EPv"), kStubRegionEnter);
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN2ns11MessageLockD2Ev"), kStubRegionLeave);
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN2ns11MessageLock5ownerEv"), 0);
  EXPECT_EQ(classifyFltk(spec, 1, "_ZN2ns9ElsewhereC1Ev"), 0);
  // Region entries of one toolkit never apply to another's libraries.
  EXPECT_EQ(classifyFltk(spec, 0, "gdk_threads_enter"), 0);
}

TEST(AuditClassify, SignatureExceptsTellOverloadsApart) {
  static Spec spec;
  char error[160];
  ASSERT_TRUE(spec.parse(kRegionSpec, error, sizeof(error))) << error;
  // Fl_Valuator::value() const is excepted, value(double) is a UI call.
  EXPECT_EQ(classifyFltk(spec, 0, "_ZNK11Fl_Valuator5valueEv"), 0);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN11Fl_Valuator5valueEd"), kStubIsUi);
  // A wildcard name with an empty parameter list and const: every const
  // getter of Fl_Widget itself, not its setters nor const methods with
  // parameters.
  EXPECT_EQ(classifyFltk(spec, 0, "_ZNK9Fl_Widget9visible_rEv"), 0);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZNK9Fl_Widget8draw_boxEv"), 0);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZNK9Fl_Widget8draw_boxE10Fl_Boxtypej"), kStubIsUi);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN9Fl_Widget4showEv"), kStubIsUi);
  // Builtin pointer parameters.
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN6Fl_Box5labelEPKc"), 0);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN6Fl_Box5labelEPc"), kStubIsUi);
  EXPECT_EQ(classifyFltk(spec, 0, "_ZN9Fl_Widget10copy_labelEPKc"), kStubIsUi);
}

TEST(AuditNames, SignaturesOfMangledSymbols) {
  auto sig = [](const char *symbol) {
    QualifiedName n;
    char out[512];
    if (!qualifiedName(symbol, n) || !symbolSignature(symbol, n, out, sizeof(out)))
      return std::string("<none>");
    return std::string(out);
  };
  EXPECT_EQ(sig("_ZNK11Fl_Valuator5valueEv"), "Fl_Valuator::value()const");
  EXPECT_EQ(sig("_ZN12QApplicationC1ERiPPci"), "QApplication::QApplication(int&,char**,int)");
  EXPECT_EQ(sig("_ZN7QPixmapD2Ev"), "QPixmap::~QPixmap()");
  EXPECT_EQ(sig("_ZN7QWidgetaSERKS_"), "QWidget::operator=(constQWidget&)");
  EXPECT_EQ(sig("_Z12wxMessageBoxRK8wxStringS1_lP8wxWindowii"),
            "wxMessageBox(constwxString&,constwxString&,long,wxWindow*,int,int)");
  EXPECT_EQ(sig("_ZNSt6thread4joinEv"), "std::thread::join()");
  EXPECT_EQ(sig("_ZN3FooC1ERKSt6vectorIiSaIiEE"), "Foo::Foo(RKSt6vectorIiSaIiEE)");
  // What is not rendered is left mangled: a '*' matches it.
  EXPECT_EQ(sig("_ZN3Foo3setEiPFviE"), "Foo::set(int,PFviE)");
  EXPECT_EQ(sig("_ZN3Foo3setERKSs"), "Foo::set(RKSs)");
  EXPECT_EQ(sig("_ZN3Foo3getET_"), "Foo::get(T_)");
  EXPECT_EQ(sig("_ZN3Foo3useEPKN2ns3BarE"), "Foo::use(constns::Bar*)");
  EXPECT_EQ(sig("_ZN3Foo3useEVKi"), "Foo::use(constvolatileint)");
  // C functions have no types in their symbols.
  EXPECT_EQ(sig("gtk_label_set_text"), "<none>");
  // Bounded: a signature longer than the buffer is refused, not cut.
  QualifiedName n;
  ASSERT_TRUE(qualifiedName("_ZN9Fl_Widget4sizeEii", n));
  char small[12];
  EXPECT_FALSE(symbolSignature("_ZN9Fl_Widget4sizeEii", n, small, sizeof(small)));
}
