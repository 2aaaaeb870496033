//===- FactsCache.cpp - facts of translation units kept between runs ------===//

#include "FactsCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

namespace uisan::tidy {

std::string FactsCache::key(llvm::ArrayRef<std::string> Parts) {
  llvm::BLAKE3 H;
  for (const std::string &P : Parts) {
    // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
    std::string Len = std::to_string(P.size()) + ":";
    H.update(Len);
    H.update(P);
  }
  auto Digest = H.final<20>();
  return llvm::toHex(Digest, /*LowerCase=*/true);
}

std::string FactsCache::path(llvm::StringRef Key) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key.take_front(2), Key.str() + ".facts");
  return std::string(P);
}

bool FactsCache::unchanged(const facts::TranslationUnit &TU,
                           const facts::Dependency &D, int64_t WrittenAt) const {
  llvm::StringRef Path = TU.str(D.Path);
  std::unique_lock<std::mutex> G(Lock);
  auto [It, New] = Files.try_emplace(Path);
  Seen &S = It->second;
  if (New) {
    llvm::sys::fs::file_status Status;
    S.Exists = !llvm::sys::fs::status(Path, Status) &&
               Status.type() == llvm::sys::fs::file_type::regular_file;
    S.Size = Status.getSize();
    S.MTime = std::chrono::duration_cast<std::chrono::seconds>(
                  Status.getLastModificationTime().time_since_epoch())
                  .count();
  }
  if (!S.Exists || S.Size != D.Size)
    return false;
  // A file changed within the second before its facts were written may
  // have the time it had; its contents decide, as for a touched file.
  if (S.MTime == D.MTime && D.MTime + 2 < WrittenAt)
    return true;
  if (!S.Hashed) {
    G.unlock();
    auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false);
    std::array<uint8_t, 16> Hash{};
    bool Read = static_cast<bool>(Buffer);
    if (Read)
      Hash = llvm::BLAKE3::hash<16>(
          llvm::arrayRefFromStringRef((*Buffer)->getBuffer()));
    G.lock();
    if (!Read) {
      S.Exists = false;
      return false;
    }
    S.Hash = Hash;
    S.Hashed = true;
  }
  return std::equal(S.Hash.begin(), S.Hash.end(), D.Hash.begin());
}

std::optional<facts::TranslationUnit>
FactsCache::lookup(llvm::StringRef Key) const {
  std::string P = path(Key);
  auto Buffer = llvm::MemoryBuffer::getFile(P, /*IsText=*/false);
  if (!Buffer)
    return std::nullopt;
  llvm::Expected<facts::TranslationUnit> TU =
      facts::deserialize((*Buffer)->getBuffer(), P);
  if (!TU) {
    llvm::consumeError(TU.takeError()); // a stale format: extract again
    return std::nullopt;
  }
  llvm::sys::fs::file_status Status;
  int64_t WrittenAt = 0;
  if (!llvm::sys::fs::status(P, Status))
    WrittenAt = std::chrono::duration_cast<std::chrono::seconds>(
                    Status.getLastModificationTime().time_since_epoch())
                    .count();
  for (const facts::Dependency &D : TU->Dependencies)
    if (!unchanged(*TU, D, WrittenAt))
      return std::nullopt;
  return std::move(*TU);
}

std::string writeFileAtomically(llvm::StringRef Path, llvm::StringRef Bytes) {
  llvm::SmallString<256> Dir = Path;
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return "cannot create '" + Dir.str().str() + "': " + EC.message();
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(
          Path + ".tmp-%%%%%%%%", FD, Temp))
    return "cannot write in '" + Dir.str().str() + "': " + EC.message();
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Bytes;
    OS.flush();
    if (OS.has_error()) {
      std::string Why = OS.error().message();
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return "cannot write '" + Temp.str().str() + "': " + Why;
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return "cannot write '" + Path.str() + "': " + EC.message();
  }
  return "";
}

std::string FactsCache::store(llvm::StringRef Key,
                              const facts::TranslationUnit &TU) const {
  return writeFileAtomically(path(Key), facts::serialize(TU));
}

} // namespace uisan::tidy
