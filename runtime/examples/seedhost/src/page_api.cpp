// The st and Jt page APIs: each call is a declared UI call. Without a
// context, st prints Streamlit's "missing ScriptRunContext" warning and Jt
// throws, as Jeamlit does.
#include "host_internal.h"
#include "seed/jt.h"
#include "seed/st.h"

#include <cstdio>
#include <mutex>
#include <pthread.h>
#include <stdexcept>

namespace {

std::mutex g_out;

const char *threadName(char *buf, size_t cap) {
  if (pthread_getname_np(pthread_self(), buf, cap) != 0)
    buf[0] = '\0';
  return buf;
}

/// Renders one element into the page of the calling thread's run; false
/// without a context.
bool render(const char *what, const std::string &text) {
  st::scriptrunner::ScriptRunContext *ctx = seedhost::currentContext();
  std::lock_guard<std::mutex> lock(g_out);
  if (!ctx) {
    char name[16];
    std::fprintf(stderr,
                 "Thread '%s': missing ScriptRunContext! This warning can be "
                 "ignored when running in bare mode.\n",
                 threadName(name, sizeof(name)));
    return false;
  }
  std::printf("[session %d run %d] %s: %s\n", ctx->session, ctx->run, what, text.c_str());
  std::fflush(stdout);
  return true;
}

int g_next_slot = 1;

} // namespace

namespace st {

DeltaGenerator::DeltaGenerator() : slot_(0) {}
DeltaGenerator::DeltaGenerator(int slot) : slot_(slot) {}

void DeltaGenerator::write(const std::string &text) {
  uisan_ui_call("st::DeltaGenerator::write");
  render("write", text);
}
void DeltaGenerator::text(const std::string &text) {
  uisan_ui_call("st::DeltaGenerator::text");
  render("text", text);
}
void DeltaGenerator::header(const std::string &text) {
  uisan_ui_call("st::DeltaGenerator::header");
  render("header", text);
}
DeltaGenerator DeltaGenerator::container() {
  uisan_ui_call("st::DeltaGenerator::container");
  render("container", "");
  std::lock_guard<std::mutex> lock(g_out);
  return DeltaGenerator(g_next_slot++);
}
int DeltaGenerator::slot() const { return slot_; }

void write(const std::string &text) {
  uisan_ui_call("st::write");
  render("write", text);
}
void header(const std::string &text) {
  uisan_ui_call("st::header");
  render("header", text);
}
void text(const std::string &text) {
  uisan_ui_call("st::text");
  render("text", text);
}
bool button(const std::string &label) {
  uisan_ui_call("st::button");
  render("button", label);
  return false;
}
DeltaGenerator container() {
  uisan_ui_call("st::container");
  render("container", "");
  std::lock_guard<std::mutex> lock(g_out);
  return DeltaGenerator(g_next_slot++);
}
DeltaGenerator empty() {
  uisan_ui_call("st::empty");
  render("empty", "");
  std::lock_guard<std::mutex> lock(g_out);
  return DeltaGenerator(g_next_slot++);
}

} // namespace st

namespace Jt {

// Building a component is pure; placing it with use() is the UI call.
TextComponent::TextComponent(std::string body) : body_(std::move(body)) {}

void TextComponent::use() {
  uisan_ui_call("Jt::TextComponent::use");
  if (!render("text", body_))
    throw std::runtime_error("Jt commands in Threads are not supported");
}

TextComponent text(const std::string &body) { return TextComponent(body); }

} // namespace Jt
