//===- UisanTidy.cpp - the uisan-tidy driver ------------------------------===//

#include "UisanTidy.h"
#include "Filters.h"
#include "FactsCache.h"
#include "../lib/ContextEscapeCheck.h"
#include "../lib/ExecutorNotShutdownCheck.h"
#include "../lib/Nolint.h"
#include "../lib/ProgramModel.h"
#include "../lib/RuleIndex.h"
#include "../lib/UiCallInThreadCheck.h"
#include "../lib/UisanChecks.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

using namespace clang;
using namespace clang::tidy;

namespace uisan::tidy {

std::string versionString() {
  return std::string("uisan-tidy 0.1.0 (LLVM ") + LLVM_VERSION_STRING + ")";
}

int RunResult::exitCode() const {
  if (!Errors.empty())
    return ExitError;
  for (const Finding &F : Findings)
    if (F.Severity == Finding::Level::Error && !F.WarningAsError)
      return ExitError;
  return Findings.empty() ? ExitClean : ExitFindings;
}

namespace {

std::string joined(const std::vector<std::string> &Parts, char Sep) {
  std::string S;
  for (const std::string &P : Parts)
    S += (S.empty() ? "" : std::string(1, Sep)) + P;
  return S;
}

/// The check that extracts facts while clang-tidy runs on a TU (any uisan
/// check does; the driver runs the enabled ones on the linked program).
const char *ExtractingCheck = "uisan-ui-call-in-thread";

/// What clang-tidy runs on each TU: the extracting check, and whatever
/// clang-* entries (compiler warnings) the user's list has.
std::string extractionChecks(llvm::StringRef Checks) {
  std::string Out = std::string("-*,") + ExtractingCheck;
  llvm::SmallVector<llvm::StringRef, 8> Globs;
  Checks.split(Globs, ',', -1, false);
  for (llvm::StringRef G : Globs) {
    llvm::StringRef Name = G.trim();
    if (Name.ltrim('-').starts_with("clang-"))
      Out += "," + Name.str();
  }
  return Out;
}

ClangTidyOptions tidyOptions(const Config &C) {
  ClangTidyOptions Opts = ClangTidyOptions::getDefaults();
  Opts.Checks = C.Checks;
  // Findings in the project's headers count; the driver reports each once.
  Opts.HeaderFilterRegex = ".*";
  Opts.SystemHeaders = false;
  Opts.CheckOptions["RulePacks"] = ClangTidyOptions::ClangTidyValue(
      joined(C.RulePacks, ';'));
  Opts.CheckOptions["uisan.StandaloneTool"] =
      ClangTidyOptions::ClangTidyValue("1");
  for (const auto &[Key, Value] : C.CheckOptions)
    Opts.CheckOptions[Key] = ClangTidyOptions::ClangTidyValue(Value);
  if (!C.ExtraArgs.empty())
    Opts.ExtraArgs = C.ExtraArgs;
  // Without carets clang does not print its own "N warnings generated."
  // line; uisan-tidy prints every finding itself.
  Opts.ExtraArgsBefore = std::vector<std::string>{"-fno-caret-diagnostics"};
  return Opts;
}

std::string absolute(llvm::StringRef Path, llvm::StringRef BaseDir) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P)) {
    llvm::SmallString<256> Base(BaseDir);
    if (Base.empty())
      llvm::sys::fs::current_path(Base);
    llvm::sys::path::append(Base, P);
    P = Base;
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// `TU` is the file whose run produced `E`; `CommandRemedy` says where its
/// compile command comes from.
Finding toFinding(const ClangTidyError &E, SourceCache &Sources,
                  const std::string &TU, llvm::StringRef CommandRemedy) {
  Finding F;
  F.Check = E.DiagnosticName;
  F.Severity = E.DiagLevel == ClangTidyError::Error ? Finding::Level::Error
                                                    : Finding::Level::Warning;
  F.Message = E.Message.Message;
  if (!E.Message.FilePath.empty()) {
    F.Loc = Sources.locate(absolute(E.Message.FilePath, E.BuildDirectory),
                           E.Message.FileOffset);
  } else {
    // The compiler driver's errors (an unknown flag, a bad -std) have no
    // place in a source: they are about this file's compile command.
    F.Loc.File = TU;
    if (F.Severity == Finding::Level::Error)
      F.Message += " (in the compile command of this file; " +
                   CommandRemedy.str() + ")";
  }
  for (const tooling::DiagnosticMessage &N : E.Notes) {
    FindingNote Note;
    Note.Message = N.Message;
    if (!N.FilePath.empty())
      Note.Loc = Sources.locate(absolute(N.FilePath, E.BuildDirectory),
                                N.FileOffset);
    else
      Note.Loc.File = TU;
    F.Notes.push_back(std::move(Note));
  }
  return F;
}

/// An alternate signal stack for the calling thread while this lives, so
/// that the crash handler can run when clang has used up the thread's own.
class AlternateSignalStack {
public:
  AlternateSignalStack() : Memory(new char[Size]) {
    stack_t Stack{};
    Stack.ss_sp = Memory.get();
    Stack.ss_size = Size;
    Installed = sigaltstack(&Stack, &Previous) == 0;
  }
  ~AlternateSignalStack() {
    if (Installed)
      sigaltstack(&Previous, nullptr);
  }

private:
  static constexpr size_t Size = 1 << 16;
  std::unique_ptr<char[]> Memory;
  stack_t Previous{};
  bool Installed = false;
};

/// Set once a translation unit's crash was recovered from: its memory is
/// abandoned, not freed.
std::atomic<bool> AbandonedMemory{false};

std::string crashMessage(int RetCode) {
  std::string Signal;
  if (RetCode > 128) {
    int Number = RetCode - 128;
    const char *Name = Number == SIGSEGV   ? ", SIGSEGV"
                       : Number == SIGBUS  ? ", SIGBUS"
                       : Number == SIGABRT ? ", SIGABRT"
                       : Number == SIGFPE  ? ", SIGFPE"
                       : Number == SIGILL  ? ", SIGILL"
                                           : "";
    Signal = " (signal " + std::to_string(Number) + Name + ")";
  }
  return "the check crashed on this file" + Signal +
         "; its findings are lost, the other files were checked. Code "
         "nested too deeply for clang's stack is a common cause (clang++ "
         "-fsyntax-only then crashes on the file too); otherwise please "
         "report it with the file";
}

bool missingDirectory(const tooling::CompileCommand &Cmd) {
  return !Cmd.Directory.empty() && !llvm::sys::fs::is_directory(Cmd.Directory);
}

/// The database without the compile commands whose directory does not
/// exist: clang's tooling aborts the whole process on those. They are
/// reported by unusableInput().
class ExistingDirectories : public tooling::CompilationDatabase {
public:
  explicit ExistingDirectories(const tooling::CompilationDatabase &Base)
      : Base(Base) {}
  std::vector<tooling::CompileCommand>
  getCompileCommands(llvm::StringRef File) const override {
    std::vector<tooling::CompileCommand> Cmds = Base.getCompileCommands(File);
    llvm::erase_if(Cmds, missingDirectory);
    return Cmds;
  }
  std::vector<std::string> getAllFiles() const override {
    return Base.getAllFiles();
  }

private:
  const tooling::CompilationDatabase &Base;
};

/// Why clang cannot be given `File`, if it cannot: a pipe would block the
/// run, a compile command whose directory is gone would abort it.
/// `Listed`: the file came from the compilation database rather than the
/// command line. `Skip` is set when no compile command is left to run.
std::optional<std::string>
unusableInput(const std::string &File, const tooling::CompilationDatabase &DB,
              bool Listed, bool &Skip) {
  Skip = true;
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(File, Status))
    return "cannot read the source file: " + EC.message() +
           (Listed ? "; compile_commands.json lists it: regenerate the "
                     "database, or first build the step that generates "
                     "the file"
                   : "; check the path");
  if (Status.type() != llvm::sys::fs::file_type::regular_file)
    return std::string("not a regular file (a directory, pipe or device); "
                       "name source files only");
  std::vector<tooling::CompileCommand> Cmds = DB.getCompileCommands(File);
  auto Gone = llvm::find_if(Cmds, missingDirectory);
  Skip = llvm::all_of(Cmds, missingDirectory) && !Cmds.empty();
  if (Gone != Cmds.end())
    return "the directory of its compile command, '" + Gone->Directory +
           "', does not exist; regenerate compile_commands.json, or fix the "
           "entry's \"directory\"" +
           (Skip ? "" : " (the file's other compile commands are checked)");
  Skip = false;
  return std::nullopt;
}

/// The compile_commands.json that autodetection reads for `Dir`: in it or
/// the nearest parent with one (a compile_flags.txt found first: none).
std::string findDatabaseFile(llvm::StringRef Dir) {
  std::string Abs = absolute(Dir, "");
  for (llvm::StringRef D = Abs; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    llvm::SmallString<256> Json(D), Flags(D);
    llvm::sys::path::append(Json, "compile_commands.json");
    llvm::sys::path::append(Flags, "compile_flags.txt");
    if (llvm::sys::fs::exists(Json))
      return std::string(Json);
    if (llvm::sys::fs::exists(Flags))
      return "";
  }
  return "";
}

const char *DatabaseRemedy =
    "regenerate it (configure the build with "
    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON), or fix it";

/// A compile_commands.json that is not a JSON array is an error naming the
/// file and the place: clang's own reader takes the entries before a syntax
/// error and goes on with them.
std::string checkDatabaseFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return Path + ": error: cannot read the compilation database: " +
           Buffer.getError().message();
  // Paths need not be UTF-8 (clang reads them as bytes); only the syntax
  // is checked here.
  llvm::StringRef Text = (*Buffer)->getBuffer();
  std::string Fixed;
  if (!llvm::json::isUTF8(Text))
    Text = Fixed = llvm::json::fixUTF8(Text);
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Text);
  if (!Parsed) {
    // "[line:col, byte=N]: message" -> "path:line:col: ..."
    std::string Msg = llvm::toString(Parsed.takeError());
    llvm::StringRef M = Msg;
    unsigned Line = 0, Col = 0;
    if (M.consume_front("[")) {
      llvm::StringRef Place;
      std::tie(Place, M) = M.split("]: ");
      auto [L, Rest] = Place.split(':');
      if (L.getAsInteger(10, Line) ||
          Rest.split(',').first.getAsInteger(10, Col))
        Line = 0;
    }
    std::string Where = Line ? ":" + std::to_string(Line) + ":" +
                                   std::to_string(std::max(Col, 1u))
                             : "";
    return Path + Where + ": error: not valid JSON: " + M.str() + "; " +
           DatabaseRemedy;
  }
  if (!Parsed->getAsArray())
    return Path + ": error: not a compilation database: expected a JSON "
                  "array of compile commands; " +
           DatabaseRemedy;
  return "";
}

/// Why autodetection failed for a database file that exists: the reader's
/// own line ("json-compilation-database: Missing key: ...").
std::string databaseProblem(const std::string &Path, llvm::StringRef Why) {
  llvm::StringRef Line;
  for (llvm::StringRef L : llvm::split(Why, '\n'))
    if (L.consume_front("json-compilation-database: "))
      Line = L.trim().rtrim('.');
  return Path + ": error: not a usable compilation database" +
         (Line.empty() ? "" : ": " + Line.str()) + "; " + DatabaseRemedy;
}

/// The database that `Detect` (clang's autodetection from `Dir` or a file
/// in it) finds, or null. When the compile_commands.json it would read is
/// broken, `Error` names it and the fault; when there is none, `Error` is
/// left empty.
std::unique_ptr<tooling::CompilationDatabase> detectDatabase(
    llvm::StringRef Dir,
    llvm::function_ref<std::unique_ptr<tooling::CompilationDatabase>(std::string &)>
        Detect,
    std::string &Error) {
  std::string File = findDatabaseFile(Dir);
  if (!File.empty() && !(Error = checkDatabaseFile(File)).empty())
    return nullptr;
  std::string Why;
  if (auto DB = Detect(Why))
    return DB;
  if (!File.empty())
    Error = databaseProblem(File, Why);
  return nullptr;
}

std::unique_ptr<tooling::CompilationDatabase>
loadDatabase(const Config &C, std::string &Error) {
  if (C.HasFixedArgs)
    return std::make_unique<tooling::FixedCompilationDatabase>(".",
                                                               C.FixedArgs);
  if (!C.BuildDir.empty()) {
    if (auto DB = detectDatabase(
            C.BuildDir,
            [&](std::string &Why) {
              return tooling::CompilationDatabase::autoDetectFromDirectory(
                  C.BuildDir, Why);
            },
            Error))
      return DB;
    if (Error.empty())
      Error = "error: no compilation database found in '" + C.BuildDir +
              "' or its parents (" +
              (llvm::sys::fs::is_directory(C.BuildDir)
                   ? "no compile_commands.json"
                   : "the directory does not exist") +
              "); configure the build with "
              "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON and pass its build "
              "directory, or give compiler flags after '--'";
    return nullptr;
  }
  if (!C.Files.empty()) {
    std::string Source = absolute(C.Files.front(), "");
    if (auto DB = detectDatabase(
            llvm::sys::path::parent_path(Source),
            [&](std::string &Why) {
              return tooling::CompilationDatabase::autoDetectFromSource(Source,
                                                                        Why);
            },
            Error))
      return DB;
    if (!Error.empty())
      return nullptr;
  }
  Error = "error: no compilation database: pass -p <build-dir> (with a "
          "compile_commands.json), or give compiler flags after '--'";
  return nullptr;
}

/// The value of a check option as --config gives it: the check's own
/// key, else the global one if `Global`.
std::optional<std::string> optionValue(const Config &C, llvm::StringRef Check,
                                       llvm::StringRef Name, bool Global) {
  std::optional<std::string> Found;
  for (const auto &[Key, Value] : C.CheckOptions)
    if (Key == (Check + "." + Name).str())
      Found = Value;
  if (!Found && Global)
    for (const auto &[Key, Value] : C.CheckOptions)
      if (Key == Name)
        Found = Value;
  return Found;
}

/// The query options of uisan-ui-call-in-thread; a value that does not
/// parse is an error naming the option.
std::optional<std::string> readUiCallOptions(const Config &C,
                                             UiCallOptions &Out) {
  const char *Check = "uisan-ui-call-in-thread";
  if (std::optional<std::string> V = optionValue(C, Check, "MaxDepth", false))
    if (llvm::StringRef(*V).trim().getAsInteger(10, Out.MaxDepth))
      return "error: option '" + std::string(Check) + ".MaxDepth': '" + *V +
             "' is not a number of calls; give a non-negative integer";
  for (auto [Name, Into] : {std::pair<const char *, unsigned *>{
                                 "MaxCallsPerFunction", &Out.MaxCallsPerFunction},
                             {"MaxFunctionsPerEntry", &Out.MaxFunctionsPerEntry}})
    if (std::optional<std::string> V = optionValue(C, Check, Name, false))
      if (llvm::StringRef(*V).trim().getAsInteger(10, *Into))
        return "error: option '" + std::string(Check) + "." + Name + "': '" +
               *V + "' is not a number; give a non-negative integer";
  return std::nullopt;
}

} // namespace

namespace {

/// What decides the facts of every TU besides its own command and sources:
/// the tool, the packs' text, the options.
std::vector<std::string> runKeyParts(const Config &C, const std::string &Checks) {
  std::vector<std::string> Parts = {versionString(),
                                    std::to_string(facts::FormatVersion),
                                    Checks};
  for (const rules::ShippedPack &P : rules::shippedPackTexts()) {
    Parts.push_back(P.FileName);
    Parts.push_back(P.Text);
  }
  for (const std::string &P : C.RulePacks) {
    Parts.push_back(P);
    auto Buffer = llvm::MemoryBuffer::getFile(P, /*IsText=*/true);
    Parts.push_back(Buffer ? (*Buffer)->getBuffer().str() : "<unreadable>");
  }
  std::vector<std::pair<std::string, std::string>> Options = C.CheckOptions;
  llvm::sort(Options);
  for (const auto &[K, V] : Options) {
    Parts.push_back(K);
    Parts.push_back(V);
  }
  for (const std::string &A : C.ExtraArgs)
    Parts.push_back(A);
  return Parts;
}

/// A compile diagnostic of a TU as a fact, so that a run from the cache
/// reports it too.
facts::Diagnostic diagnosticFact(facts::TranslationUnit &TU, const Finding &F) {
  facts::Diagnostic D;
  D.Check = TU.intern(F.Check);
  D.Error = F.Severity == Finding::Level::Error;
  auto Place = [&](const SourceLocationInfo &L) {
    facts::Loc Out;
    if (!L.File.empty()) {
      Out.File = TU.intern(L.File);
      Out.Line = L.Line;
      Out.Column = L.Column;
    }
    return Out;
  };
  D.At = Place(F.Loc);
  D.Message = F.Message;
  for (const FindingNote &N : F.Notes)
    D.Notes.push_back({Place(N.Loc), N.Message});
  return D;
}

RunResult reportProgram(const Config &C, const UiCallOptions &UiOptions,
                        std::vector<facts::TranslationUnit> Units,
                        std::vector<Finding> FileErrors, RunResult R);

bool excluded(const Config &C, llvm::StringRef File) {
  if (C.Exclude.empty())
    return false;
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  llvm::StringRef Relative = File;
  if (Relative.consume_front(Cwd) && Relative.consume_front("/")) {
  } else {
    Relative = File;
  }
  for (const std::string &G : C.Exclude) {
    llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(G);
    if (!P) {
      llvm::consumeError(P.takeError());
      continue;
    }
    if (P->match(File) || P->match(Relative))
      return true;
  }
  return false;
}

} // namespace

RunResult runUisanTidy(const Config &C) {
  RunResult R;
  (void)UisanTidyModuleAnchorSource;

  // Rule packs: report problems once; bad packs are skipped, the rest used.
  std::shared_ptr<const RuleDB> DB = getRuleDB(joined(C.RulePacks, ';'));
  for (const rules::Problem &P : DB->Problems)
    R.Errors.push_back(rules::formatProblem(P));
  // Bad options stop the run (a bad pack does not: the others are used).
  std::vector<std::string> Fatal;
  for (const std::string &G : C.Exclude)
    if (llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(G); !P)
      Fatal.push_back("error: --exclude='" + G + "': " +
                      llvm::toString(P.takeError()) +
                      "; give a glob such as '*/moc_*.cpp'");
  UiCallOptions UiOptions;
  if (std::optional<std::string> Bad = readUiCallOptions(C, UiOptions))
    Fatal.push_back(*Bad);
  if (!Fatal.empty()) {
    R.Errors.insert(R.Errors.end(), Fatal.begin(), Fatal.end());
    return R;
  }

  std::vector<facts::TranslationUnit> Linked;
  std::vector<Finding> FileErrors;
  if (C.FromFacts) {
    // Link only: the facts were extracted by earlier runs (--write-facts).
    for (const std::string &File : C.Files) {
      std::string Path = absolute(File, "");
      auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false);
      llvm::Expected<facts::TranslationUnit> TU =
          Buffer ? facts::deserialize((*Buffer)->getBuffer(), Path)
                 : llvm::Expected<facts::TranslationUnit>(llvm::createStringError(
                       Buffer.getError(), "%s: cannot read: %s", Path.c_str(),
                       Buffer.getError().message().c_str()));
      if (!TU) {
        Finding E;
        E.Check = "clang-diagnostic-error";
        E.Severity = Finding::Level::Error;
        E.Loc.File = Path;
        E.Message = llvm::toString(TU.takeError()) +
                    "; extract its facts again with --write-facts (the other "
                    "facts are linked)";
        FileErrors.push_back(std::move(E));
        continue;
      }
      Linked.push_back(std::move(*TU));
    }
    R.TranslationUnits = Linked.size() + FileErrors.size();
    return reportProgram(C, UiOptions, std::move(Linked), std::move(FileErrors),
                         std::move(R));
  }

  std::string Error;
  std::unique_ptr<tooling::CompilationDatabase> Compilations =
      loadDatabase(C, Error);
  if (!Compilations) {
    R.Errors.push_back(Error);
    return R;
  }
  std::vector<std::string> Files = C.Files;
  if (Files.empty())
    Files = Compilations->getAllFiles();
  for (std::string &F : Files)
    F = absolute(F, "");
  llvm::erase_if(Files, [&](const std::string &F) { return excluded(C, F); });
  if (Files.empty()) {
    R.Errors.push_back("error: no input files: name the files to check, or "
                       "pass -p <build-dir> whose compile_commands.json "
                       "lists some" +
                       std::string(C.Exclude.empty() ? "" : " that --exclude leaves"));
    return R;
  }
  if (!C.WriteFacts.empty() && Files.size() != 1) {
    R.Errors.push_back("error: --write-facts takes one source file, given " +
                       std::to_string(Files.size()) +
                       "; run it once per translation unit");
    return R;
  }

  // Inputs clang cannot be given are reported, each with its file and the
  // remedy, and left out; the others are checked. A file the database lists
  // that does not exist yet (generated by the build) is one warning line.
  {
    std::vector<std::string> Usable;
    for (std::string &F : Files) {
      bool Skip = false;
      bool Listed = C.Files.empty();
      if (std::optional<std::string> Why =
              unusableInput(F, *Compilations, Listed, Skip)) {
        if (Listed && !llvm::sys::fs::exists(F)) {
          R.NotGenerated.push_back(F);
          continue;
        }
        Finding E;
        E.Check = "clang-diagnostic-error";
        E.Severity = Finding::Level::Error;
        E.Loc.File = F;
        E.Message = std::move(*Why);
        FileErrors.push_back(std::move(E));
      }
      if (!Skip)
        Usable.push_back(std::move(F));
    }
    Files = std::move(Usable);
  }
  R.TranslationUnits = Files.size();
  const ExistingDirectories Commands(*Compilations);
  const std::string CommandRemedy =
      C.HasFixedArgs ? "fix the flags after '--'"
                     : "fix the entry in compile_commands.json, or override "
                       "the flag with --extra-arg";

  unsigned Jobs = C.Jobs ? C.Jobs : std::max(1u, std::thread::hardware_concurrency());
  Jobs = std::max<unsigned>(1, std::min<unsigned>(Jobs, std::max<size_t>(1, Files.size())));
  ClangTidyOptions Opts = tidyOptions(C);
  Opts.Checks = extractionChecks(C.Checks);

  // The cache: under the build directory unless told otherwise.
  std::optional<FactsCache> Cache;
  if (!C.NoCache && C.WriteFacts.empty()) {
    if (!C.CacheDir.empty())
      Cache.emplace(absolute(C.CacheDir, ""));
    else if (!C.BuildDir.empty() && !C.HasFixedArgs)
      Cache.emplace(absolute(C.BuildDir, "") + "/.uisan-cache");
  }
  const std::vector<std::string> RunKey = runKeyParts(C, *Opts.Checks);
  auto KeyOf = [&](const std::string &File) {
    std::vector<std::string> Parts = RunKey;
    Parts.push_back(File);
    for (const tooling::CompileCommand &Cmd : Commands.getCompileCommands(File)) {
      Parts.push_back(Cmd.Directory);
      Parts.push_back(Cmd.Filename);
      for (const std::string &A : Cmd.CommandLine)
        Parts.push_back(A);
    }
    return FactsCache::key(Parts);
  };

  std::mutex Lock;
  SourceCache Sources;
  std::vector<std::optional<facts::TranslationUnit>> Units(Files.size());
  std::atomic<size_t> Next{0};
  size_t Done = 0;
  bool CacheWarned = false;
  auto Progress = [&](const std::string &File, bool Cached) {
    if (!C.Progress || Files.size() < 2)
      return;
    llvm::SmallString<256> Cwd;
    llvm::sys::fs::current_path(Cwd);
    llvm::StringRef Shown = File;
    if (!Shown.consume_front(Cwd) || !Shown.consume_front("/"))
      Shown = File;
    llvm::errs() << "[" << ++Done << "/" << Files.size() << "] " << Shown
                 << (Cached ? " (cached)" : "") << "\n";
  };
  auto Worker = [&] {
    AlternateSignalStack AltStack;
    for (size_t I = Next++; I < Files.size(); I = Next++) {
      std::string Key = Cache ? KeyOf(Files[I]) : "";
      if (Cache)
        if (std::optional<facts::TranslationUnit> Hit = Cache->lookup(Key)) {
          std::lock_guard<std::mutex> G(Lock);
          Units[I] = std::move(Hit);
          ++R.CachedUnits;
          Progress(Files[I], true);
          continue;
        }
      std::vector<ClangTidyError> Errors;
      FactsSink Sink;
      // Always: besides the cache and depfiles, the report filter reads
      // which main file includes a header (its .clang-tidy decides). Only
      // the cache, depfiles and --dump-facts need the contents hashed.
      Sink.WithDependencies = true;
      Sink.HashDependencies = Cache.has_value() || !C.DepFile.empty() || C.DumpFacts;
      // A crash in one TU (clang out of stack on code nested too deeply)
      // loses that TU only, when crash recovery is enabled (uisan-tidy
      // does); what the crashed run allocated is left, not torn down.
      llvm::CrashRecoveryContext CRC;
      bool Finished = CRC.RunSafely([&] {
        // The checks on this thread extract the TU's facts into Sink.
        ScopedFactsSink Collect(Sink);
        // Each TU gets its own context: ClangTidyContext is not
        // thread-safe.
        ClangTidyContext Context(std::make_unique<DefaultOptionsProvider>(
            ClangTidyGlobalOptions(), Opts));
        // A file system with its own working directory: clang's tooling
        // changes into each compile command's directory, and the shared
        // real file system would change the process's, under the other
        // workers.
        auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
            llvm::vfs::createPhysicalFileSystem());
        Errors = runClangTidy(Context, Commands, {Files[I]}, FS,
                              /*ApplyAnyFix=*/false);
      });
      std::lock_guard<std::mutex> G(Lock);
      Progress(Files[I], false);
      if (!Finished) {
        AbandonedMemory = true;
        Finding E;
        E.Check = "clang-diagnostic-error";
        E.Severity = Finding::Level::Error;
        E.Loc.File = Files[I];
        E.Message = crashMessage(CRC.RetCode);
        FileErrors.push_back(std::move(E));
        continue;
      }
      facts::TranslationUnit TU =
          Sink.Unit ? std::move(*Sink.Unit) : facts::TranslationUnit();
      if (TU.MainFile.empty())
        TU.MainFile = Files[I];
      bool CompileErrors = false;
      for (ClangTidyError &E : Errors) {
        if (E.DiagnosticName == "clang-tidy-config")
          continue; // rule-pack problems, already reported once above
        Finding F = toFinding(E, Sources, Files[I], CommandRemedy);
        CompileErrors |= F.Severity == Finding::Level::Error;
        TU.Diagnostics.push_back(diagnosticFact(TU, F));
      }
      // A TU that does not compile may miss a header the build has yet to
      // generate; facts that depend on an absent file are not kept.
      if (Cache && !CompileErrors)
        if (std::string Why = Cache->store(Key, TU); !Why.empty() && !CacheWarned) {
          CacheWarned = true;
          llvm::errs() << "uisan-tidy: warning: the facts cache is not used: "
                       << Why << "; pass --cache-dir=DIR or --no-cache\n";
        }
      Units[I] = std::move(TU);
    }
  };
  // Every worker gets a thread with a large stack: clang and the checks
  // recurse once per nesting level of the code, and 8 MiB ran out on sums
  // that clang++ -fsyntax-only compiles. Only the pages used are committed.
  const std::optional<unsigned> WorkerStackSize = 64u << 20;
  std::vector<llvm::thread> Threads;
  for (unsigned I = 0; I < Jobs && !Files.empty(); ++I)
    Threads.emplace_back(WorkerStackSize, Worker);
  for (llvm::thread &T : Threads)
    T.join();

  for (std::optional<facts::TranslationUnit> &U : Units)
    if (U)
      Linked.push_back(std::move(*U));

  if (!C.WriteFacts.empty()) {
    // Extract only: a build step writes the facts, a later run links them.
    for (Finding &E : FileErrors)
      R.Findings.push_back(std::move(E));
    if (Linked.empty())
      return R;
    const facts::TranslationUnit &TU = Linked.front();
    if (std::string Why = writeFileAtomically(C.WriteFacts, facts::serialize(TU));
        !Why.empty()) {
      R.Errors.push_back("error: --write-facts: " + Why);
      return R;
    }
    if (!C.DepFile.empty()) {
      // Make's syntax, which Ninja and CMake's DEPFILE read.
      std::string Deps = C.WriteFacts + ":";
      for (const facts::Dependency &D : TU.Dependencies) {
        std::string P = TU.str(D.Path).str();
        std::string Escaped;
        for (char Ch : P)
          Escaped += Ch == ' ' ? std::string("\\ ") : std::string(1, Ch);
        Deps += " \\\n  " + Escaped;
      }
      Deps += "\n";
      if (std::string Why = writeFileAtomically(C.DepFile, Deps); !Why.empty())
        R.Errors.push_back("error: --depfile: " + Why);
    }
    R.FactsWritten = true;
    return R;
  }
  if (C.DumpFacts) {
    for (const facts::TranslationUnit &TU : Linked)
      R.FactsJson.push_back(facts::toJson(TU));
    return R;
  }
  return reportProgram(C, UiOptions, std::move(Linked), std::move(FileErrors),
                       std::move(R));
}

namespace {
RunResult reportProgram(const Config &C, const UiCallOptions &UiOptions,
                        std::vector<facts::TranslationUnit> Units,
                        std::vector<Finding> FileErrors, RunResult R) {
  ProgramModel Program(std::move(Units));
  for (const facts::TranslationUnit &TU : Program.units()) {
    R.MainFiles.push_back(TU.MainFile);
    for (const facts::Dependency &D : TU.Dependencies)
      R.IncludedFrom.try_emplace(TU.str(D.Path).str(), TU.MainFile);
  }
  SourceCache Sources;
  NolintFilter Nolint(
      [&](llvm::StringRef File) { return Sources.text(File.str()); });
  auto Suppressed = [&](const SourceLocationInfo &L, llvm::StringRef Check) {
    return Nolint.suppressed(L, Check);
  };
  GlobList Enabled(C.Checks);
  if (Enabled.contains("uisan-ui-call-in-thread"))
    findUiCallsInThreads(Program, UiOptions, Suppressed, R.Findings);
  if (Enabled.contains("uisan-timer-without-event-loop"))
    findTimersWithoutEventLoop(Program, UiOptions, Suppressed, R.Findings);
  if (Enabled.contains("uisan-executor-not-shutdown"))
    findExecutorsNotShutdown(Program, Suppressed, R.Findings);
  if (Enabled.contains("uisan-context-escape"))
    localFindings(Program, "uisan-context-escape", Suppressed, R.Findings);

  // Compile diagnostics, kept in each TU's facts; a header's appear once
  // per TU that includes it: keep one.
  std::set<std::tuple<std::string, std::string, unsigned, unsigned,
                      std::string>>
      Seen;
  for (Finding &F : FileErrors)
    R.Findings.push_back(std::move(F));
  for (uint32_t T = 0; T < Program.units().size(); ++T)
    for (const facts::Diagnostic &D : Program.units()[T].Diagnostics) {
      llvm::StringRef Check = Program.str(Program.id(T, D.Check));
      if (!Check.starts_with("clang-"))
        continue;
      Finding F;
      F.Check = Check.str();
      F.Severity = D.Error ? Finding::Level::Error : Finding::Level::Warning;
      F.Loc = Program.where(T, D.At);
      if (F.Loc.File.empty())
        F.Loc.File = Program.units()[T].MainFile;
      F.Message = D.Message;
      for (const facts::Diagnostic::Note &N : D.Notes)
        F.Notes.push_back({Program.where(T, N.At), N.Message});
      if (Seen.insert({F.Check, F.Loc.File, F.Loc.Line, F.Loc.Column, F.Message})
              .second)
        R.Findings.push_back(std::move(F));
    }
  std::stable_sort(R.Findings.begin(), R.Findings.end(),
                   [](const Finding &A, const Finding &B) {
                     return std::tie(A.Loc.File, A.Loc.Line, A.Loc.Column) <
                            std::tie(B.Loc.File, B.Loc.Line, B.Loc.Column);
                   });
  return R;
}
} // namespace

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

namespace {

namespace cl = llvm::cl;

cl::OptionCategory Category("uisan-tidy options");

const char *Overview = R"(finds UI calls made on worker threads, and other threading bugs of UI
applications, in C and C++ sources.

  uisan-tidy -p build/ [files...]            check files (or every file) of
                                             build/compile_commands.json
  uisan-tidy file.cpp -- -std=c++17 -Iinc    check with these compiler flags

Exit codes:
  0  no findings
  1  findings
  2  usage, configuration or compile errors (a rule pack that does not
     validate, a missing compilation database, a file that does not
     compile); the other files are still checked and reported
)";

/// clang-tidy's lookup of the .clang-tidy files, asking once per
/// directory, and remembering the files that do not parse: clang-tidy skips
/// those with a message; uisan-tidy also ends with exit code 2.
class ConfigFiles : public FileOptionsProvider {
public:
  ConfigFiles(ClangTidyGlobalOptions Global, ClangTidyOptions Defaults,
              ClangTidyOptions Overrides, std::shared_ptr<std::set<std::string>> Bad)
      : FileOptionsProvider(std::move(Global), std::move(Defaults),
                            std::move(Overrides), handlers(Bad)) {
    // This constructor of clang-tidy's leaves the file system unset.
    FS = llvm::vfs::getRealFileSystem();
  }

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::string Dir = llvm::sys::path::parent_path(FileName).str();
    auto It = Cache.find(Dir);
    if (It != Cache.end())
      return It->second;
    return Cache[Dir] = FileOptionsProvider::getRawOptions(FileName);
  }

private:
  static ConfigFileHandlers handlers(std::shared_ptr<std::set<std::string>> Bad) {
    ConfigFileHandlers H;
    H.emplace_back(".clang-tidy", [Bad](llvm::MemoryBufferRef Text) {
      auto Parsed = parseConfigurationWithDiags(
          Text, [](const llvm::SMDiagnostic &D) { D.print(nullptr, llvm::errs()); });
      if (!Parsed)
        Bad->insert(Text.getBufferIdentifier().str());
      return Parsed;
    });
    return H;
  }
  std::map<std::string, std::vector<OptionsSource>> Cache;
};

cl::opt<std::string> BuildPath("p", cl::desc("Build directory with compile_commands.json"),
                               cl::value_desc("build-dir"), cl::cat(Category));
cl::list<std::string> SourcePaths(cl::Positional, cl::desc("[<file> ...]"),
                                  cl::cat(Category));
cl::opt<std::string> ChecksOpt("checks",
                               cl::desc("Comma-separated globs of checks to run, "
                                        "'-' to exclude (default: uisan-*)"),
                               cl::init("uisan-*"), cl::cat(Category));
cl::list<std::string> RulesOpt("rules",
                               cl::desc("An extra rule pack (JSON); repeatable. "
                                        "The shipped packs are always loaded"),
                               cl::value_desc("file.json"), cl::cat(Category));
enum class Format { Text, Json, Sarif };
cl::opt<Format> FormatOpt(
    "format", cl::desc("Output format"), cl::init(Format::Text),
    cl::values(clEnumValN(Format::Text, "text", "clang-style diagnostics (default)"),
               clEnumValN(Format::Json, "json", "one JSON document"),
               clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0, for code scanning")),
    cl::cat(Category));
cl::opt<std::string> OutputOpt("output", cl::desc("Write findings to this file instead of stdout"),
                               cl::value_desc("file"), cl::cat(Category));
cl::opt<unsigned> JobsOpt("j", cl::desc("Translation units checked in parallel (default: cores)"), cl::Prefix,
                          cl::init(0), cl::cat(Category));
cl::list<std::string> ExtraArgOpt("extra-arg", cl::desc("Add a compiler flag to every command"),
                                  cl::cat(Category));
cl::opt<std::string> SourceRootOpt("source-root",
                                   cl::desc("Root that SARIF paths are relative to "
                                            "(default: the current directory)"),
                                   cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the enabled checks and exit"),
                         cl::cat(Category));
cl::opt<bool> ListRules("list-rules", cl::desc("List the loaded rule packs and exit"),
                        cl::cat(Category));
cl::opt<bool> DumpConfig("dump-config", cl::desc("Print the effective configuration and exit"),
                         cl::cat(Category));
cl::opt<bool> VerifyConfig("verify-config",
                           cl::desc("Check --checks and the rule packs, then exit"),
                           cl::cat(Category));
cl::opt<std::string> ConfigOpt(
    "config",
    cl::desc("Check options in clang-tidy's YAML form, e.g. "
             "'{CheckOptions: {uisan-ui-call-in-thread.MaxDepth: 8}}'"),
    cl::cat(Category));
cl::opt<std::string> ConfigFileOpt(
    "config-file",
    cl::desc("Read the configuration from this file (a .clang-tidy) instead "
             "of the .clang-tidy files near each source"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> HeaderFilterOpt(
    "header-filter",
    cl::desc("Regular expression: findings in headers are shown only when the "
             "header's path matches (default: every project header; overrides "
             "HeaderFilterRegex)"),
    cl::cat(Category));
cl::opt<std::string> ExcludeHeaderFilterOpt(
    "exclude-header-filter",
    cl::desc("Regular expression: findings in headers whose path matches are "
             "not shown (overrides ExcludeHeaderFilterRegex)"),
    cl::cat(Category));
cl::opt<std::string> LineFilterOpt(
    "line-filter",
    cl::desc("clang-tidy's JSON line filter: "
             "'[{\"name\":\"file.cpp\",\"lines\":[[1,3],[5,7]]},{\"name\":\"x.h\"}]'"),
    cl::cat(Category));
cl::opt<std::string> WarningsAsErrorsOpt(
    "warnings-as-errors",
    cl::desc("Comma-separated globs of checks whose findings are errors "
             "(overrides WarningsAsErrors)"),
    cl::cat(Category));
cl::opt<bool> UseColorOpt("use-color",
                          cl::desc("Colour the text output (default: when the "
                                   "output is a terminal)"),
                          cl::cat(Category));
cl::opt<std::string> DiffOpt(
    "diff",
    cl::desc("Show only findings whose location or a note is on a line this "
             "unified diff adds or changes ('-': stdin), e.g. "
             "'git diff -U0 origin/main | uisan-tidy -p build --diff=-'"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> BaselineOpt(
    "baseline",
    cl::desc("Hide findings already in this earlier --format=sarif or "
             "--format=json output (matched by fingerprint)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ExportFixesOpt(
    "export-fixes",
    cl::desc("Also write every finding with its notes to this file in "
             "clang-tidy's YAML (for IDEs and clang-apply-replacements)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> FixOpt(
    "fix",
    cl::desc("Apply the findings' fix-its to the files (not when a file did "
             "not compile, unless --fix-errors)"),
    cl::cat(Category));
cl::opt<bool> FixErrorsOpt(
    "fix-errors",
    cl::desc("Apply the fix-its even when some file did not compile"),
    cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Print no progress and no summary on stderr"),
                    cl::cat(Category));
cl::list<std::string> ExcludeOpt(
    "exclude",
    cl::desc("Leave out the files matching this glob (absolute, or relative to "
             "the current directory), e.g. '*/moc_*.cpp'; repeatable"),
    cl::value_desc("glob"), cl::cat(Category));
cl::opt<std::string> CacheDirOpt(
    "cache-dir",
    cl::desc("Keep translation units' facts here between runs (default: "
             "<build-dir>/.uisan-cache with -p)"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<bool> NoCacheOpt("no-cache", cl::desc("Neither read nor write the facts cache"),
                         cl::cat(Category));
cl::opt<std::string> WriteFactsOpt(
    "write-facts",
    cl::desc("Only extract the one given source's facts into this file (a "
             "build step); link them later with --from-facts"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> DepFileOpt(
    "depfile",
    cl::desc("With --write-facts: also write the files the source read, in "
             "Make's syntax (for Ninja's and CMake's DEPFILE)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> DumpFactsOpt(
    "dump-facts",
    cl::desc("Print the facts extracted from each translation unit as JSON, "
             "instead of findings"),
    cl::cat(Category));
cl::opt<bool> FromFactsOpt(
    "from-facts",
    cl::desc("Link the facts files given as arguments (from --write-facts) "
             "and check the whole program, without parsing"),
    cl::cat(Category));

/// A crash while checking a TU becomes an error for that TU (see
/// runUisanTidy). The handlers run on the workers' alternate signal
/// stacks, so that a stack overflow is caught too.
void enableCrashRecovery() {
  llvm::CrashRecoveryContext::Enable();
  for (int Signal : {SIGSEGV, SIGBUS}) {
    struct sigaction Action;
    if (sigaction(Signal, nullptr, &Action) == 0 &&
        Action.sa_handler != SIG_DFL && Action.sa_handler != SIG_IGN) {
      Action.sa_flags |= SA_ONSTACK;
      sigaction(Signal, &Action, nullptr);
    }
  }
}

/// Each positive entry of --checks must name a known check or match one.
std::vector<std::string> verifyChecks(llvm::StringRef Checks) {
  std::vector<std::string> Problems;
  std::vector<std::string> Known;
  for (const CheckInfo &C : uisanChecks())
    Known.push_back(C.Id);
  llvm::SmallVector<llvm::StringRef, 4> Globs;
  Checks.split(Globs, ',', -1, false);
  for (llvm::StringRef G : Globs) {
    G = G.trim();
    if (G.consume_front("-") || G.empty())
      continue;
    auto Pattern = llvm::GlobPattern::create(G);
    bool Matched = false;
    if (Pattern)
      for (const std::string &K : Known)
        Matched |= Pattern->match(K);
    else
      llvm::consumeError(Pattern.takeError());
    if (Matched || G.starts_with("clang-"))
      continue;
    std::string Near = rules::closestMatch(G, Known);
    Problems.push_back("error: unknown check '" + G.str() +
                       "' in the checks list" +
                       (Near.empty() ? "; see --list-checks"
                                     : "; did you mean '" + Near + "'?"));
  }
  return Problems;
}

} // namespace

int uisanTidyMain(int Argc, const char **Argv) {
  // Split at '--': what follows are compiler flags for every file.
  Config C;
  int ToolArgc = Argc;
  for (int I = 1; I < Argc; ++I)
    if (llvm::StringRef(Argv[I]) == "--") {
      ToolArgc = I;
      C.HasFixedArgs = true;
      for (int J = I + 1; J < Argc; ++J)
        C.FixedArgs.push_back(Argv[J]);
      break;
    }
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(
      [](llvm::raw_ostream &OS) { OS << versionString() << '\n'; });
  if (!cl::ParseCommandLineOptions(ToolArgc, Argv, Overview, &llvm::errs()))
    return ExitError;
  enableCrashRecovery();

  C.Checks = ChecksOpt;
  C.RulePacks = RulesOpt;
  C.Files = SourcePaths;
  C.BuildDir = BuildPath;
  C.ExtraArgs = ExtraArgOpt;
  C.Jobs = JobsOpt;
  C.Exclude = ExcludeOpt;
  C.Progress = !Quiet;
  C.CacheDir = CacheDirOpt;
  C.NoCache = NoCacheOpt;
  C.WriteFacts = WriteFactsOpt;
  C.DepFile = DepFileOpt;
  C.FromFacts = FromFactsOpt;
  C.DumpFacts = DumpFactsOpt;
  if (!C.DepFile.empty() && C.WriteFacts.empty()) {
    llvm::errs() << "error: --depfile needs --write-facts\n";
    return ExitError;
  }
  if (C.FromFacts && (C.HasFixedArgs || !C.BuildDir.empty() ||
                      !C.WriteFacts.empty())) {
    llvm::errs() << "error: --from-facts links facts files and parses "
                    "nothing: it takes neither -p, '--' nor --write-facts\n";
    return ExitError;
  }
  // Configuration as clang-tidy reads it: the nearest .clang-tidy up from
  // each file, or --config / --config-file for all files, with the
  // command line's flags on top.
  ClangTidyGlobalOptions Global;
  if (!LineFilterOpt.empty())
    if (std::error_code EC = parseLineFilter(LineFilterOpt, Global)) {
      llvm::errs() << "error: --line-filter: " << EC.message()
                   << "; expected JSON such as "
                      "'[{\"name\":\"file.cpp\",\"lines\":[[1,3],[5,7]]}]'\n";
      return ExitError;
    }
  if (!ConfigOpt.empty() && !ConfigFileOpt.empty()) {
    llvm::errs() << "error: give either --config or --config-file, not both\n";
    return ExitError;
  }
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = "uisan-*";
  // Unlike clang-tidy, every project header's findings are shown unless a
  // header filter says otherwise: one finding spans files.
  Defaults.HeaderFilterRegex = ".*";
  Defaults.ExcludeHeaderFilterRegex = "";
  ClangTidyOptions Overrides;
  if (ChecksOpt.getNumOccurrences())
    Overrides.Checks = ChecksOpt;
  if (HeaderFilterOpt.getNumOccurrences())
    Overrides.HeaderFilterRegex = HeaderFilterOpt;
  if (ExcludeHeaderFilterOpt.getNumOccurrences())
    Overrides.ExcludeHeaderFilterRegex = ExcludeHeaderFilterOpt;
  if (WarningsAsErrorsOpt.getNumOccurrences())
    Overrides.WarningsAsErrors = WarningsAsErrorsOpt;
  for (const auto &[Name, Regex] :
       {std::pair<const char *, const std::string *>{"--header-filter", &HeaderFilterOpt},
        {"--exclude-header-filter", &ExcludeHeaderFilterOpt}}) {
    std::string Why;
    if (!Regex->empty() && !llvm::Regex(*Regex).isValid(Why)) {
      llvm::errs() << "error: " << Name << ": '" << *Regex
                   << "' is not a regular expression: " << Why << "\n";
      return ExitError;
    }
  }
  std::unique_ptr<ClangTidyOptionsProvider> Provider;
  auto BadConfigFiles = std::make_shared<std::set<std::string>>();
  {
    std::string Text = ConfigOpt, Name = "--config";
    std::unique_ptr<llvm::MemoryBuffer> File;
    if (!ConfigFileOpt.empty()) {
      auto Buffer = llvm::MemoryBuffer::getFile(ConfigFileOpt, /*IsText=*/true);
      if (!Buffer) {
        llvm::errs() << "error: --config-file: cannot read '" << ConfigFileOpt
                     << "': " << Buffer.getError().message() << "\n";
        return ExitError;
      }
      File = std::move(*Buffer);
      Text = File->getBuffer().str();
      Name = ConfigFileOpt;
    }
    if (!ConfigOpt.empty() || File) {
      llvm::ErrorOr<ClangTidyOptions> Parsed =
          parseConfiguration(llvm::MemoryBufferRef(Text, Name));
      if (!Parsed) {
        llvm::errs() << "error: " << (File ? "--config-file '" + Name + "'" : Name)
                     << ": " << Parsed.getError().message()
                     << "; expected YAML such as '{CheckOptions: "
                        "{uisan-ui-call-in-thread.MaxDepth: 8}}'\n";
        return ExitError;
      }
      Provider = std::make_unique<ConfigOptionsProvider>(Global, Defaults,
                                                         *Parsed, Overrides);
    } else {
      Provider = std::make_unique<ConfigFiles>(Global, Defaults, Overrides,
                                               BadConfigFiles);
    }
  }
  // The configuration that sets the analysis options (and the checks that
  // --list-checks shows): the first source's, else the working directory's.
  std::string Probe =
      C.Files.empty() ? absolute("-", "") : absolute(C.Files.front(), "");
  ClangTidyOptions Effective = Provider->getOptions(Probe);
  C.Checks = Effective.Checks.value_or("uisan-*");
  for (const auto &KV : Effective.CheckOptions) {
    llvm::StringRef Key = KV.getKey();
    // Packs named in the configuration join --rules, so they are
    // validated and listed like the others.
    if (Key == "RulePacks" || Key.ends_with(".RulePacks")) {
      for (std::string &P : splitOptionList(KV.getValue().Value))
        C.RulePacks.push_back(std::move(P));
      continue;
    }
    C.CheckOptions.push_back({Key.str(), KV.getValue().Value});
  }

  if (ListChecks || DumpConfig || VerifyConfig || ListRules) {
    std::vector<std::string> Problems = verifyChecks(C.Checks);
    for (const std::string &Bad : *BadConfigFiles)
      Problems.push_back("error: " + Bad + ": not a valid configuration, skipped");
    std::shared_ptr<const RuleDB> DB = getRuleDB(joined(C.RulePacks, ';'));
    for (const rules::Problem &P : DB->Problems)
      Problems.push_back(rules::formatProblem(P));
    if (ListChecks) {
      llvm::outs() << "Enabled checks:\n";
      for (const std::string &Name :
           getCheckNames(tidyOptions(C), /*AllowEnablingAnalyzerAlphaCheckers=*/false))
        llvm::outs() << "    " << Name << "\n";
    }
    if (ListRules)
      for (const auto &P : DB->Packs)
        llvm::outs() << P->Name << "  " << P->File << "  (" << P->Toolkit
                     << ")\n    " << P->Description
                     << "\n    " << P->UiClasses.size() << " UI classes, "
                     << P->UiFunctions.Items.size() + P->UiPrefixes.size()
                     << " UI function patterns, " << P->Spawners.size()
                     << " spawners, " << P->WorkerOverrides.Items.size()
                     << " worker overrides, " << P->Marshallers.size()
                     << " marshallers, " << P->ThreadGuards.Items.size()
                     << " thread guards, " << P->Executors.size()
                     << " executors, "
                     << (P->PerRun ? P->PerRun->Functions.Items.size() +
                                         P->PerRun->Overrides.Items.size()
                                   : 0)
                     << " per-run patterns, " << P->Throwing.Items.size()
                     << " throwing calls\n";
    if (DumpConfig) {
      // The merged configuration of the first source (or the working
      // directory), with every check option's effective value.
      ClangTidyOptions Opts = tidyOptions(C);
      Opts.CheckOptions.erase("uisan.StandaloneTool");
      Opts.ExtraArgsBefore.reset();
      Opts.HeaderFilterRegex = Effective.HeaderFilterRegex;
      Opts.ExcludeHeaderFilterRegex = Effective.ExcludeHeaderFilterRegex;
      Opts.WarningsAsErrors = Effective.WarningsAsErrors;
      ClangTidyOptions::OptionMap Values =
          getCheckOptions(Opts, /*AllowEnablingAnalyzerAlphaCheckers=*/false);
      for (auto &KV : Values)
        Opts.CheckOptions[KV.getKey()] = KV.getValue();
      llvm::outs() << configurationAsText(Opts) << "\n";
    }
    for (const std::string &P : Problems)
      llvm::errs() << P << "\n";
    if (VerifyConfig && Problems.empty())
      llvm::outs() << "No config errors detected.\n";
    return Problems.empty() ? ExitClean : ExitError;
  }

  if (std::vector<std::string> Problems = verifyChecks(C.Checks); !Problems.empty()) {
    for (const std::string &P : Problems)
      llvm::errs() << P << "\n";
    return ExitError;
  }
  if (C.Files.empty() && C.BuildDir.empty()) {
    llvm::errs() << "error: nothing to check: give source files, or -p "
                    "<build-dir>; see --help\n";
    return ExitError;
  }

  // PR mode and the baseline are read before the run, so that a bad file
  // costs no parse.
  std::string SourceRoot = SourceRootOpt;
  if (SourceRoot.empty()) {
    llvm::SmallString<256> Cwd;
    llvm::sys::fs::current_path(Cwd);
    SourceRoot = std::string(Cwd);
  }
  SourceRoot = absolute(SourceRoot, "");
  ReportFilter Filter;
  Filter.Options = Provider.get();
  Filter.LineFilter = Global.LineFilter;
  Filter.SourceRoot = SourceRoot;
  if (!DiffOpt.empty()) {
    auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(DiffOpt, /*IsText=*/true);
    if (!Buffer) {
      llvm::errs() << "error: --diff: cannot read '" << DiffOpt
                   << "': " << Buffer.getError().message() << "\n";
      return ExitError;
    }
    std::string Why;
    Filter.Diff = parseUnifiedDiff((*Buffer)->getBuffer(), absolute(".", ""), Why);
    if (!Filter.Diff) {
      llvm::errs() << "error: --diff: " << (DiffOpt == "-" ? std::string("<stdin>") : std::string(DiffOpt))
                   << ": " << Why << "; give a unified diff such as 'git diff "
                   << "-U0 origin/main' prints\n";
      return ExitError;
    }
  }
  if (!BaselineOpt.empty()) {
    std::string Why;
    Filter.Baseline = readBaseline(BaselineOpt, Why);
    if (!Filter.Baseline) {
      llvm::errs() << Why << "\n";
      return ExitError;
    }
  }
  // With .clang-tidy files, the checks a file enables may differ from the
  // first file's: run them all and let each file's configuration decide.
  if (!Overrides.Checks && ConfigOpt.empty() && ConfigFileOpt.empty())
    C.Checks = "uisan-*";

  RunResult R = runUisanTidy(C);
  Filter.MainFiles.insert(R.MainFiles.begin(), R.MainFiles.end());
  Filter.IncludedFrom = std::move(R.IncludedFrom);
  SourceCache Sources;
  FilterCounts Counts;
  R.Findings = applyReportFilter(std::move(R.Findings), Filter, Sources, Counts);
  for (const std::string &Bad : *BadConfigFiles)
    R.Errors.push_back("error: " + Bad +
                       ": not a valid configuration, skipped (as clang-tidy "
                       "skips it); fix the YAML at the place shown above");
  for (const std::string &E : R.Errors)
    llvm::errs() << E << "\n";
  if (!R.NotGenerated.empty()) {
    llvm::errs() << "uisan-tidy: warning: " << R.NotGenerated.size()
                 << " file" << (R.NotGenerated.size() == 1 ? "" : "s")
                 << " of the compilation database "
                 << (R.NotGenerated.size() == 1 ? "does" : "do")
                 << " not exist and " << (R.NotGenerated.size() == 1 ? "is" : "are")
                 << " not checked (generated by the build?):";
    for (size_t I = 0; I < R.NotGenerated.size() && I < 5; ++I)
      llvm::errs() << (I ? ", " : " ")
                   << llvm::sys::path::filename(R.NotGenerated[I]);
    if (R.NotGenerated.size() > 5)
      llvm::errs() << ", ...";
    llvm::errs() << "; build the targets that generate them first, or leave "
                    "them out with --exclude\n";
  }
  if (C.DumpFacts) {
    llvm::json::Array All;
    for (llvm::json::Value &V : R.FactsJson)
      All.push_back(std::move(V));
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(All)))
                 << "\n";
    return R.Errors.empty() ? ExitClean : ExitError;
  }
  if (!WriteFactsOpt.empty()) {
    // Extract only: compile errors travel in the facts to the link step.
    for (const Finding &F : R.Findings)
      llvm::errs() << F.Loc.File << ": error: " << F.Message << "\n";
    return R.FactsWritten && R.Errors.empty() ? ExitClean : ExitError;
  }

  std::error_code EC;
  std::unique_ptr<llvm::raw_fd_ostream> File;
  if (!OutputOpt.empty()) {
    File = std::make_unique<llvm::raw_fd_ostream>(OutputOpt, EC);
    if (EC) {
      llvm::errs() << "error: cannot write '" << OutputOpt << "': "
                   << EC.message() << "\n";
      return ExitError;
    }
  }
  llvm::raw_ostream &OS = File ? *File : llvm::outs();
  bool Color = UseColorOpt.getNumOccurrences()
                   ? bool(UseColorOpt)
                   : !File && FormatOpt == Format::Text && OS.has_colors();
  if (Color)
    OS.enable_colors(true);
  switch (FormatOpt) {
  case Format::Text:
    printText(OS, R.Findings, Sources, Color);
    break;
  case Format::Json:
    printJson(OS, R.Findings, Sources, SourceRoot);
    break;
  case Format::Sarif:
    printSarif(OS, R.Findings, Sources, SourceRoot, versionString());
    break;
  }
  OS.flush();
  if (FixOpt || FixErrorsOpt) {
    if (R.exitCode() == ExitError && !FixErrorsOpt) {
      llvm::errs() << "uisan-tidy: fix-its not applied: there were errors; fix "
                      "them first, or pass --fix-errors\n";
    } else {
      unsigned Conflicts = 0;
      std::vector<std::string> Problems;
      unsigned Applied = applyFixes(R.Findings, Conflicts, Problems);
      for (const std::string &P : Problems)
        llvm::errs() << P << "\n";
      if (!Quiet || Applied)
        llvm::errs() << "uisan-tidy: applied " << Applied << " fix-it"
                     << (Applied == 1 ? "" : "s")
                     << (Conflicts ? ", left out " + std::to_string(Conflicts) +
                                         " that overlapped another"
                                   : std::string())
                     << "\n";
      if (!Problems.empty())
        return ExitError;
    }
  }
  if (!ExportFixesOpt.empty()) {
    llvm::raw_fd_ostream Fixes(ExportFixesOpt, EC);
    if (EC) {
      llvm::errs() << "error: --export-fixes: cannot write '" << ExportFixesOpt
                   << "': " << EC.message() << "\n";
      return ExitError;
    }
    printExportFixes(Fixes, R.Findings, Sources,
                     C.Files.empty() ? "" : absolute(C.Files.front(), ""),
                     C.BuildDir.empty() ? absolute(".", "") : absolute(C.BuildDir, ""));
  }

  if (!Quiet) {
    unsigned Warnings = 0, Errors = R.Errors.size();
    for (const Finding &F : R.Findings)
      (F.Severity == Finding::Level::Error && !F.WarningAsError ? Errors
                                                                 : Warnings)++;
    llvm::errs() << "uisan-tidy: " << Warnings << " finding"
                 << (Warnings == 1 ? "" : "s") << ", " << Errors << " error"
                 << (Errors == 1 ? "" : "s") << " in " << R.TranslationUnits
                 << " translation unit" << (R.TranslationUnits == 1 ? "" : "s");
    if (R.CachedUnits)
      llvm::errs() << " (" << R.CachedUnits << " from the cache)";
    if (Counts.OutsideDiff)
      llvm::errs() << "; " << Counts.OutsideDiff << " outside the diff";
    if (Counts.HiddenByBaseline)
      llvm::errs() << "; " << Counts.HiddenByBaseline << " hidden by the baseline";
    llvm::errs() << "\n";
  }
  return R.exitCode();
}

} // namespace uisan::tidy

/// LeakSanitizer's hook (sanitizer builds; unused otherwise): a run that
/// recovered from a crash left that file's allocations behind on purpose,
/// so only such a run skips the exit-time leak check.
extern "C" int __lsan_is_turned_off() {
  return uisan::tidy::AbandonedMemory.load() ? 1 : 0;
}
