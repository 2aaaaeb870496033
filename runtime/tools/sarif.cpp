#include "sarif.h"

#include "uisan/rules/Json.h"

#include <cstdio>
#include <string_view>
#include <vector>

namespace uisan {

namespace {

using rules::JsonValue;

/// The report kinds, their one-line meaning (docs/runtime.md) and remedy.
struct KindInfo {
  const char *id;
  const char *summary;
  const char *help;
};
const KindInfo kKinds[] = {
    {"ui-call-off-thread", "A UI call from a thread that is not the toolkit's UI thread (or holds no script-run context)",
     "Hand the update to the UI thread (QMetaObject::invokeMethod, g_idle_add, CallAfter), or return the result to the script thread and render it there."},
    {"context-leak", "A thread still holds a run's context after the run ended",
     "Join every thread given the context before the page returns, or do not give it the context."},
    {"stale-context", "A thread uses a context whose run has ended",
     "Join the thread before the run ends; a thread that must live longer must not hold a context."},
    {"thread-leak", "A thread the program started is still running at run end, or never joined at exit",
     "Join the threads you start, or shut down the pool or scheduler on every path out of the scope that owns it."},
    {"executor-leak", "An executor (pool, scheduler) was never shut down",
     "Call shutdown() on every path out of the scope that owns the executor, or own it with an RAII guard."},
};

/// Appends `s` as a JSON string literal.
void quote(std::string &out, std::string_view s) {
  out += '"';
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string str(const JsonValue *v) {
  return v && v->K == JsonValue::Kind::String ? v->String : std::string();
}

long num(const JsonValue *v) {
  return v && v->K == JsonValue::Kind::Number ? static_cast<long>(v->Number) : 0;
}

std::string baseName(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// One frame as a SARIF location: its file and line when known, else its
/// module (and the offset in it, in the message).
void frameLocation(std::string &out, const JsonValue &frame) {
  std::string file = str(frame.find("file")), function = str(frame.find("function"));
  std::string module = str(frame.find("module")), offset = str(frame.find("offset"));
  long line = num(frame.find("line"));
  std::string text = function.empty() ? "(" + baseName(module) + "+" + offset + ")" : function;
  out += "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
  quote(out, sarifUri(file.empty() ? module : file));
  out += "}";
  if (!file.empty() && line > 0)
    out += ",\"region\":{\"startLine\":" + std::to_string(line) + "}";
  out += "},\"message\":{\"text\":";
  quote(out, text);
  out += "}}";
}

/// A thread flow of the frames of `stack` (innermost first in the report),
/// in execution order as SARIF has it: outermost first, nested deeper.
void threadFlow(std::string &out, const JsonValue &stack, const std::string &message) {
  out += "{\"message\":{\"text\":";
  quote(out, message);
  out += "},\"locations\":[";
  size_t n = stack.Array.size();
  for (size_t i = 0; i < n; ++i) {
    if (i)
      out += ",";
    out += "{\"location\":";
    frameLocation(out, stack.Array[n - 1 - i]);
    out += ",\"nestingLevel\":" + std::to_string(i) + "}";
  }
  out += "]}";
}

std::string threadName(const JsonValue *thread) {
  if (!thread)
    return "?";
  std::string name = str(thread->find("id"));
  std::string own = str(thread->find("name"));
  if (!own.empty())
    name += " '" + own + "'";
  return name;
}

/// The result's message, after the text report's first line.
std::string message(const JsonValue &r, const std::string &kind) {
  std::string what = str(r.find("what")), thread = threadName(r.find("thread"));
  std::string toolkit = str(r.find("toolkit")), remedy = str(r.find("remedy"));
  long count = num(r.find("count"));
  std::string text;
  if (kind == "ui-call-off-thread") {
    text = (toolkit.empty() ? "UI call '" : toolkit + " UI call '") + what + "' from thread " +
           thread + (toolkit.empty() ? ", which holds no script-run context"
                                     : ", not the toolkit's UI thread");
    if (long more = num(r.find("more_count")))
      text += ", and " + std::to_string(more) + " more UI call" + (more == 1 ? "" : "s") +
              " on the same stack";
  } else if (kind == "stale-context") {
    text = "UI call '" + what + "' from thread " + thread + " uses the context of run " +
           std::to_string(num(r.find("run"))) + ", which has ended";
  } else if (kind == "context-leak") {
    text = "Thread " + thread + " still holds the context of run " +
           std::to_string(num(r.find("run"))) + " after the run ended";
  } else if (kind == "thread-leak") {
    text = "Thread " + thread +
           (str(r.find("when")) == "run-end" ? " is still running after its run ended"
                                             : " was never joined or detached by exit");
  } else {
    text = "Executor " + str(r.find("executor")) + " '" + what + "' was never shut down";
  }
  if (count > 1)
    text += " (and " + std::to_string(count - 1) + " more like it)";
  if (!remedy.empty())
    text += "; " + remedy;
  return text;
}

void result(std::string &out, const JsonValue &r, int rule) {
  std::string kind = str(r.find("kind"));
  out += "{\"ruleId\":";
  quote(out, kind);
  out += ",\"ruleIndex\":" + std::to_string(rule) + ",\"level\":\"warning\",\"message\":{\"text\":";
  quote(out, message(r, kind));
  out += "},\"locations\":[";
  if (const JsonValue *s = r.find("summary"); s && s->K == JsonValue::Kind::Object) {
    std::string file = str(s->find("file"));
    out += "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
    quote(out, sarifUri(file.empty() ? "unknown" : file));
    out += "}";
    if (long line = num(s->find("line")))
      out += ",\"region\":{\"startLine\":" + std::to_string(line) + "}";
    out += "}";
    std::string function = str(s->find("function"));
    if (!function.empty()) {
      out += ",\"logicalLocations\":[{\"fullyQualifiedName\":";
      quote(out, function);
      out += ",\"kind\":\"function\"}]";
    }
    out += "}";
  }
  out += "]";
  // The stacks, each a thread flow of one code flow.
  std::vector<std::pair<const JsonValue *, std::string>> flows;
  const JsonValue *thread = r.find("thread");
  std::string name = threadName(thread);
  if (const JsonValue *st = r.find("stack"); st && st->K == JsonValue::Kind::Array &&
                                              !st->Array.empty())
    flows.push_back({st, kind == "thread-leak" || kind == "context-leak" || kind == "executor-leak"
                             ? "where it was created (thread " + name + ")"
                             : "the call, on thread " + name});
  if (thread && kind != "thread-leak" && kind != "context-leak")
    if (const JsonValue *c = thread->find("created_at");
        c && c->K == JsonValue::Kind::Array && !c->Array.empty())
      flows.push_back({c, "where thread " + name + " was created"});
  if (const JsonValue *e = r.find("run_ended_at");
      e && e->K == JsonValue::Kind::Array && !e->Array.empty())
    flows.push_back({e, "where run " + std::to_string(num(r.find("run"))) + " ended"});
  if (!flows.empty()) {
    out += ",\"codeFlows\":[{\"threadFlows\":[";
    for (size_t i = 0; i < flows.size(); ++i) {
      if (i)
        out += ",";
      threadFlow(out, *flows[i].first, flows[i].second);
    }
    out += "]}]";
  }
  out += ",\"properties\":{\"pid\":" + std::to_string(num(r.find("pid")));
  if (std::string program = str(r.find("program")); !program.empty()) {
    out += ",\"program\":";
    quote(out, program);
  }
  out += "}}";
}

} // namespace

std::string sarifUri(const std::string &path) {
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (char c : path) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || c == '%' || c == '#' || c == '?' || u >= 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string sarifFromJsonLines(const std::string &lines, const std::string &tool_version,
                               int &skipped) {
  skipped = 0;
  std::string results;
  size_t start = 0;
  while (start < lines.size()) {
    size_t end = lines.find('\n', start);
    if (end == std::string::npos)
      end = lines.size();
    std::string_view line(lines.data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos)
      continue;
    rules::JsonError error;
    std::optional<JsonValue> v = rules::parseJson(line, error);
    int rule = -1;
    if (v && v->K == JsonValue::Kind::Object)
      for (int k = 0; k < static_cast<int>(sizeof(kKinds) / sizeof(kKinds[0])); ++k)
        if (str(v->find("kind")) == kKinds[k].id)
          rule = k;
    if (rule < 0) {
      ++skipped; // a line cut short by a killed process, or not ours
      continue;
    }
    if (!results.empty())
      results += ",";
    result(results, *v, rule);
  }
  std::string out = "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                    "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"uisan-run\","
                    "\"version\":";
  quote(out, tool_version);
  out += ",\"rules\":[";
  for (size_t k = 0; k < sizeof(kKinds) / sizeof(kKinds[0]); ++k) {
    if (k)
      out += ",";
    out += "{\"id\":";
    quote(out, kKinds[k].id);
    out += ",\"name\":";
    quote(out, kKinds[k].id);
    out += ",\"shortDescription\":{\"text\":";
    quote(out, kKinds[k].summary);
    out += "},\"fullDescription\":{\"text\":";
    quote(out, std::string(kKinds[k].summary) + ". " + kKinds[k].help);
    out += "},\"help\":{\"text\":";
    quote(out, std::string(kKinds[k].help) + " See docs/runtime.md, section " + kKinds[k].id + ".");
    out += "},\"defaultConfiguration\":{\"level\":\"warning\"}}";
  }
  out += "]}},\"results\":[" + results + "]}]}\n";
  return out;
}

} // namespace uisan
