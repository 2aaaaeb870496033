#include "launcher.h"
#include "sarif.h"

#include "uisan_flags.h"
#include "uisan_runtime.h"
#include "uisan_suppressions.h"

#ifdef UISAN_HAVE_RULES
#include "uisan/rules/RulePack.h"
#endif

#include <cerrno>
#include <csignal>
#include <elf.h>
#include <fcntl.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace uisan {
namespace {

const char kUsage[] =
    "usage: uisan-run [--rules FILE]... [--log FILE] [--json FILE] [--sarif FILE]\n"
    "                 [--options 'name=value:...'] [-- name=value... --]\n"
    "                 [--] PROGRAM [ARGS...]\n"
    "\n"
    "Runs PROGRAM with libuisan.so preloaded and reports UI threading bugs.\n"
    "Every option with a value also takes it as --name=value.\n"
    "  --rules FILE    a rule pack (JSON) to use besides the shipped ones;\n"
    "                  repeatable\n"
    "  --no-toolkits   do not check calls into toolkit libraries (Qt, GTK,\n"
    "                  wx, ...): no LD_AUDIT module\n"
    "  --print-toolkit-spec\n"
    "                  print what the packs tell the audit module, and exit\n"
    "  --log FILE      append text reports to FILE (log_path=FILE)\n"
    "  --json FILE     append JSON-lines reports to FILE (json_path=FILE)\n"
    "  --sarif FILE    write the reports as SARIF 2.1.0 to FILE once PROGRAM\n"
    "                  (and any child it checks) has exited; uisan-run then\n"
    "                  waits for PROGRAM instead of becoming it\n"
    "  --options OPTS  extra runtime options, appended to $UISAN_OPTIONS;\n"
    "                  `-- name=value ... --` before PROGRAM does the same\n"
    "  --help-options  list every runtime option\n"
    "Exit code: PROGRAM's own; the `exitcode` option (default 66) if uisan\n"
    "reported something; 2 on a usage or configuration error; 126/127 if\n"
    "PROGRAM cannot be executed / found; 3 if the SARIF file cannot be\n"
    "written.\n";

int usageError(const std::string &message) {
  std::fprintf(stderr, "uisan-run: error: %s\n", message.c_str());
  std::fprintf(stderr, "run 'uisan-run --help' for usage\n");
  return kLauncherUsageError;
}

/// The environment variable `name`, or "" when it is unset.
std::string envOr(const char *name) {
  const char *value = getenv(name);
  return value ? value : "";
}

/// `first` and `second` as one ':'-separated list; either may be empty.
std::string joinList(const std::string &first, const std::string &second) {
  return first.empty() ? second : second.empty() ? first : first + ":" + second;
}

/// Adds `item` at the end of the ':'-separated list in variable `name`.
void appendToEnvList(const char *name, const std::string &item) {
  setenv(name, joinList(envOr(name), item).c_str(), 1);
}

std::string selfDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0)
    return ".";
  buf[n] = '\0';
  std::string path(buf);
  return path.substr(0, path.rfind('/'));
}

/// One of uisan's libraries (`file`): `$env_var` if set, else next to
/// uisan-run or in the lib directory beside its bin directory; "" if none.
std::string findLibrary(const char *env_var, const std::string &file) {
  if (const char *env = getenv(env_var))
    return env;
  std::string dir = selfDir();
  for (const char *rel : {"/", "/../lib/", "/../lib/uisan/"}) {
    std::string candidate = dir + rel + file;
    if (access(candidate.c_str(), R_OK) == 0)
      return candidate;
  }
  return "";
}

/// `name=value` with a lowercase identifier name, as in UISAN_OPTIONS.
bool looksLikeOption(const char *arg) {
  const char *p = arg;
  while ((*p >= 'a' && *p <= 'z') || *p == '_')
    ++p;
  return p != arg && *p == '=';
}

bool pathFitsOption(const std::string &path) {
  return path.find_first_of(": \t\n") == std::string::npos;
}

/// The file execvp would run for `program`, or "" if none is found.
std::string resolveProgram(const std::string &program) {
  if (program.find('/') != std::string::npos)
    return program;
  const char *path = getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos)
      end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return "";
}

/// True for an ELF executable without a program interpreter: the dynamic
/// loader never runs, so LD_PRELOAD cannot inject libuisan.
bool isStaticElf(const std::string &file) {
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  Elf64_Ehdr eh;
  bool is_static = false;
  if (read(fd, &eh, sizeof(eh)) == static_cast<ssize_t>(sizeof(eh)) &&
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
      (eh.e_type == ET_EXEC || eh.e_type == ET_DYN) && eh.e_phentsize == sizeof(Elf64_Phdr)) {
    bool has_interp = false;
    for (int i = 0; i < eh.e_phnum; ++i) {
      Elf64_Phdr ph;
      if (pread(fd, &ph, sizeof(ph), static_cast<off_t>(eh.e_phoff + i * sizeof(ph))) !=
          static_cast<ssize_t>(sizeof(ph)))
        break;
      has_interp |= ph.p_type == PT_INTERP;
    }
    // A shared library without PT_INTERP is not a program; a static-pie is.
    bool has_entry_program = eh.e_type == ET_EXEC || eh.e_entry != 0;
    is_static = !has_interp && has_entry_program;
  }
  close(fd);
  return is_static;
}

/// Sanitizer runtimes (ASan, TSan, ...) that `file` needs (DT_NEEDED).
/// They insist on being first in the library list, so when the app links
/// one, uisan-run preloads it ahead of libuisan; its interceptors then call
/// ours, which call libc.
std::vector<std::string> neededSanitizerRuntimes(const std::string &file) {
  std::vector<std::string> found;
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return found;
  Elf64_Ehdr eh;
  std::vector<Elf64_Phdr> phs;
  if (read(fd, &eh, sizeof(eh)) == static_cast<ssize_t>(sizeof(eh)) &&
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
      eh.e_phentsize == sizeof(Elf64_Phdr)) {
    phs.resize(eh.e_phnum);
    if (pread(fd, phs.data(), phs.size() * sizeof(Elf64_Phdr), static_cast<off_t>(eh.e_phoff)) !=
        static_cast<ssize_t>(phs.size() * sizeof(Elf64_Phdr)))
      phs.clear();
  }
  auto fileOffset = [&](uint64_t vaddr) -> int64_t {
    for (const Elf64_Phdr &ph : phs)
      if (ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz)
        return static_cast<int64_t>(vaddr - ph.p_vaddr + ph.p_offset);
    return -1;
  };
  for (const Elf64_Phdr &ph : phs) {
    if (ph.p_type != PT_DYNAMIC)
      continue;
    std::vector<Elf64_Dyn> dyn(ph.p_filesz / sizeof(Elf64_Dyn));
    if (pread(fd, dyn.data(), dyn.size() * sizeof(Elf64_Dyn), static_cast<off_t>(ph.p_offset)) !=
        static_cast<ssize_t>(dyn.size() * sizeof(Elf64_Dyn)))
      break;
    int64_t strtab = -1;
    for (const Elf64_Dyn &d : dyn)
      if (d.d_tag == DT_STRTAB)
        strtab = fileOffset(d.d_un.d_ptr);
    if (strtab < 0)
      break;
    for (const Elf64_Dyn &d : dyn) {
      if (d.d_tag != DT_NEEDED)
        continue;
      char name[256] = {0};
      if (pread(fd, name, sizeof(name) - 1, static_cast<off_t>(strtab + d.d_un.d_val)) <= 0)
        continue;
      std::string n(name);
      for (const char *prefix : {"libasan.so", "libtsan.so", "libhwasan.so", "libclang_rt.asan"})
        if (n.rfind(prefix, 0) == 0)
          found.push_back(n);
    }
  }
  close(fd);
  return found;
}

#ifdef UISAN_HAVE_RULES
/// The spec of one pack's runtime-checkable UI (see uisan_audit_names.h),
/// or "" if the pack names no libraries or no main/first-caller UI thread.
std::string packSpec(const rules::Pack &p) {
  if (p.UiLibraries.empty() || !p.UiThread ||
      p.UiThread->K == rules::UiThreadRule::Kind::Context)
    return "";
  bool first = p.UiThread->K == rules::UiThreadRule::Kind::FirstCaller;
  std::string out = "toolkit " + p.Name + (first ? " first-caller " : " main ") +
                    p.UiThreadName + "\n";
  if (!p.Remedy.empty())
    out += "remedy " + p.Remedy + "\n";
  auto item = [&](const char *kind, const std::string &text) {
    out += std::string(kind) + " " + text + "\n";
  };
  for (const std::string &lib : p.UiLibraries)
    item("library", lib);
  for (const std::string &lib : p.UiThread->Libraries)
    item("ui-thread-library", lib);
  if (first)
    for (const rules::Glob &g : p.UiThread->Functions.Items)
      item("sets-ui-thread", g.text());
  for (const rules::UiClassRule &c : p.UiClasses) {
    item(c.Subclasses ? "class" : "class-only", c.Name.text());
    for (const rules::Glob &g : c.Except.Items)
      item("except", g.text());
  }
  for (const rules::Glob &g : p.UiFunctions.Items)
    item("function", g.text());
  for (const rules::UiPrefixRule &r : p.UiPrefixes) {
    item("prefix", r.Prefix);
    for (const rules::Glob &g : r.Except.Items)
      item("except", g.text());
  }
  for (const rules::Glob &g : p.UiExcept.Items)
    item("except", g.text());
  for (const rules::LockRegionRule &r : p.LockRegions) {
    if (r.Enter)
      item("region-enter", r.Enter->text());
    if (r.Leave)
      item("region-leave", r.Leave->text());
    if (r.Guard)
      item("region-guard", r.Guard->text());
  }
  return out;
}

/// What libuisan needs of a pack to tell the app's threads from a
/// library's (see uisan_thread_owner.h): the calls that start threads for
/// their caller, and the threads the pack says a library owns.
std::string packThreadSpec(const rules::Pack &p) {
  std::string out;
  auto item = [&](const char *kind, const std::string &text) {
    out += std::string(kind) + " " + text + "\n";
  };
  for (const rules::SpawnerRule &s : p.Spawners)
    if (s.LibraryThread.empty()) // a registration call starts no thread
      item("spawner", s.Function.text());
  for (const rules::ExecutorRule &e : p.Executors) {
    for (const rules::Glob &g : e.Create.Items)
      item("spawner", g.text());
    for (const std::string &start : e.Start)
      item("spawner", e.Type.text() + "::" + start);
  }
  for (const std::string &name : p.LibraryThreads.Names)
    item("library-thread-name", name);
  for (const rules::Glob &g : p.LibraryThreads.Creators.Items)
    item("library-thread-creator", g.text());
  return out;
}
#endif

/// Loads every pack together (as the checker does): each must parse, and
/// no two may share a name, shipped packs included. `spec` receives the
/// toolkit spec of the audit module, `thread_spec` libuisan's.
bool loadPacks(const std::vector<std::string> &paths, std::string &message,
               std::string &spec, std::string &thread_spec) {
#ifdef UISAN_HAVE_RULES
  std::vector<rules::Problem> problems;
  auto packs = rules::loadAllPacks(paths, problems);
  for (const rules::Problem &p : problems)
    message += rules::formatProblem(p) + "\n";
  for (const auto &p : packs) {
    spec += packSpec(*p);
    thread_spec += packThreadSpec(*p);
  }
  return problems.empty();
#else
  (void)thread_spec;
  for (const std::string &path : paths)
    if (access(path.c_str(), R_OK) != 0)
      message += path + ": cannot read rule pack: " + std::strerror(errno) + "\n";
  return message.empty();
#endif
}

} // namespace

namespace {

/// Where --sarif's reports come from and go.
struct SarifRun {
  std::string path;      // the SARIF file
  std::string json;      // the JSON lines the run appends to
  long offset = 0;       // where this run's lines start in `json`
  bool temporary = false; // `json` is uisan-run's own: removed afterwards
};

pid_t g_sarif_child;

void forwardSignal(int sig) {
  if (g_sarif_child > 0)
    kill(g_sarif_child, sig);
}

/// --sarif: runs the program as a child instead of becoming it, waits for
/// it, then writes the SARIF file from the JSON lines it appended. The
/// exit status (or the signal that ended it) is the program's.
int runForSarif(char **program, const SarifRun &run) {
  pid_t pid = fork();
  if (pid < 0)
    return usageError(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    execvp(program[0], program);
    int err = errno;
    std::fprintf(stderr, "uisan-run: error: cannot run '%s': %s\n", program[0],
                 std::strerror(err));
    _exit(err == ENOENT ? kLauncherNotFound : kLauncherCannotExecute);
  }
  // Like system(): the terminal's ^C and ^\ reach the program (same
  // process group) and not us; a SIGTERM or SIGHUP sent to us is passed on.
  g_sarif_child = pid;
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGTERM, forwardSignal);
  signal(SIGHUP, forwardSignal);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string lines;
  if (FILE *f = std::fopen(run.json.c_str(), "rb")) {
    std::fseek(f, run.offset, SEEK_SET);
    char buf[65536];
    for (size_t n; (n = std::fread(buf, 1, sizeof(buf), f)) > 0;)
      lines.append(buf, n);
    std::fclose(f);
  }
  if (run.temporary)
    unlink(run.json.c_str());
  int skipped = 0;
#ifdef UISAN_HAVE_RULES
  std::string doc = sarifFromJsonLines(lines, UISAN_VERSION, skipped);
#else
  std::string doc; // not reached: --sarif is refused without the rules library
#endif
  FILE *out = std::fopen(run.path.c_str(), "wb");
  bool written = out && std::fwrite(doc.data(), 1, doc.size(), out) == doc.size();
  if (out)
    written = std::fclose(out) == 0 && written;
  if (!written) {
    std::fprintf(stderr, "uisan-run: error: cannot write the SARIF file '%s': %s\n",
                 run.path.c_str(), std::strerror(errno));
    return kLauncherSarifError;
  }
  if (skipped)
    std::fprintf(stderr, "uisan-run: warning: %d line(s) of %s are not reports (cut short?); "
                         "left out of %s\n", skipped, run.json.c_str(), run.path.c_str());
  if (WIFSIGNALED(status)) {
    signal(WTERMSIG(status), SIG_DFL);
    raise(WTERMSIG(status));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/// uisan-run's own options; every one that takes a value also takes it as
/// `--name=value`.
struct LauncherOption {
  const char *name;
  bool takes_value;
  const char *value_name;
};
const LauncherOption kLauncherOptions[] = {
    {"--rules", true, "FILE"},      {"--log", true, "FILE"},
    {"--json", true, "FILE"},       {"--sarif", true, "FILE"},
    {"--options", true, "OPTS"},    {"-o", true, "OPTS"},
    {"--no-toolkits", false, ""},   {"--print-toolkit-spec", false, ""},
    {"--help", false, ""},          {"-h", false, ""},
    {"--help-options", false, ""},
};

std::string unknownOption(const std::string &arg) {
  std::string message = "unknown option '" + arg + "'";
#ifdef UISAN_HAVE_RULES
  std::vector<std::string> names;
  for (const LauncherOption &o : kLauncherOptions)
    names.push_back(o.name);
  std::string near = rules::closestMatch(arg.substr(0, arg.find('=')), names);
  if (!near.empty())
    message += "; did you mean '" + near + "'?";
#endif
  return message;
}

} // namespace

int launcherMain(int argc, char **argv) {
  std::vector<std::string> packs;
  std::string log, json, sarif, extra;
  bool toolkits = true, print_spec = false;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      // `-- name=value... -- PROGRAM`: runtime options between two `--`.
      int j = i;
      while (j < argc && looksLikeOption(argv[j]))
        ++j;
      if (j > i && j < argc && std::string(argv[j]) == "--") {
        for (; i < j; ++i)
          extra += std::string(":") + argv[i];
        ++i;
      }
      break;
    }
    if (a.size() < 2 || a[0] != '-')
      break;
    // `--name value` or `--name=value`.
    std::string name = a, value;
    size_t eq = a.find('=');
    bool inline_value = eq != std::string::npos && a.compare(0, 2, "--") == 0;
    if (inline_value) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
    }
    const LauncherOption *option = nullptr;
    for (const LauncherOption &o : kLauncherOptions)
      if (name == o.name)
        option = &o;
    if (!option)
      return usageError(unknownOption(a));
    if (!option->takes_value && inline_value)
      return usageError("option '" + name + "' takes no value");
    if (option->takes_value && !inline_value) {
      if (i + 1 >= argc)
        return usageError(name + " needs a " + option->value_name);
      value = argv[++i];
    }
    if (option->takes_value && value.empty())
      return usageError(name + " needs a " + option->value_name + ", not an empty one");
    if (name == "-h" || name == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (name == "--help-options") {
      Flags f;
      f.setDefaults();
      std::fflush(stdout);
      printFlagsHelp(f, 1);
      return 0;
    }
    if (name == "--rules")
      packs.push_back(value);
    else if (name == "--no-toolkits")
      toolkits = false;
    else if (name == "--print-toolkit-spec")
      print_spec = true;
    else if (name == "--log")
      log = value;
    else if (name == "--json")
      json = value;
    else if (name == "--sarif")
      sarif = value;
    else // --options, -o
      extra += ":" + value;
  }
  if (i >= argc && !print_spec)
    return usageError("no PROGRAM to run");

  std::string options = envOr("UISAN_OPTIONS");
  options += extra;
  if (!log.empty()) {
    if (!pathFitsOption(log))
      return usageError("--log FILE must not contain ':' or whitespace");
    options += ":log_path=" + log;
  }
  // --sarif reads the JSON lines this run appends: to --json's file, or
  // to a file of its own.
  SarifRun sarif_run;
  if (!sarif.empty()) {
#ifndef UISAN_HAVE_RULES
    return usageError("--sarif needs uisan built with its rules library");
#endif
    int fd = open(sarif.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
      return usageError("cannot write the SARIF file '" + sarif + "': " + std::strerror(errno));
    close(fd);
    sarif_run.path = sarif;
    if (json.empty()) {
      char tmp[] = "/tmp/uisan-run-XXXXXX.jsonl";
      int t = mkstemps(tmp, 6);
      if (t < 0)
        return usageError(std::string("cannot make a temporary JSON file for --sarif: ") +
                          std::strerror(errno));
      close(t);
      json = tmp;
      sarif_run.temporary = true;
    } else if (FILE *f = std::fopen(json.c_str(), "rb")) {
      std::fseek(f, 0, SEEK_END);
      sarif_run.offset = std::ftell(f);
      std::fclose(f);
    }
    sarif_run.json = json;
  }
  if (!json.empty()) {
    if (!pathFitsOption(json))
      return usageError("--json FILE must not contain ':' or whitespace");
    options += ":json_path=" + json;
  }
  while (!options.empty() && options[0] == ':')
    options.erase(0, 1);

  // Validate everything before the app runs: a bad value stops here.
  Flags flags;
  flags.setDefaults();
  FlagError error;
  if (!parseFlags(options.c_str(), flags, error)) {
    std::fprintf(stderr, "uisan-run: error: %s\n", error.message);
    return kLauncherUsageError;
  }
  if (!flags.suppressions.empty()) {
    static Suppressions suppressions;
    char message[600];
    if (!suppressions.load(flags.suppressions.c_str(), message, sizeof(message))) {
      std::fprintf(stderr, "uisan-run: error: %s\n", message);
      return kLauncherUsageError;
    }
  }
  if (!validUiThreadOption(flags.ui_thread.c_str())) {
    std::fprintf(stderr, "uisan-run: error: bad value '%s' for ui_thread; use pack, main or "
                         "first-ui-call\n", flags.ui_thread.c_str());
    return kLauncherUsageError;
  }
  std::string pack_list, spec, thread_spec, message;
  if (!loadPacks(packs, message, spec, thread_spec)) {
    std::fputs(message.c_str(), stderr);
    return kLauncherUsageError;
  }
  if (print_spec) {
    std::fputs(spec.c_str(), stdout);
    return 0;
  }
  for (const std::string &p : packs) {
    if (!pack_list.empty())
      pack_list += "\n";
    pack_list += p;
  }

  std::string program = resolveProgram(argv[i]);
  if (!program.empty() && isStaticElf(program)) {
    std::fprintf(stderr,
                 "uisan-run: error: '%s' is statically linked: libuisan.so cannot be "
                 "preloaded into it; link it dynamically to check it\n",
                 program.c_str());
    return kLauncherUsageError;
  }

  std::string runtime = findLibrary("UISAN_RUNTIME_LIBRARY", "libuisan.so");
  if (runtime.empty()) {
    std::fprintf(stderr, "uisan-run: error: cannot find libuisan.so next to uisan-run "
                         "(set UISAN_RUNTIME_LIBRARY)\n");
    return kLauncherUsageError;
  }
  std::string preload = joinList(envOr("LD_PRELOAD"), runtime);
  bool tsan = false;
  if (!program.empty())
    for (const std::string &sanitizer : neededSanitizerRuntimes(program)) {
      if (preload.find(sanitizer) != std::string::npos)
        continue;
      // ASan must come first; TSan goes after libuisan, so that its own
      // background thread is not created through uisan's interceptor.
      if (sanitizer.rfind("libtsan", 0) == 0) {
        tsan = true;
        preload = joinList(preload, sanitizer);
      } else {
        preload = joinList(sanitizer, preload);
      }
    }
  setenv("LD_PRELOAD", preload.c_str(), 1);
  // The audit module goes after any the app brings: it then wraps what
  // theirs bind (their substitutes are the "real" functions of its stubs).
  std::string audit = toolkits && !spec.empty()
                          ? findLibrary("UISAN_AUDIT_LIBRARY", "libuisan_audit.so")
                          : "";
  if (!audit.empty()) {
    appendToEnvList("LD_AUDIT", audit);
    // verbosity=1's coverage line counts the calls through the stubs.
    setenv("UISAN_AUDIT_SPEC", (flags.verbosity >= 1 ? "count-calls\n" + spec : spec).c_str(), 1);
    // With an audit module, glibc sizes static TLS before libtsan (~770 KiB
    // of TLS) loads; reserve room for it.
    if (tsan)
      appendToEnvList("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=1048576");
  } else if (toolkits && !spec.empty()) {
    std::fprintf(stderr, "uisan-run: warning: cannot find libuisan_audit.so next to uisan-run "
                         "(set UISAN_AUDIT_LIBRARY); calls into toolkits are not checked\n");
  }
  setenv("UISAN_OPTIONS", options.c_str(), 1);
  setenv("UISAN_THREAD_SPEC", thread_spec.c_str(), 1);
  if (!pack_list.empty())
    setenv("UISAN_RULE_PACKS", pack_list.c_str(), 1);
  else
    unsetenv("UISAN_RULE_PACKS");

  if (!sarif_run.path.empty())
    return runForSarif(argv + i, sarif_run);
  execvp(argv[i], argv + i);
  int err = errno;
  std::fprintf(stderr, "uisan-run: error: cannot run '%s': %s\n", argv[i],
               std::strerror(err));
  return err == ENOENT ? kLauncherNotFound : kLauncherCannotExecute;
}

} // namespace uisan
