// launcher.h - uisan-run: validates options and rule packs, then execs the
// app with libuisan.so preloaded. A library so tests can drive it.
#ifndef UISAN_LAUNCHER_H
#define UISAN_LAUNCHER_H

namespace uisan {

/// Exit codes of uisan-run itself (otherwise the app's own, or `exitcode`).
constexpr int kLauncherUsageError = 2;
constexpr int kLauncherSarifError = 3; ///< --sarif: the file could not be written
constexpr int kLauncherCannotExecute = 126;
constexpr int kLauncherNotFound = 127;

/// Runs uisan-run; returns only on error (the exit code to use).
int launcherMain(int argc, char **argv);

} // namespace uisan

#endif
