// uisan_audit_abi.h - what libuisan.so (in the application's namespace) and
// libuisan_audit.so (the LD_AUDIT module, in a namespace of its own) share.
//
// The audit module sees every binding from the application to a toolkit
// library and, for a UI API, hands back the address of a stub instead of
// the function. Stubs, their records and this header live in one mapping
// the audit module creates; both sides read and write it directly.
//
// A stub, entered exactly as the API would be:
//    (lock incq calls(%rip)        ; only when counting calls, verbosity >= 1)
//     mov  %fs:0x10, %r11          ; the calling thread (pthread_self)
//     mov  ui_slot(%rip), %r10     ; &AuditShared::ui_thread[toolkit]
//     cmp  (%r10), %r11
//     jne  1f
//     jmp  *real(%rip)             ; the UI thread: straight to the API
//  1: lea  record(%rip), %r11
//     jmp  *AuditShared::slow_path(%rip)
// Only %r10 and %r11 (scratch in the SysV ABI, never arguments) are
// touched, so arguments, %al of a varargs call and the stack reach the API
// as the caller left them.
//
// The same stubs replace virtual functions of UI classes in the toolkit
// libraries' own vtables, so virtual calls on toolkit objects are seen as
// well. That costs most of the start-up (~8 ms of CPU for Qt Widgets), and
// a virtual call can only be off the UI thread once there is another
// thread, so it is done lazily: libuisan calls patch_vtables when the app
// starts its first thread, or a thread other than the UI thread first
// makes a UI call.
#ifndef UISAN_AUDIT_ABI_H
#define UISAN_AUDIT_ABI_H

#include <cstdint>

namespace uisan {

constexpr uint32_t kAuditAbiVersion = 4;
constexpr int kAuditMaxToolkits = 16;
constexpr uint32_t kAuditMaxStubs = 16384;
/// Bytes of code per stub; code is generated a page at a time and never
/// changes once a stub of that page has been handed out.
constexpr uint32_t kAuditStubCodeSize = 64;

/// AuditStub::flags.
enum : uint16_t {
  /// Calling this API makes the calling thread the toolkit's UI thread when
  /// none is known yet (`ui_thread.kind: first-caller`).
  kStubSetsUiThread = 1,
  /// The API is a UI call (a stub may only set the UI thread).
  kStubIsUi = 2,
  /// The API enters a lock region (Fl::lock, gdk_threads_enter, a guard's
  /// constructor): UI calls of this toolkit are allowed on the calling
  /// thread until the matching leave.
  kStubRegionEnter = 4,
  /// The API leaves a lock region (Fl::unlock, a guard's destructor).
  kStubRegionLeave = 8,
};

/// How a toolkit's UI thread is found.
enum class AuditUiKind : uint8_t { Main, FirstCaller };

/// One intercepted API.
struct AuditStub {
  void *real;          ///< the API itself
  /// What the stub compares the calling thread with: the toolkit's UI
  /// thread (&AuditShared::ui_thread[toolkit]), or for a call that sets it
  /// or enters or leaves a lock region, &AuditShared::never (0), so that
  /// every call of it reaches the slow path.
  uint64_t *ui_slot;
  uint64_t *toolkit_ui; ///< &AuditShared::ui_thread[toolkit]
  const char *api;     ///< qualified name, e.g. "QLabel::setText"
  const char *symbol;  ///< the symbol as bound (mangled for C++)
  uint16_t toolkit;
  uint16_t flags;
  uint32_t index;
  /// Calls through the stub, counted only with AuditShared::count_calls
  /// (verbosity >= 1): the stub then starts with a `lock incq` of it.
  uint64_t calls;
};

struct AuditToolkit {
  char name[32];        ///< the pack's name ("qt", "gtk", ...)
  char ui_thread_name[32];
  char remedy[256];
  AuditUiKind kind;
  /// The first function that set the UI thread (first-caller), for logs.
  const char *set_by;
  /// The calls that set the UI thread (first-caller), ", "-separated, for
  /// the message about UI calls made before any of them.
  char setters[160];
  /// The UI thread is the main thread because UI calls came before any
  /// setter: a setter called on another thread still takes it over.
  uint8_t ui_fallback;
  /// The first UI call made before the UI thread was known, if any.
  const char *early_call;
  /// Objects of this toolkit loaded (its libraries), for the coverage line.
  uint32_t objects;
  /// UI calls made off its UI thread (reported or not).
  uint64_t off_thread_calls;
  /// Of those, the ones made inside a lock region (never reported).
  uint64_t locked_calls;
};

struct AuditShared {
  uint32_t abi_version;
  uint32_t toolkit_count;
  /// Where a stub goes when the calling thread is not the UI thread (or
  /// none is known): entered with %r11 = the AuditStub, the stack as the
  /// caller left it. Until libuisan.so attaches, a pass-through.
  void *slow_path;
  /// Each toolkit's UI thread as its thread pointer (pthread_self()); 0
  /// while unknown. A thread pointer is never 0, so 0 never matches.
  uint64_t ui_thread[kAuditMaxToolkits];
  /// Always 0: the slot the stubs of UI-thread setters compare with.
  uint64_t never;
  AuditToolkit toolkits[kAuditMaxToolkits];
  /// Counters, for verbosity=1 and the benchmarks.
  uint32_t stub_count;       ///< APIs intercepted
  uint32_t bindings_seen;    ///< bindings into toolkit libraries
  uint32_t objects_checked;  ///< objects whose calls are checked
  uint32_t toolkit_objects;  ///< toolkit libraries loaded
  uint32_t stubs_exhausted;  ///< UI APIs left unchecked: no stub free
  uint32_t vtable_slots;     ///< virtual functions routed through stubs
  char spec_error[160];      ///< a bad UISAN_AUDIT_SPEC line, if any
  uint32_t count_calls;      ///< the stubs count their calls (AuditStub::calls)
  AuditStub *stubs;          ///< the records, [0, stub_count) in use
  /// Patches the vtables of the toolkit libraries loaded at start-up; set
  /// at attach, idempotent and thread-safe. vtables_patched says it ran.
  void (*patch_vtables)();
  uint32_t vtables_patched;
  /// Address ranges of the toolkit libraries: a call from inside them is
  /// the toolkit's own business (a virtual call through a patched vtable).
  static constexpr int kMaxRanges = 256;
  uint32_t range_count;
  struct Range {
    uint64_t start, end;
  } ranges[kMaxRanges];
};

} // namespace uisan

/// Called once by libuisan.so at start-up, through its PLT. libuisan.so's
/// own definition returns nullptr (no audit module loaded); the audit
/// module substitutes a definition that installs `slow_path`, records the
/// main thread and returns the shared state.
extern "C" __attribute__((visibility("default"))) uisan::AuditShared *
__uisan_audit_attach(void *slow_path, uint64_t main_thread);

#endif
