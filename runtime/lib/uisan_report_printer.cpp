#include "uisan_report_printer.h"
#include "uisan_stacktrace.h"

#include <cstring>

namespace uisan {

const char *stripPrefix(const char *file, const char *prefix) {
  size_t n = prefix ? std::strlen(prefix) : 0;
  if (n && !std::strncmp(file, prefix, n))
    return file + n;
  return file;
}

namespace {

const char *baseName(const char *path) {
  const char *slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

void threadName(const ThreadDesc &t, Out &out) {
  out.str("T").udec(t.uid);
  if (t.name[0])
    out.str(" '").str(t.name).str("'");
  if (t.is_main)
    out.str(" (main thread)");
  else
    out.str(t.running ? " (running)" : " (finished)");
}

void frameText(const Frame &f, int index, const PrintOptions &o, Out &out) {
  out.str("    #").dec(index).str(" ").hex(f.pc, 12).str(" ");
  if (f.function[0])
    out.str(f.function).str(" ");
  if (f.file[0]) {
    out.str(stripPrefix(f.file, o.strip_path_prefix));
    if (f.line)
      out.str(":").dec(f.line);
  } else {
    out.str("(").str(baseName(f.module)).str("+").hex(f.module_offset).str(")");
  }
  out.str("\n");
}

/// Where an omitted frame is: the system header it was inlined from
/// (std_thread.h), else its module (libstdc++.so.6).
const char *frameWhere(const Frame &f) {
  return baseName(f.file[0] && isSystemSourceFile(f.file) ? f.file : f.module);
}

/// A stack starts at its first frame in the app's own code: the frames
/// before it (inside the toolkit, the standard library, a framework, or
/// code inlined from their headers) are named on one line, and the JSON
/// log keeps them all.
void stackText(const Stack &s, const PrintOptions &o, Out &out) {
  if (!s.size) {
    out.str("    <empty stack>\n");
    return;
  }
  int first = 0;
  while (first < s.size && !s.frames[first].origin_user)
    ++first;
  if (first == s.size)
    first = 0;
  if (first > 0) {
    out.str("    (#0");
    if (first > 1)
      out.str("-#").dec(first - 1);
    out.str(" not shown: ");
    for (int i = 0; i < first; ++i) {
      const char *where = frameWhere(s.frames[i]);
      bool seen = false;
      for (int j = 0; j < i && !seen; ++j)
        seen = !std::strcmp(frameWhere(s.frames[j]), where);
      if (!seen)
        out.str(i ? ", " : "").str(where);
    }
    out.str(")\n");
  }
  for (int i = first; i < s.size; ++i)
    frameText(s.frames[i], i, o, out);
}

void createdByText(const ThreadDesc &t, Out &out) {
  if (t.is_main) {
    out.str("the process's main thread");
  } else if (t.external) {
    out.str("not started under uisan");
  } else {
    out.str("created");
    if (t.has_parent)
      out.str(" by thread T").udec(t.parent_uid);
    out.str(" at:");
  }
}

void threadSection(const ThreadDesc &t, const PrintOptions &o, Out &out) {
  if (t.is_main) {
    out.str("\n  Thread T").udec(t.uid).str(" is the process's main thread.\n");
    return;
  }
  out.str("\n  Thread ");
  threadName(t, out);
  if (t.external) {
    out.str(" was not started under uisan (no creation stack).\n");
    return;
  }
  out.str(" ");
  createdByText(t, out);
  out.str("\n");
  stackText(t.created, o, out);
}

void runText(const Report &r, Out &out) {
  out.str("run ").udec(r.run_id);
  if (r.run_known)
    out.str(" (session ").udec(r.session_id).str(")");
}

void summaryText(const Report &r, const PrintOptions &o, Out &out) {
  out.str("SUMMARY: uisan: ").str(reportKindName(r.kind));
  if (const Frame *f = r.summaryFrame()) {
    if (f->file[0]) {
      out.str(" ").str(stripPrefix(f->file, o.strip_path_prefix));
      out.str(":").dec(f->line);
    } else {
      out.str(" (").str(baseName(f->module)).str("+").hex(f->module_offset).str(")");
    }
    if (f->function[0])
      out.str(" in ").str(f->function);
  }
  out.str("\n");
}

/// The further UI calls grouped into a report.
void moreCallsText(const Report &r, const PrintOptions &o, Out &out) {
  if (!r.more_calls)
    return;
  const Frame *f = r.summaryFrame();
  out.str("  And ").dec(r.more_calls).str(r.more_calls == 1 ? " more UI call" : " more UI calls");
  if (f && f->function[0])
    out.str(" in '").str(f->function).str("'");
  out.str(" on this stack:\n");
  for (int i = 0; i < r.more_listed; ++i) {
    const MoreCall &m = r.more[i];
    out.str("    '").str(m.what).str("'");
    if (m.file[0])
      out.str(" at ").str(stripPrefix(m.file, o.strip_path_prefix)).str(":").dec(m.line);
    if (m.function[0] && (!f || std::strcmp(m.function, f->function)))
      out.str(" in '").str(m.function).str("'");
    if (m.destructor_of_reported)
      out.str(" (destroying the object constructed above)");
    out.str("\n");
  }
  if (r.more_calls > r.more_listed)
    out.str("    ... and ").dec(r.more_calls - r.more_listed).str(" more\n");
}

const char *leakNoun(ReportKind k) {
  if (k == ReportKind::ExecutorLeak)
    return "executor leaks";
  return k == ReportKind::ContextLeak ? "context leaks" : "thread leaks";
}

} // namespace

void printReportText(const Report &r, const PrintOptions &o, Out &out) {
  out.str("==================\n");
  out.str("WARNING: uisan: ").str(reportKindName(r.kind)).str(" (pid=").dec(r.pid);
  if (r.name_program && r.program[0])
    out.str(", program=").str(r.program);
  out.str(")\n");
  switch (r.kind) {
  case ReportKind::UiCallOffThread:
    if (r.toolkit[0]) {
      out.str("  ").str(r.toolkit).str(" UI call '").str(r.what).str("' from thread ");
      threadName(r.thread, out);
      out.str(", not the ").str(r.ui_thread_name);
      if (r.ui_thread_known)
        out.str(" (T").udec(r.ui_thread_uid).str(")");
      out.str(":\n");
    } else {
      out.str("  UI call '").str(r.what).str("' from thread ");
      threadName(r.thread, out);
      out.str(", which holds no script-run context:\n");
    }
    stackText(r.stack, o, out);
    moreCallsText(r, o, out);
    if (r.remedy[0])
      out.str("  Remedy: ").str(r.remedy).str(".\n");
    threadSection(r.thread, o, out);
    break;
  case ReportKind::StaleContext:
    out.str("  UI call '").str(r.what).str("' from thread ");
    threadName(r.thread, out);
    out.str(" uses the context of ");
    runText(r, out);
    out.str(", which has ended:\n");
    stackText(r.stack, o, out);
    moreCallsText(r, o, out);
    if (r.run_known && r.run_end.size) {
      out.str("\n  ");
      runText(r, out);
      out.str(" ended at:\n");
      stackText(r.run_end, o, out);
    }
    threadSection(r.thread, o, out);
    break;
  case ReportKind::ContextLeak:
    out.str("  Thread ");
    threadName(r.thread, out);
    out.str(" still holds the context of ");
    runText(r, out);
    out.str(" ").dec(r.linger_ms).str(" ms after the run ended; ");
    createdByText(r.thread, out);
    out.str("\n");
    stackText(r.stack, o, out);
    if (r.run_known && r.run_end.size) {
      out.str("\n  ");
      runText(r, out);
      out.str(" ended at:\n");
      stackText(r.run_end, o, out);
    }
    break;
  case ReportKind::ThreadLeak:
    out.str("  Thread ");
    threadName(r.thread, out);
    if (r.leak_when == LeakWhen::RunEnd) {
      out.str(", started during ");
      runText(r, out);
      out.str(", is still running ").dec(r.linger_ms).str(" ms after the run ended; ");
    } else {
      out.str(r.thread.running ? " is still running at exit and was never joined or detached; "
                               : " finished but was never joined; ");
    }
    createdByText(r.thread, out);
    out.str("\n");
    stackText(r.stack, o, out);
    break;
  case ReportKind::ExecutorLeak:
    out.str("  Executor E").udec(r.executor_id).str(" '").str(r.what).str("'");
    out.str(" was never shut down; created by thread T").udec(r.thread.uid).str(" at:\n");
    stackText(r.stack, o, out);
    break;
  }
  if (r.count > 1)
    out.str("\n  And ").dec(r.count - 1).str(" more similar ").str(leakNoun(r.kind)).str(".\n");
  out.str("\n");
  summaryText(r, o, out);
  out.str("==================\n");
}

namespace {

void stackJson(const Stack &s, const PrintOptions &o, Out &out) {
  out.ch('[');
  for (int i = 0; i < s.size; ++i) {
    const Frame &f = s.frames[i];
    if (i)
      out.ch(',');
    out.str("{\"pc\":\"").hex(f.pc).str("\",\"function\":").json(f.function);
    out.str(",\"file\":").json(stripPrefix(f.file, o.strip_path_prefix));
    out.str(",\"line\":").dec(f.line).str(",\"module\":").json(f.module);
    out.str(",\"offset\":\"").hex(f.module_offset).str("\"}");
  }
  out.ch(']');
}

} // namespace

void printReportJson(const Report &r, const PrintOptions &o, Out &out) {
  out.str("{\"kind\":").json(reportKindName(r.kind));
  out.str(",\"pid\":").dec(r.pid);
  if (r.program[0])
    out.str(",\"program\":").json(r.program);
  out.str(",\"count\":").dec(r.count < 1 ? 1 : r.count);
  out.str(",\"what\":").json(r.what);
  if (r.toolkit[0]) {
    out.str(",\"toolkit\":").json(r.toolkit);
    if (r.ui_thread_known)
      out.str(",\"ui_thread\":\"T").udec(r.ui_thread_uid).str("\"");
    out.str(",\"remedy\":").json(r.remedy);
  }
  out.str(",\"summary\":");
  if (const Frame *f = r.summaryFrame()) {
    out.str("{\"function\":").json(f->function);
    out.str(",\"file\":").json(stripPrefix(f->file, o.strip_path_prefix));
    out.str(",\"line\":").dec(f->line).str("}");
  } else {
    out.str("null");
  }
  const ThreadDesc &t = r.thread;
  out.str(",\"thread\":{\"id\":\"T").udec(t.uid).str("\",\"name\":").json(t.name);
  out.str(",\"state\":").json(t.running ? "running" : "finished");
  out.str(",\"main\":").str(t.is_main ? "true" : "false");
  if (t.has_parent)
    out.str(",\"created_by\":\"T").udec(t.parent_uid).str("\"");
  out.str(",\"created_at\":");
  stackJson(t.created, o, out);
  out.str("},\"stack\":");
  stackJson(r.stack, o, out);
  if (r.run_id) {
    out.str(",\"run\":").udec(r.run_id);
    if (r.run_known) {
      out.str(",\"session\":").udec(r.session_id).str(",\"run_ended_at\":");
      stackJson(r.run_end, o, out);
    }
  }
  if (r.more_calls) {
    out.str(",\"more_count\":").dec(r.more_calls).str(",\"more_calls\":[");
    for (int i = 0; i < r.more_listed; ++i) {
      const MoreCall &m = r.more[i];
      out.str(i ? ",{" : "{").str("\"what\":").json(m.what).str(",\"function\":").json(m.function);
      out.str(",\"file\":").json(stripPrefix(m.file, o.strip_path_prefix));
      out.str(",\"line\":").dec(m.line).str(",\"destructor\":");
      out.str(m.destructor_of_reported ? "true}" : "false}");
    }
    out.str("]");
  }
  if (r.kind == ReportKind::ThreadLeak)
    out.str(",\"when\":").json(r.leak_when == LeakWhen::RunEnd ? "run-end" : "exit");
  if (r.kind == ReportKind::ExecutorLeak)
    out.str(",\"executor\":\"E").udec(r.executor_id).str("\"");
  out.str("}\n");
}

} // namespace uisan
