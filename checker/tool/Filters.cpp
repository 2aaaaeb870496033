//===- Filters.cpp - which findings a run shows ---------------------------===//

#include "Filters.h"

#include "clang-tidy/GlobList.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

namespace uisan::tidy {

bool LineSet::contains(unsigned Line) const {
  if (All)
    return true;
  for (const auto &[First, Last] : Ranges)
    if (First <= Line && Line <= Last)
      return true;
  return false;
}

namespace {

std::string normalise(llvm::StringRef Path, llvm::StringRef BaseDir) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(BaseDir, P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// "12" or "12,3" of a hunk header; false if it is not a number.
bool parseRange(llvm::StringRef Text, unsigned &Start, unsigned &Count) {
  auto [S, C] = Text.split(',');
  if (S.getAsInteger(10, Start))
    return false;
  Count = 1;
  return C.empty() || !C.getAsInteger(10, Count);
}

} // namespace

std::optional<ChangedLines> parseUnifiedDiff(llvm::StringRef Diff,
                                             llvm::StringRef BaseDir,
                                             std::string &Error) {
  ChangedLines Out;
  LineSet *Current = nullptr; // the file of the hunks that follow
  unsigned NewLine = 0, Remaining = 0, OldRemaining = 0, Number = 0;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Diff.consume_back("\n"); // no empty line after the last one
  Diff.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    ++Number;
    Line.consume_back("\r");
    if (Remaining || OldRemaining) {
      // Inside a hunk: '+' adds a line of the new file, ' ' keeps one,
      // '-' removes one of the old, '\' is "No newline at end of file".
      if (Line.starts_with("\\"))
        continue;
      char Kind = Line.empty() ? ' ' : Line.front();
      if (Kind == '+' && Remaining) {
        if (Current)
          Current->Ranges.push_back({NewLine, NewLine});
        ++NewLine;
        --Remaining;
        continue;
      }
      if (Kind == ' ' && Remaining && OldRemaining) {
        ++NewLine;
        --Remaining;
        --OldRemaining;
        continue;
      }
      if (Kind == '-' && OldRemaining) {
        --OldRemaining;
        continue;
      }
      Error = "line " + std::to_string(Number) +
              ": the hunk has fewer lines than its '@@' header says";
      return std::nullopt;
    }
    if (Line.starts_with("+++ ")) {
      llvm::StringRef Path = Line.drop_front(4);
      // `diff -u` puts a tab and a time stamp after the name.
      Path = Path.split('\t').first.rtrim();
      if (Path == "/dev/null") {
        Current = nullptr; // a deleted file has no lines left
        continue;
      }
      Path.consume_front("b/");
      Current = &Out[normalise(Path, BaseDir)];
      continue;
    }
    if (Line.starts_with("@@ ")) {
      // @@ -old[,count] +new[,count] @@ [context]
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      Line.split(Parts, ' ', /*MaxSplit=*/3, /*KeepEmpty=*/false);
      unsigned OldStart, OldCount, NewStart, NewCount;
      if (Parts.size() < 3 || !Parts[1].consume_front("-") ||
          !Parts[2].consume_front("+") ||
          !parseRange(Parts[1], OldStart, OldCount) ||
          !parseRange(Parts[2], NewStart, NewCount)) {
        Error = "line " + std::to_string(Number) + ": malformed hunk header '" +
                Line.str() + "'; expected '@@ -a,b +c,d @@'";
        return std::nullopt;
      }
      if (!Current && NewCount) {
        Error = "line " + std::to_string(Number) +
                ": a hunk before any '+++ file' line";
        return std::nullopt;
      }
      NewLine = NewStart;
      Remaining = NewCount;
      OldRemaining = OldCount;
      continue;
    }
    // Everything else is a header line: diff --git, index, ---, mode lines.
  }
  if (Remaining || OldRemaining) {
    Error = "line " + std::to_string(Number) +
            ": the diff ends inside a hunk (it has fewer lines than its '@@' "
            "header says)";
    return std::nullopt;
  }
  return Out;
}

bool touchesChangedLines(const Finding &F, const ChangedLines &Changed) {
  auto On = [&](const SourceLocationInfo &L) {
    auto It = Changed.find(L.File);
    return It != Changed.end() && It->second.contains(L.Line);
  };
  if (On(F.Loc))
    return true;
  for (const FindingNote &N : F.Notes)
    if (On(N.Loc))
      return true;
  return false;
}

bool passesLineFilter(const std::vector<clang::tidy::FileFilter> &Filter,
                      llvm::StringRef File, unsigned Line) {
  if (Filter.empty())
    return true;
  for (const clang::tidy::FileFilter &F : Filter) {
    if (!File.ends_with(F.Name))
      continue;
    if (F.LineRanges.empty())
      return true;
    for (const auto &[First, Last] : F.LineRanges)
      if (First <= Line && Line <= Last)
        return true;
    return false;
  }
  return false;
}

std::optional<std::set<std::string>> readBaseline(llvm::StringRef Path,
                                                  std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer) {
    Error = "error: --baseline: cannot read '" + Path.str() +
            "': " + Buffer.getError().message();
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> Doc = llvm::json::parse((*Buffer)->getBuffer());
  if (!Doc) {
    Error = "error: --baseline: '" + Path.str() + "' is not JSON (" +
            llvm::toString(Doc.takeError()) +
            "); give a previous run's --format=sarif or --format=json output";
    return std::nullopt;
  }
  std::set<std::string> Prints;
  const llvm::json::Object *Root = Doc->getAsObject();
  unsigned Without = 0;
  if (const llvm::json::Array *Runs = Root ? Root->getArray("runs") : nullptr) {
    for (const llvm::json::Value &Run : *Runs)
      if (const auto *RunObj = Run.getAsObject())
        if (const llvm::json::Array *Results = RunObj->getArray("results"))
          for (const llvm::json::Value &Result : *Results) {
            const auto *R = Result.getAsObject();
            const llvm::json::Object *PF =
                R ? R->getObject("partialFingerprints") : nullptr;
            std::optional<llvm::StringRef> P =
                PF ? PF->getString("uisanFingerprint/v1") : std::nullopt;
            if (P)
              Prints.insert(P->str());
            else
              ++Without;
          }
  } else if (const llvm::json::Array *Items =
                 Root ? Root->getArray("findings") : nullptr) {
    for (const llvm::json::Value &Item : *Items) {
      const auto *I = Item.getAsObject();
      std::optional<llvm::StringRef> P = I ? I->getString("fingerprint") : std::nullopt;
      if (P)
        Prints.insert(P->str());
      else
        ++Without;
    }
  } else {
    Error = "error: --baseline: '" + Path.str() +
            "' is neither SARIF (no 'runs') nor uisan-tidy JSON (no "
            "'findings'); give a previous run's --format=sarif or "
            "--format=json output";
    return std::nullopt;
  }
  if (Without) {
    Error = "error: --baseline: " + std::to_string(Without) +
            " result(s) in '" + Path.str() +
            "' have no uisan fingerprint; regenerate the baseline with this "
            "uisan-tidy";
    return std::nullopt;
  }
  return Prints;
}

std::vector<Finding> applyReportFilter(std::vector<Finding> Findings,
                                       const ReportFilter &Filter,
                                       SourceCache &Sources,
                                       FilterCounts &Counts) {
  // The per-file decisions, once per file.
  struct PerFile {
    std::unique_ptr<clang::tidy::CachedGlobList> Checks, AsErrors;
    std::optional<llvm::Regex> Header, ExcludeHeader;
  };
  llvm::StringMap<PerFile> Files;
  auto Of = [&](const std::string &File) -> PerFile & {
    auto [It, New] = Files.try_emplace(File);
    if (New && Filter.Options) {
      clang::tidy::ClangTidyOptions O = Filter.Options->getOptions(File);
      It->second.Checks = std::make_unique<clang::tidy::CachedGlobList>(
          O.Checks.value_or(""));
      It->second.AsErrors = std::make_unique<clang::tidy::CachedGlobList>(
          O.WarningsAsErrors.value_or(""));
      if (O.HeaderFilterRegex && !O.HeaderFilterRegex->empty())
        It->second.Header.emplace(*O.HeaderFilterRegex);
      if (O.ExcludeHeaderFilterRegex && !O.ExcludeHeaderFilterRegex->empty())
        It->second.ExcludeHeader.emplace(*O.ExcludeHeaderFilterRegex);
    }
    return It->second;
  };

  std::vector<Finding> Shown;
  for (Finding &F : Findings) {
    bool CompileError = F.Severity == Finding::Level::Error &&
                        !llvm::StringRef(F.Check).starts_with("uisan-");
    if (!CompileError) {
      if (Filter.Options) {
        // clang-tidy configures a header's diagnostics by the translation
        // unit's main file; a finding here spans files, so the first
        // source file on its path stands for it.
        const std::string *ConfigFile = nullptr;
        if (Filter.MainFiles.count(F.Loc.File))
          ConfigFile = &F.Loc.File;
        for (const FindingNote &N : F.Notes)
          if (!ConfigFile && Filter.MainFiles.count(N.Loc.File))
            ConfigFile = &N.Loc.File;
        if (!ConfigFile) {
          auto It = Filter.IncludedFrom.find(F.Loc.File);
          ConfigFile = It != Filter.IncludedFrom.end() ? &It->second : &F.Loc.File;
        }
        PerFile &P = Of(*ConfigFile);
        if (!P.Checks->contains(F.Check))
          continue;
        // As in clang-tidy, a finding relates to the user's code when it
        // or one of its notes is in a main file or in a header the
        // filters let through.
        auto UserCode = [&](const std::string &File) {
          return Filter.MainFiles.count(File) ||
                 (P.Header && P.Header->match(File) &&
                  !(P.ExcludeHeader && P.ExcludeHeader->match(File)));
        };
        bool Related = UserCode(F.Loc.File);
        for (const FindingNote &N : F.Notes)
          Related = Related || UserCode(N.Loc.File);
        if (!Related)
          continue;
        if (F.Severity == Finding::Level::Warning && P.AsErrors->contains(F.Check)) {
          F.Severity = Finding::Level::Error;
          F.WarningAsError = true;
        }
      }
      // ... and it passes the line filter when it or a note does.
      bool Lines = passesLineFilter(Filter.LineFilter, F.Loc.File, F.Loc.Line);
      for (const FindingNote &N : F.Notes)
        Lines = Lines || passesLineFilter(Filter.LineFilter, N.Loc.File, N.Loc.Line);
      if (!Lines)
        continue;
      if (Filter.Diff && !touchesChangedLines(F, *Filter.Diff)) {
        ++Counts.OutsideDiff;
        continue;
      }
      if (Filter.Baseline &&
          Filter.Baseline->count(fingerprint(F, Sources, Filter.SourceRoot))) {
        ++Counts.HiddenByBaseline;
        continue;
      }
    }
    Shown.push_back(std::move(F));
  }
  return Shown;
}

} // namespace uisan::tidy
