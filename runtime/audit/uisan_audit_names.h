// uisan_audit_names.h - what the audit module decides from a symbol's name:
// the toolkit spec uisan-run compiles from the rule packs, the qualified
// name of a mangled C++ symbol, and whether a bound symbol is a UI API.
//
// Runs inside the dynamic loader's audit callbacks: libc only, fixed-size
// tables, no allocation, no exceptions.
#ifndef UISAN_AUDIT_NAMES_H
#define UISAN_AUDIT_NAMES_H

#include "uisan_audit_abi.h"

#include <cstddef>
#include <cstdint>

namespace uisan {
namespace audit {

/// '*' matches any run of characters (including "::"), '?' one character;
/// the whole of `text` must match.
bool globMatches(const char *pattern, const char *text);

/// One line of the spec, after its toolkit line.
enum class EntryKind : uint8_t {
  Library,      ///< a toolkit shared object: glob on the file name (or path if it has '/')
  UiThreadLibrary, ///< a shared object holding only sets-ui-thread functions (libgio's
                   ///< g_application_run): same glob; its other functions are left alone
  SetsUiThread, ///< first-caller: calling it makes the thread the UI thread
  Class,        ///< methods of the class and of its subclasses are UI calls
  ClassOnly,    ///< methods of the class itself are UI calls
  Function,     ///< glob on the qualified name
  Prefix,       ///< C functions whose name starts with it
  Except,       ///< glob on the qualified name: never a UI call
};

struct SpecEntry {
  EntryKind kind;
  uint8_t toolkit;
  char text[118];
};

struct SpecToolkit {
  char name[32];
  char ui_thread_name[32];
  char remedy[160];
  AuditUiKind kind;
};

/// The toolkit spec. Text format, one item per line:
///   toolkit NAME main|first-caller UI-THREAD-NAME...
///   remedy TEXT...
///   library|ui-thread-library|sets-ui-thread|class|class-only|function|prefix|except TEXT
///   count-calls
/// Item lines belong to the toolkit line above them; '#' starts a comment.
struct Spec {
  static constexpr int kMaxEntries = 1024;
  SpecToolkit toolkits[kAuditMaxToolkits];
  int toolkit_count;
  SpecEntry entries[kMaxEntries];
  int entry_count;
  /// `count-calls` (a line of its own, anywhere): stubs count their calls.
  bool count_calls;

  /// Parses `text`; on a bad line returns false with "line N: why" in
  /// `error`. The entries before the bad line stay usable.
  bool parse(const char *text, char *error, size_t error_cap);
  /// The toolkit whose `library` entries match the object at `path`, or -1.
  /// With `ui_thread_only`, `ui-thread-library` entries match too, and it
  /// says which kind matched.
  int toolkitOfLibrary(const char *path, bool *ui_thread_only = nullptr) const;
};

/// A symbol's qualified name, split into its components.
struct QualifiedName {
  static constexpr int kMaxParts = 8;
  char text[256];      ///< "QLabel::setText", "gtk_label_set_text"
  int parts;           ///< components in text
  int owner_end;       ///< length of the owner ("QLabel"), 0 if none
  /// The owner class as a mangled type name ("6QLabel", "N2ns3FooE"),
  /// for its typeinfo symbol "_ZTI" + owner_mangled; empty if none.
  char owner_mangled[160];
};

/// Parses `symbol` (a C name, or an Itanium-mangled function name without
/// template arguments or substitutions in its nested name). False when the
/// name is not one the spec can talk about (templates, thunks, data).
bool qualifiedName(const char *symbol, QualifiedName &out);

/// Turns a mangled type name ("6QLabel", "N2ns3FooE") into "ns::Foo";
/// false if it is not a plain class name.
bool demangleClassName(const char *mangled, char *out, size_t cap);

/// The owner class and its bases, by demangled name; supplied by the
/// caller (RTTI in the process, a table in tests). `any` calls
/// `visit(name, ctx)` for the owner class and every base class, stops when
/// `visit` returns true, and returns that result.
struct ClassHierarchy {
  using Visitor = bool (*)(const char *name, void *ctx);
  bool (*any)(const void *self, const QualifiedName &owner, Visitor visit, void *ctx);
  const void *self;
};

/// True when the owner class of `name` (or, for `class` entries, one of
/// its bases) is a UI class of `toolkit`.
bool isUiClass(const Spec &spec, int toolkit, const QualifiedName &name,
               const ClassHierarchy &classes);

/// What a symbol bound into toolkit `toolkit` is: a combination of
/// kStubIsUi and kStubSetsUiThread, 0 for an API left alone.
uint16_t classify(const Spec &spec, int toolkit, const char *symbol,
                  const QualifiedName &name, const ClassHierarchy &classes);

} // namespace audit
} // namespace uisan

#endif
