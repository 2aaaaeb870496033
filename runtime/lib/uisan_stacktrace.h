// uisan_stacktrace.h - raw stacks (return addresses) captured without
// allocation, and the classification of an address by the module it is in.
#ifndef UISAN_STACKTRACE_H
#define UISAN_STACKTRACE_H

#include <cstddef>
#include <cstdint>

namespace uisan {

constexpr int kMaxStackFrames = 32;

/// The return addresses of one stack, innermost first; runtime frames are
/// dropped at capture.
struct StackTrace {
  uintptr_t pc[kMaxStackFrames];
  int size;
  uint64_t hash() const;
};

/// Captures the calling thread's stack, dropping frames inside libuisan,
/// keeping at most `max_frames`.
void captureStack(StackTrace &out, int max_frames = kMaxStackFrames);

/// Which kind of code an address belongs to; SUMMARY lines point at the first
/// User frame (the app's own modules: see setAppModules).
enum class CodeOrigin { Runtime, System, Framework, User };

/// Uses libunwind (dlopen'ed privately) when available, else libgcc.
void initUnwinder();
const char *unwinderName();
/// Sets up the calling thread's unwinder state (libunwind's per-thread
/// cache and TLS) if that has not happened yet; captureStack() does it
/// first thing, with the allocation this may cause (glibc allocates a
/// dlopen'ed library's TLS at its first use in a thread) marked as the
/// library's own (t_allocation_allowed). Only threads that capture a stack
/// pay for it.
void prepareUnwinderForThread();

/// Records the text range of the runtime itself (call once at init).
void initCodeOrigins();
/// Which modules are the app's own besides the executable and objects
/// outside the system library directories: those named after `program`
/// (`libmousepad.so.0` or `.../mousepad/...` for `mousepad`), and those
/// whose file name (or path, for a pattern with '/') matches one of the
/// ','-separated globs of `extra` (the app_modules option). Both strings
/// must outlive the runtime.
void setAppModules(const char *program, const char *extra);
/// True when the module at `path` is the app's own by those rules (an
/// empty path is the executable).
bool isAppModulePath(const char *path);
/// True for a source file of a system header (`/usr/include/...`): code
/// inlined from it is the toolkit's or the standard library's, not the
/// app's, whatever module it was compiled into.
bool isSystemSourceFile(const char *file);
/// Declares the module containing `address` as framework code.
void declareFrameworkModule(const void *address);
CodeOrigin classifyAddress(uintptr_t pc);
/// True for an address inside libuisan (or the unit-test binary's core), or
/// inside a sanitizer runtime's interceptors, which stand in front of ours.
bool isRuntimeAddress(uintptr_t pc);

} // namespace uisan

#endif
