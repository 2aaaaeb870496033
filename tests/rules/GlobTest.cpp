#include "uisan/rules/Glob.h"

#include <gtest/gtest.h>

using uisan::rules::Glob;

namespace {
Glob mustCompile(const char *Text) {
  std::string Why;
  std::optional<Glob> G = Glob::compile(Text, Why);
  EXPECT_TRUE(G) << Text << ": " << Why;
  return G ? *G : *Glob::compile("x", Why);
}
} // namespace

TEST(Glob, LiteralMatchesOnlyItself) {
  Glob G = mustCompile("QLabel::setText");
  EXPECT_TRUE(G.isLiteral());
  EXPECT_TRUE(G.matches("QLabel::setText"));
  EXPECT_FALSE(G.matches("QLabel::setTextFormat"));
  EXPECT_FALSE(G.matches("MyQLabel::setText"));
}

TEST(Glob, StarCrossesScopes) {
  Glob G = mustCompile("st::*");
  EXPECT_TRUE(G.matches("st::write"));
  EXPECT_TRUE(G.matches("st::DeltaGenerator::write"));
  EXPECT_FALSE(G.matches("std::thread::thread"));
  EXPECT_FALSE(G.matches("st"));
}

TEST(Glob, InnerStarAndQuestionMark) {
  Glob G = mustCompile("gtk_*_get_type");
  EXPECT_TRUE(G.matches("gtk_label_get_type"));
  EXPECT_TRUE(G.matches("gtk_widget_class_get_type"));
  EXPECT_FALSE(G.matches("gtk_label_set_text"));
  EXPECT_TRUE(mustCompile("*::tr").matches("MainWindow::tr"));
  EXPECT_FALSE(mustCompile("*::tr").matches("MainWindow::trace"));
  EXPECT_TRUE(mustCompile("g_idle_add?").matches("g_idle_add2"));
  EXPECT_TRUE(mustCompile("*::operator()").matches("Worker::operator()"));
}

TEST(Glob, RejectsMalformedPatterns) {
  std::string Why;
  EXPECT_FALSE(Glob::compile("", Why));
  EXPECT_FALSE(Glob::compile("std:thread", Why));
  EXPECT_NE(Why.find("did you mean '::'"), std::string::npos) << Why;
  EXPECT_FALSE(Glob::compile("::std::thread", Why));
  EXPECT_FALSE(Glob::compile("std::thread::", Why));
  EXPECT_FALSE(Glob::compile("std:::thread", Why));
  EXPECT_FALSE(Glob::compile("QLabel setText", Why));
  EXPECT_FALSE(Glob::compile("QLabel.setText", Why));
  EXPECT_NE(Why.find("'.'"), std::string::npos) << Why;
}

TEST(Glob, SignaturePatternsTellOverloadsApart) {
  std::string Why;
  std::optional<Glob> Getter =
      Glob::compile("Fl_Valuator::value() const", Why, /*AllowSignature=*/true);
  ASSERT_TRUE(Getter) << Why;
  EXPECT_TRUE(Getter->hasSignature());
  EXPECT_EQ(Getter->text(), "Fl_Valuator::value()const");
  EXPECT_TRUE(Getter->matches(Glob::signature("Fl_Valuator::value", {}, true)));
  EXPECT_FALSE(Getter->matches(Glob::signature("Fl_Valuator::value", {"double"}, false)));
  EXPECT_FALSE(Getter->matches(Glob::signature("Fl_Valuator::value", {}, false)));
  // White space is not significant; '*' in a parameter list is a wildcard.
  std::optional<Glob> Any = Glob::compile("*::grab( * )", Why, true);
  ASSERT_TRUE(Any) << Why;
  EXPECT_TRUE(Any->matches(Glob::signature("QWidget::grab", {"const QRect &"}, false)));
  EXPECT_FALSE(Any->matches(Glob::signature("QWidget::grab", {"int"}, true)));
  EXPECT_EQ(Glob::signature("f", {"const char *", "unsigned int"}, false),
            "f(constchar*,unsignedint)");
  // 'operator()' is a name, not a parameter list.
  std::optional<Glob> Op = Glob::compile("Job::operator()(int)", Why, true);
  ASSERT_TRUE(Op) << Why;
  EXPECT_TRUE(Op->matches("Job::operator()(int)"));
  EXPECT_FALSE(Glob::compile("Job::operator()", Why, true)->hasSignature());
}

TEST(Glob, SignatureErrorsAreExplained) {
  std::string Why;
  EXPECT_FALSE(Glob::compile("Fl_Valuator::value() const", Why));
  EXPECT_NE(Why.find("only understood in 'except' lists"), std::string::npos) << Why;
  EXPECT_FALSE(Glob::compile("f() volatile", Why, true));
  EXPECT_NE(Why.find("only 'const'"), std::string::npos) << Why;
  EXPECT_FALSE(Glob::compile("f(int", Why, true));
  EXPECT_NE(Why.find("parameter list"), std::string::npos) << Why;
  EXPECT_FALSE(Glob::compile("(int)", Why, true));
  EXPECT_NE(Why.find("function name"), std::string::npos) << Why;
  EXPECT_FALSE(Glob::compile("a:b(int)", Why, true));
  EXPECT_NE(Why.find("'::'"), std::string::npos) << Why;
}
