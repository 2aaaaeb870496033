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
  Except,       ///< glob on the qualified name, or with a parameter list
                ///< ("Fl_Valuator::value()const") on the symbol's signature(): never a UI call
  RegionEnter,  ///< glob on the qualified name: enters a lock region (Fl::lock)
  RegionLeave,  ///< glob on the qualified name: leaves it (Fl::unlock)
  RegionGuard,  ///< glob on a class: its constructors enter a lock region, its
                ///< destructor leaves it (a guard object, wxMutexGuiLocker)
};

struct SpecEntry {
  EntryKind kind;
  uint8_t toolkit;
  /// An `except` pattern with a parameter list: matched against the
  /// symbol's signature, never against its bare name.
  bool signature;
  char text[117];
};

struct SpecToolkit {
  char name[32];
  char ui_thread_name[32];
  char remedy[256];
  AuditUiKind kind;
};

/// The toolkit spec. Text format, one item per line:
///   toolkit NAME main|first-caller UI-THREAD-NAME...
///   remedy TEXT...
///   library|ui-thread-library|sets-ui-thread|class|class-only|function|prefix|except TEXT
///   region-enter|region-leave|region-guard TEXT
///   count-calls
/// Item lines belong to the toolkit line above them; '#' starts a comment.
struct Spec {
  /// The shipped packs need about 210 (tests/runtime/pattern_test.cpp
  /// checks they use at most half).
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

/// True for an `except` text with a parameter list: a '(' that is not
/// part of the name "operator()".
bool isSignaturePattern(const char *text);

/// The canonical signature of a mangled C++ function, as rule packs'
/// signature patterns read it (rules::Glob::signature): the qualified name,
/// its parameter list and "const" for a const method, without white space,
/// the way Clang prints canonical types: "Fl_Valuator::value()const",
/// "Fl_Widget::copy_label(constchar*)", "QLabel::setText(constQString&)".
/// Builtin types, pointers, references, cv-qualifiers, plain class names
/// and back-references to them are rendered; from anything else on
/// (templates, function types, std:: abbreviations) the rest of the list
/// is the mangled text, which only a '*' in the pattern matches. False for
/// a C symbol (no types) or one qualifiedName() rejects.
bool symbolSignature(const char *symbol, const QualifiedName &name, char *out, size_t cap);

/// True when the owner class of `name` (or, for `class` entries, one of
/// its bases) is a UI class of `toolkit`.
bool isUiClass(const Spec &spec, int toolkit, const QualifiedName &name,
               const ClassHierarchy &classes);

/// What a symbol bound into toolkit `toolkit` is: a combination of
/// kStubIsUi, kStubSetsUiThread, kStubRegionEnter and kStubRegionLeave, 0
/// for an API left alone. A lock-region call is never a UI call itself.
uint16_t classify(const Spec &spec, int toolkit, const char *symbol,
                  const QualifiedName &name, const ClassHierarchy &classes);

} // namespace audit
} // namespace uisan

#endif
