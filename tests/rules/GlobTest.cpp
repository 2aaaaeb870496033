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
