// uisan_symbolizer.h - turns raw stacks into file:line frames by talking to
// an llvm-symbolizer child process over a socket (see docs/runtime.md for
// why not libdw in-process: no allocation in the app's heap, inline frames
// and demangling for free, and a crash in DWARF parsing cannot take the app
// down).
#ifndef UISAN_SYMBOLIZER_H
#define UISAN_SYMBOLIZER_H

#include "uisan_report.h"
#include "uisan_stacktrace.h"

namespace uisan {

/// Configures the symbolizer; `path` empty means search the defaults.
/// Does not start it (it starts on first use).
void symbolizerInit(bool enabled, const char *path);

/// Fills `out` from `raw`; caller holds the report lock.
void symbolizeStack(const StackTrace &raw, Stack &out);

/// Parses one llvm-symbolizer reply ("function\nfile:line:col\n" per frame,
/// innermost inlined frame first, then an empty line) into frames of `pc`;
/// returns how many.
int parseSymbolizerReply(const char *reply, uintptr_t pc, const char *module,
                         uintptr_t offset, bool user, Frame *out, int max);

/// In a fork child: forget the parent's symbolizer process.
void symbolizerAfterForkChild();

} // namespace uisan

#endif
