//===- FactsCache.h - facts of translation units kept between runs --------===//
//
// A TU's facts are kept under a key made of everything that decides them
// except the sources: the tool's version, the facts' format, the rule
// packs' text, the options that shape extraction, and the TU's compile
// command. With them the entry keeps the files the TU read (path, size,
// modification time, BLAKE3 hash); an entry is used only if every one is
// unchanged (size and time equal, or else the same hash). This is the
// preprocessed input, checked file by file as ccache's direct mode does:
// re-running over an unchanged tree parses nothing, and changing one
// header re-extracts exactly the TUs that read it.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_FACTSCACHE_H
#define UISAN_CHECKER_FACTSCACHE_H

#include "../lib/Facts.h"

#include "llvm/ADT/StringRef.h"

#include "llvm/ADT/StringMap.h"

#include <mutex>
#include <optional>
#include <string>

namespace uisan::tidy {

/// A directory of facts files, one per key.
class FactsCache {
public:
  explicit FactsCache(std::string Dir) : Dir(std::move(Dir)) {}

  /// The key of a TU: a hex digest of `Parts` (joined unambiguously).
  static std::string key(llvm::ArrayRef<std::string> Parts);

  /// The facts stored under `Key`, if every file they depend on is as it
  /// was. A missing, stale or unreadable entry is a miss.
  std::optional<facts::TranslationUnit> lookup(llvm::StringRef Key) const;

  /// Stores `TU` under `Key` (written to a temporary file and renamed, so a
  /// concurrent reader never sees half of it). Returns an error message,
  /// or "" on success.
  std::string store(llvm::StringRef Key, const facts::TranslationUnit &TU) const;

  const std::string &directory() const { return Dir; }

private:
  std::string path(llvm::StringRef Key) const;
  /// True when `D` of `TU` still has the contents it had. Each file is
  /// looked at once per run: the TUs of a program share most headers.
  bool unchanged(const facts::TranslationUnit &TU, const facts::Dependency &D,
                 int64_t WrittenAt) const;

  std::string Dir;
  struct Seen {
    uint64_t Size = 0;
    int64_t MTime = 0;
    std::array<uint8_t, 16> Hash{};
    bool Exists = false;
    bool Hashed = false;
  };
  mutable std::mutex Lock;
  mutable llvm::StringMap<Seen> Files;
};

/// Writes `Bytes` to `Path` through a temporary file in the same directory
/// and a rename. Returns an error message, or "".
std::string writeFileAtomically(llvm::StringRef Path, llvm::StringRef Bytes);

} // namespace uisan::tidy

#endif
