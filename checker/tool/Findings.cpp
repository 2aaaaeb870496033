//===- Findings.cpp - text, JSON and SARIF printers -----------------------===//

#include "Findings.h"
#include "../lib/UisanChecks.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/TextDiagnostic.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA1.h"

#include <algorithm>
#include <map>

namespace uisan::tidy {

const SourceCache::Source *SourceCache::contents(const std::string &File) {
  auto It = Files.find(File);
  if (It != Files.end())
    return &It->second;
  if (Missing.count(File))
    return nullptr;
  // Only regular files: opening a named pipe would block the printer.
  llvm::sys::fs::file_status Status;
  auto Buffer =
      llvm::sys::fs::status(File, Status) ||
              Status.type() != llvm::sys::fs::file_type::regular_file
          ? llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>(
                std::make_error_code(std::errc::invalid_argument))
          : llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buffer) {
    Missing[File] = true;
    return nullptr;
  }
  // Line starts once per file: a huge file with many findings would
  // otherwise be scanned from its start for every finding and note.
  Source &S = Files[File];
  S.Text = (*Buffer)->getBuffer().str();
  S.LineStarts.push_back(0);
  for (size_t I = 0; I < S.Text.size(); ++I)
    if (S.Text[I] == '\n')
      S.LineStarts.push_back(I + 1);
  return &S;
}

SourceLocationInfo SourceCache::locate(const std::string &File,
                                       unsigned Offset) {
  SourceLocationInfo Loc{File, 0, 0};
  const Source *S = contents(File);
  if (!S || Offset > S->Text.size())
    return Loc;
  auto Next = std::upper_bound(S->LineStarts.begin(), S->LineStarts.end(),
                               size_t(Offset));
  Loc.Line = Next - S->LineStarts.begin();
  Loc.Column = Offset - *(Next - 1) + 1;
  return Loc;
}

std::string SourceCache::text(const std::string &File) {
  const Source *S = contents(File);
  return S ? S->Text : std::string();
}

unsigned SourceCache::offset(const SourceLocationInfo &Loc) {
  const Source *S = contents(Loc.File);
  if (!S || Loc.Line == 0 || Loc.Line > S->LineStarts.size())
    return 0;
  return S->LineStarts[Loc.Line - 1] + (Loc.Column ? Loc.Column - 1 : 0);
}

std::string SourceCache::lineText(const std::string &File, unsigned Line) {
  const Source *S = contents(File);
  if (!S || Line == 0 || Line > S->LineStarts.size())
    return "";
  size_t Start = S->LineStarts[Line - 1];
  size_t End = S->Text.find('\n', Start);
  std::string Result = S->Text.substr(Start, End == std::string::npos
                                                 ? std::string::npos
                                                 : End - Start);
  if (!Result.empty() && Result.back() == '\r')
    Result.pop_back();
  return Result;
}

namespace {

/// The message line of a place clang cannot show (no file, no readable
/// line), in clang's format and colours.
void printMessageLine(llvm::raw_ostream &OS, const SourceLocationInfo &Loc,
                      llvm::StringRef Level, llvm::StringRef Message,
                      llvm::StringRef Check, bool Color) {
  // clang's colours: bold location and message, the level in its colour.
  auto Paint = [&](llvm::raw_ostream::Colors C, bool Bold) {
    if (Color)
      OS.changeColor(C, Bold);
  };
  auto Reset = [&] {
    if (Color)
      OS.resetColor();
  };
  Paint(llvm::raw_ostream::SAVEDCOLOR, true);
  OS << (Loc.File.empty() ? "<unknown>" : Loc.File);
  if (Loc.Line)
    OS << ':' << Loc.Line << ':' << Loc.Column;
  OS << ": ";
  Paint(Level == "error"   ? llvm::raw_ostream::RED
        : Level == "note" ? llvm::raw_ostream::BLACK
                          : llvm::raw_ostream::MAGENTA,
        true);
  OS << Level << ": ";
  Reset();
  Paint(llvm::raw_ostream::SAVEDCOLOR, true);
  OS << Message;
  if (!Check.empty())
    OS << " [" << Check << ']';
  Reset();
  OS << '\n';
}

const char *levelName(Finding::Level L) {
  switch (L) {
  case Finding::Level::Warning:
    return "warning";
  case Finding::Level::Error:
    return "error";
  }
  return "warning";
}

/// JSON strings must be UTF-8, but paths and compiler messages (quoting the
/// source) need not be: invalid bytes become U+FFFD here, where
/// llvm::json::Value would assert on them in builds with assertions.
std::string utf8(llvm::StringRef S) {
  return llvm::json::isUTF8(S) ? S.str() : llvm::json::fixUTF8(S);
}

llvm::json::Object locationJson(const SourceLocationInfo &L) {
  return llvm::json::Object{
      {"file", utf8(L.File)}, {"line", L.Line}, {"column", L.Column}};
}

/// `File` relative to `Root` when it lies under it.
std::optional<llvm::StringRef> underRoot(llvm::StringRef File, llvm::StringRef Root) {
  std::string Prefix = Root.str();
  if (Prefix.empty())
    return std::nullopt;
  if (Prefix.back() != '/')
    Prefix += '/';
  if (!File.starts_with(Prefix))
    return std::nullopt;
  return File.drop_front(Prefix.size());
}

/// Adds a finding's fix-its to per-file replacements; returns how many
/// overlapped one already there (left out).
unsigned addFixes(const Finding &F,
                  llvm::StringMap<clang::tooling::Replacements> &Into) {
  unsigned Conflicts = 0;
  for (const FixIt &X : F.Fixes)
    if (llvm::Error E = Into[X.Loc.File].add(
            clang::tooling::Replacement(X.Loc.File, X.Offset, X.Length, X.Text))) {
      llvm::consumeError(std::move(E));
      ++Conflicts;
    }
  return Conflicts;
}

std::string checkLabel(const Finding &F) {
  return F.WarningAsError ? F.Check + ",-warnings-as-errors" : F.Check;
}

} // namespace

void printText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               SourceCache &Sources, bool Color) {
  // clang's own printer, set up as clang-tidy sets it up to print its
  // errors: the same gutter, carets, tab expansion and colours.
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> Opts(new clang::DiagnosticOptions);
  Opts->ShowColors = Color;
  clang::FileManager Files{clang::FileSystemOptions()};
  clang::DiagnosticsEngine Diags(new clang::DiagnosticIDs, Opts,
                                 new clang::IgnoringDiagConsumer);
  clang::SourceManager SM(Diags, Files);
  clang::LangOptions Lang;
  clang::TextDiagnostic Printer(OS, Lang, Opts.get());
  auto Place = [&](const SourceLocationInfo &L) {
    if (L.File.empty() || !L.Line || Sources.lineText(L.File, L.Line).empty())
      return clang::FullSourceLoc();
    llvm::Expected<clang::FileEntryRef> FE = Files.getFileRef(L.File);
    if (!FE) {
      llvm::consumeError(FE.takeError());
      return clang::FullSourceLoc();
    }
    clang::FileID ID = SM.getOrCreateFileID(*FE, clang::SrcMgr::C_User);
    return clang::FullSourceLoc(
        SM.translateLineCol(ID, L.Line, L.Column ? L.Column : 1), SM);
  };
  auto Emit = [&](const SourceLocationInfo &L, clang::DiagnosticsEngine::Level Level,
                  llvm::StringRef LevelName, llvm::StringRef Message,
                  llvm::StringRef Check, const std::vector<FixIt> &Fixes) {
    clang::FullSourceLoc Loc = Place(L);
    if (Loc.isInvalid()) {
      // A place clang cannot show (no file, no line): the message alone.
      printMessageLine(OS, L, LevelName, Message, Check, Color);
      return;
    }
    std::string Text = Message.str();
    if (!Check.empty())
      Text += " [" + Check.str() + "]";
    std::vector<clang::FixItHint> Hints;
    for (const FixIt &X : Fixes)
      if (clang::FullSourceLoc B = Place(X.Loc); B.isValid())
        Hints.push_back(clang::FixItHint::CreateReplacement(
            clang::CharSourceRange::getCharRange(B, B.getLocWithOffset(X.Length)),
            X.Text));
    Printer.emitDiagnostic(Loc, Level, Text, {}, Hints);
  };
  for (const Finding &F : Findings) {
    bool Error = F.Severity == Finding::Level::Error;
    Emit(F.Loc,
         Error ? clang::DiagnosticsEngine::Error : clang::DiagnosticsEngine::Warning,
         levelName(F.Severity), F.Message, checkLabel(F), F.Fixes);
    for (const FindingNote &N : F.Notes)
      Emit(N.Loc, clang::DiagnosticsEngine::Note, "note", N.Message, "", {});
  }
}

std::string fingerprint(const Finding &F, SourceCache &Sources,
                        llvm::StringRef SourceRoot) {
  llvm::SHA1 Hash;
  Hash.update(F.Check);
  Hash.update(underRoot(F.Loc.File, SourceRoot).value_or(F.Loc.File));
  Hash.update(F.Message);
  Hash.update(llvm::StringRef(Sources.lineText(F.Loc.File, F.Loc.Line)).trim());
  return llvm::toHex(Hash.final(), /*LowerCase=*/true);
}

void printJson(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               SourceCache &Sources, llvm::StringRef SourceRoot) {
  llvm::json::Array Items;
  for (const Finding &F : Findings) {
    llvm::json::Array Notes;
    for (const FindingNote &N : F.Notes) {
      llvm::json::Object Note = locationJson(N.Loc);
      Note["message"] = utf8(N.Message);
      Notes.push_back(std::move(Note));
    }
    llvm::json::Object Item = locationJson(F.Loc);
    Item["check"] = utf8(F.Check);
    Item["severity"] = levelName(F.Severity);
    if (F.WarningAsError)
      Item["warningAsError"] = true;
    Item["message"] = utf8(F.Message);
    Item["notes"] = std::move(Notes);
    Item["fingerprint"] = fingerprint(F, Sources, SourceRoot);
    if (!F.Fixes.empty()) {
      llvm::json::Array Fixes;
      for (const FixIt &X : F.Fixes) {
        llvm::json::Object Fix = locationJson(X.Loc);
        Fix["offset"] = X.Offset;
        Fix["length"] = X.Length;
        Fix["replacement"] = utf8(X.Text);
        Fixes.push_back(std::move(Fix));
      }
      Item["fixes"] = std::move(Fixes);
    }
    Items.push_back(std::move(Item));
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                   {"version", 1},
                                   {"findings", std::move(Items)}}))
     << '\n';
}

namespace {

/// Percent-encodes a path for a URI, keeping '/' and unreserved characters.
std::string relativeUri(llvm::StringRef Path) {
  std::string Uri;
  for (char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-_.~").contains(C))
      Uri += C;
    else
      Uri += "%" + llvm::utohexstr(static_cast<unsigned char>(C), false, 2);
  }
  return Uri;
}

std::string fileUri(llvm::StringRef Path) { return "file://" + relativeUri(Path); }

llvm::json::Object physicalLocation(const SourceLocationInfo &L,
                                    llvm::StringRef Root) {
  llvm::json::Object Artifact;
  if (std::optional<llvm::StringRef> Rel = underRoot(L.File, Root)) {
    Artifact["uri"] = relativeUri(*Rel);
    Artifact["uriBaseId"] = "SRCROOT";
  } else {
    Artifact["uri"] = fileUri(L.File);
  }
  llvm::json::Object Region;
  if (L.Line) {
    Region["startLine"] = L.Line;
    Region["startColumn"] = L.Column;
  }
  llvm::json::Object Physical{{"artifactLocation", std::move(Artifact)}};
  if (L.Line)
    Physical["region"] = std::move(Region);
  return Physical;
}

} // namespace

void printSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                SourceCache &Sources, llvm::StringRef SourceRoot,
                llvm::StringRef ToolVersion) {
  // Rules: every uisan check, plus the error kinds that appear.
  llvm::json::Array Rules;
  std::map<std::string, unsigned> RuleIndex;
  for (const CheckInfo &C : uisanChecks()) {
    RuleIndex[C.Id] = Rules.size();
    Rules.push_back(llvm::json::Object{
        {"id", C.Id},
        {"name", C.Id},
        {"shortDescription", llvm::json::Object{{"text", C.Summary}}},
        {"fullDescription", llvm::json::Object{{"text", C.Description}}},
        {"help", llvm::json::Object{
                     {"text", std::string("See docs/checks/") + C.Id + ".md"}}},
        {"defaultConfiguration", llvm::json::Object{{"level", "warning"}}}});
  }
  for (const Finding &F : Findings)
    if (!RuleIndex.count(F.Check)) {
      RuleIndex[F.Check] = Rules.size();
      Rules.push_back(llvm::json::Object{
          {"id", utf8(F.Check)},
          {"shortDescription",
           llvm::json::Object{{"text", F.Check == "clang-diagnostic-error"
                                           ? "The source does not compile"
                                           : "uisan-tidy error"}}},
          {"defaultConfiguration", llvm::json::Object{{"level", "error"}}}});
    }

  llvm::json::Array Results;
  for (const Finding &F : Findings) {
    llvm::json::Array Related;
    unsigned Id = 1;
    for (const FindingNote &N : F.Notes)
      Related.push_back(llvm::json::Object{
          {"id", Id++},
          {"physicalLocation", physicalLocation(N.Loc, SourceRoot)},
          {"message", llvm::json::Object{{"text", utf8(N.Message)}}}});
    std::string Fingerprint = fingerprint(F, Sources, SourceRoot);
    // The path as a code flow, in the order it runs: the notes go from the
    // call back to the thread's start, so they are read backwards.
    llvm::json::Array Flow;
    auto Step = [&](const SourceLocationInfo &L, llvm::StringRef Message) {
      Flow.push_back(llvm::json::Object{
          {"location",
           llvm::json::Object{
               {"physicalLocation", physicalLocation(L, SourceRoot)},
               {"message", llvm::json::Object{{"text", utf8(Message)}}}}}});
    };
    for (auto It = F.Notes.rbegin(); It != F.Notes.rend(); ++It)
      Step(It->Loc, It->Message);
    Step(F.Loc, F.Message);

    llvm::json::Object Result{
        {"ruleId", utf8(F.Check)},
        {"ruleIndex", RuleIndex[F.Check]},
        {"level", levelName(F.Severity)},
        {"message", llvm::json::Object{{"text", utf8(F.Message)}}},
        {"locations",
         llvm::json::Array{llvm::json::Object{
             {"physicalLocation", physicalLocation(F.Loc, SourceRoot)}}}},
        {"partialFingerprints",
         llvm::json::Object{{"uisanFingerprint/v1", Fingerprint}}}};
    if (!Related.empty()) {
      Result["relatedLocations"] = std::move(Related);
      Result["codeFlows"] = llvm::json::Array{llvm::json::Object{
          {"threadFlows",
           llvm::json::Array{llvm::json::Object{{"locations", std::move(Flow)}}}}}};
    }
    Results.push_back(std::move(Result));
  }

  std::string RootUri = fileUri(SourceRoot);
  if (RootUri.back() != '/')
    RootUri += '/';
  llvm::json::Object Run{
      {"tool",
       llvm::json::Object{
           {"driver", llvm::json::Object{{"name", "uisan-tidy"},
                                         {"version", ToolVersion},
                                         {"rules", std::move(Rules)}}}}},
      {"originalUriBaseIds",
       llvm::json::Object{
           {"SRCROOT", llvm::json::Object{{"uri", RootUri}}}}},
      {"results", std::move(Results)}};
  OS << llvm::formatv(
            "{0:2}",
            llvm::json::Value(llvm::json::Object{
                {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", llvm::json::Array{std::move(Run)}}}))
     << '\n';
}

unsigned applyFixes(const std::vector<Finding> &Findings, unsigned &Conflicts,
                    std::vector<std::string> &Errors) {
  llvm::StringMap<clang::tooling::Replacements> PerFile;
  for (const Finding &F : Findings)
    Conflicts += addFixes(F, PerFile);
  unsigned Applied = 0;
  for (const auto &Entry : PerFile) {
    const std::string File = Entry.getKey().str();
    const clang::tooling::Replacements &Edits = Entry.getValue();
    auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false);
    if (!Buffer) {
      Errors.push_back("error: --fix: cannot read '" + File +
                       "': " + Buffer.getError().message());
      continue;
    }
    llvm::Expected<std::string> Fixed =
        clang::tooling::applyAllReplacements((*Buffer)->getBuffer(), Edits);
    if (!Fixed) {
      Errors.push_back("error: --fix: '" + File +
                       "' changed since it was checked: " +
                       llvm::toString(Fixed.takeError()));
      continue;
    }
    std::error_code EC;
    llvm::raw_fd_ostream Out(File, EC);
    if (EC) {
      Errors.push_back("error: --fix: cannot write '" + File +
                       "': " + EC.message());
      continue;
    }
    Out << *Fixed;
    Applied += Edits.size();
  }
  return Applied;
}

void printExportFixes(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                      SourceCache &Sources, llvm::StringRef MainSourceFile,
                      llvm::StringRef BuildDirectory) {
  clang::tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = MainSourceFile.str();
  auto Message = [&](const SourceLocationInfo &L, llvm::StringRef Text) {
    clang::tooling::DiagnosticMessage M;
    M.Message = Text.str();
    M.FilePath = L.File;
    M.FileOffset = Sources.offset(L);
    return M;
  };
  for (const Finding &F : Findings) {
    clang::tooling::Diagnostic D;
    D.DiagnosticName = F.Check;
    D.Message = Message(F.Loc, F.Message);
    addFixes(F, D.Message.Fix); // overlapping edits of one finding: the first
    for (const FindingNote &N : F.Notes)
      D.Notes.push_back(Message(N.Loc, N.Message));
    D.DiagLevel = F.Severity == Finding::Level::Error
                      ? clang::tooling::Diagnostic::Error
                      : clang::tooling::Diagnostic::Warning;
    D.BuildDirectory = BuildDirectory.str();
    TUD.Diagnostics.push_back(std::move(D));
  }
  llvm::yaml::Output YAML(OS);
  YAML << TUD;
}

} // namespace uisan::tidy
