#include "FixtureExpectations.h"

#include <algorithm>
#include <regex>
#include <sstream>

namespace uisan::test {

namespace {
std::string baseName(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

std::vector<std::string> splitWords(const std::string &S) {
  std::istringstream In(S);
  std::vector<std::string> Words;
  for (std::string W; In >> W;)
    Words.push_back(W);
  return Words;
}
} // namespace

FixtureSpec parseFixture(const std::string &Text, const std::string &File) {
  FixtureSpec Spec;
  // CHECK-(MESSAGES|NOTES): <file>:<line>:<col>: <level>: <text>
  // where <line> is [[@LINE]], [[@LINE+N]], [[@LINE-N]] or a number.
  static const std::regex Check(
      R"(//\s*CHECK-(MESSAGES|NOTES):\s*([^:\s]*):(\[\[@LINE([+-]\d+)?\]\]|\d+):(\d+):\s*(warning|error|note):\s*(.*?)\s*$)");
  static const std::regex FixLine(R"(//\s*CHECK-FIXES:\s?(.*?)\s*$)");
  static const std::regex Directive(
      R"(//\s*UISAN-(REQUIRES|FLAGS|RULES|CONFIG):\s*(.*?)\s*$)");
  std::istringstream In(Text);
  std::string Line;
  for (unsigned N = 1; std::getline(In, Line); ++N) {
    std::smatch M;
    if (std::regex_search(Line, M, FixLine)) {
      if (M[1].str().empty())
        Spec.Errors.push_back("line " + std::to_string(N) +
                              ": CHECK-FIXES needs the text of a fixed line");
      else
        Spec.Fixes.push_back({File, M[1]});
    } else if (std::regex_search(Line, M, Check)) {
      Expectation E;
      E.DirectiveLine = N;
      E.FromNotes = M[1] == "NOTES";
      E.File = M[2];
      if (E.File.empty())
        E.File = File;
      if (M[3].str().rfind("[[", 0) == 0)
        E.Line = N + (M[4].matched ? std::stoi(M[4]) : 0);
      else
        E.Line = std::stoul(M[3]);
      E.Column = std::stoul(M[5]);
      E.Level = M[6];
      E.Text = M[7];
      Spec.ChecksNotes |= E.FromNotes;
      if (E.Level == "note" && !E.FromNotes)
        Spec.Errors.push_back("line " + std::to_string(N) +
                              ": notes are expected with CHECK-NOTES");
      Spec.Expected.push_back(E);
    } else if (Line.find("CHECK-") != std::string::npos &&
               Line.find("//") != std::string::npos &&
               Line.find("CHECK-MESSAGES") != std::string::npos) {
      Spec.Errors.push_back("line " + std::to_string(N) +
                            ": malformed CHECK-MESSAGES line");
    } else if (Line.find("CHECK-NOTES") != std::string::npos) {
      Spec.Errors.push_back("line " + std::to_string(N) +
                            ": malformed CHECK-NOTES line");
    } else if (std::regex_search(Line, M, Directive)) {
      if (M[1] == "CONFIG") {
        std::string KV = M[2];
        size_t Eq = KV.find('=');
        if (Eq == std::string::npos)
          Spec.Errors.push_back("line " + std::to_string(N) +
                                ": UISAN-CONFIG needs <key>=<value>");
        else
          Spec.Config.push_back({KV.substr(0, Eq), KV.substr(Eq + 1)});
        continue;
      }
      std::vector<std::string> Words = splitWords(M[2]);
      auto &Into = M[1] == "REQUIRES" ? Spec.Requires
                   : M[1] == "FLAGS"  ? Spec.Flags
                                      : Spec.Rules;
      Into.insert(Into.end(), Words.begin(), Words.end());
    }
  }
  if (!File.empty())
    for (std::string &E : Spec.Errors)
      E = File + ": " + E;
  return Spec;
}

void mergeFixture(FixtureSpec &Into, FixtureSpec Other) {
  auto Union = [](std::vector<std::string> &To, std::vector<std::string> &From) {
    for (std::string &S : From)
      if (std::find(To.begin(), To.end(), S) == To.end())
        To.push_back(std::move(S));
  };
  Union(Into.Requires, Other.Requires);
  Union(Into.Flags, Other.Flags);
  Union(Into.Rules, Other.Rules);
  for (std::string &E : Other.Errors)
    Into.Errors.push_back(std::move(E));
  for (auto &KV : Other.Config)
    Into.Config.push_back(std::move(KV));
  for (auto &F : Other.Fixes)
    Into.Fixes.push_back(std::move(F));
  for (Expectation &E : Other.Expected)
    Into.Expected.push_back(std::move(E));
  Into.ChecksNotes |= Other.ChecksNotes;
}

std::vector<std::string>
compareFindings(const FixtureSpec &Spec, const std::string &Path,
                const std::vector<tidy::Finding> &Findings) {
  struct Actual {
    tidy::SourceLocationInfo Loc;
    std::string Level;
    std::string Text;
    bool Matched = false;
  };
  std::vector<Actual> Actuals;
  for (const tidy::Finding &F : Findings) {
    Actuals.push_back({F.Loc,
                       F.Severity == tidy::Finding::Level::Error ? "error"
                                                                 : "warning",
                       F.Message + " [" + F.Check + "]"});
    for (const tidy::FindingNote &N : F.Notes)
      Actuals.push_back({N.Loc, "note", N.Message});
  }
  auto Describe = [](const Actual &A) {
    return A.Loc.File + ":" + std::to_string(A.Loc.Line) + ":" +
           std::to_string(A.Loc.Column) + ": " + A.Level + ": " + A.Text;
  };

  std::vector<std::string> Mismatches = Spec.Errors;
  for (const Expectation &E : Spec.Expected) {
    bool Found = false;
    for (Actual &A : Actuals) {
      if (A.Matched || A.Level != E.Level || A.Loc.Line != E.Line ||
          A.Loc.Column != E.Column)
        continue;
      bool SameFile = E.File.empty() ? A.Loc.File == Path
                                     : baseName(A.Loc.File) == E.File;
      if (!SameFile || A.Text.find(E.Text) == std::string::npos)
        continue;
      A.Matched = Found = true;
      break;
    }
    if (!Found)
      Mismatches.push_back("missing (expected at fixture line " +
                           std::to_string(E.DirectiveLine) + "): " +
                           (E.File.empty() ? baseName(Path) : E.File) + ":" +
                           std::to_string(E.Line) + ":" +
                           std::to_string(E.Column) + ": " + E.Level + ": " +
                           E.Text);
  }
  for (const Actual &A : Actuals)
    if (!A.Matched && (A.Level != "note" || Spec.ChecksNotes))
      Mismatches.push_back("unexpected: " + Describe(A));
  return Mismatches;
}

} // namespace uisan::test
