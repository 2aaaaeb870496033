// uisan_children.h - what the programs this one starts inherit.
//
// By default (follow_children=0) they run without libuisan: a terminal's
// shell and every command in it, a file manager's helpers. libuisan takes
// itself and the audit module out of LD_PRELOAD and LD_AUDIT at start-up,
// in place (the loader has read them already), so whatever the app execs
// later starts clean. With follow_children=1 they are checked too, and the
// report files are named by absolute paths in UISAN_OPTIONS, so a child
// that changed directory still writes where the parent does.
#ifndef UISAN_CHILDREN_H
#define UISAN_CHILDREN_H

#include <cstddef>

namespace uisan {

/// Removes from the ':'- or space-separated list `list` (modified in
/// place) every entry whose file name is one of `names` (nullptr-ended).
/// Returns the number removed.
int removeListEntries(char *list, const char *const *names);

/// `path` made absolute against `cwd` into `out`; false if it does not fit.
/// "stderr", "stdout" and "" are left as they are.
bool absoluteOutputPath(const char *path, const char *cwd, char *out, size_t cap);

/// Start-up: scrubs LD_PRELOAD and LD_AUDIT of uisan's libraries unless
/// `follow`; with it, makes the options' file paths absolute (in place, in
/// `log_path`, `json_path`, `suppressions`, each of `cap` bytes) and puts
/// them into UISAN_OPTIONS for the children.
void prepareChildren(bool follow, char *log_path, char *json_path, char *suppressions,
                     size_t cap);

} // namespace uisan

#endif
