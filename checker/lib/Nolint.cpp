//===- Nolint.cpp - NOLINT comments, read the way clang-tidy reads them ---===//

#include "Nolint.h"

#include "llvm/Support/GlobPattern.h"

namespace uisan::tidy {

std::vector<NolintFilter::Directive> NolintFilter::parse(llvm::StringRef Text) {
  std::vector<Directive> Out;
  unsigned Line = 1;
  for (size_t Pos = 0; Pos < Text.size();) {
    size_t Next = Text.find_first_of("\nN", Pos);
    if (Next == llvm::StringRef::npos)
      break;
    if (Text[Next] == '\n') {
      ++Line;
      Pos = Next + 1;
      continue;
    }
    llvm::StringRef Rest = Text.substr(Next);
    if (!Rest.consume_front("NOLINT")) {
      Pos = Next + 1;
      continue;
    }
    Directive D;
    D.Line = Line;
    if (Rest.consume_front("NEXTLINE"))
      D.K = Directive::NextLine;
    else if (Rest.consume_front("BEGIN"))
      D.K = Directive::Begin;
    else if (Rest.consume_front("END"))
      D.K = Directive::End;
    // The check list, on the same line: NOLINT(a,b).
    if (Rest.starts_with("(")) {
      size_t Close = Rest.find(')');
      size_t NewLine = Rest.find('\n');
      if (Close != llvm::StringRef::npos && Close < NewLine) {
        D.Checks = Rest.slice(1, Close).str();
        // NOLINT() names no check, so it covers none: keep it distinct
        // from the bare form.
        if (D.Checks.empty())
          D.Checks = ",";
      }
    }
    Out.push_back(std::move(D));
    Pos = Next + 6;
  }
  return Out;
}

bool NolintFilter::covers(llvm::StringRef Checks, llvm::StringRef Check) {
  if (Checks.empty())
    return true;
  llvm::SmallVector<llvm::StringRef, 4> Items;
  Checks.split(Items, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Item : Items) {
    Item = Item.trim();
    if (Item.empty())
      continue;
    llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(Item);
    if (!P) {
      llvm::consumeError(P.takeError());
      if (Item == Check)
        return true;
      continue;
    }
    if (P->match(Check))
      return true;
  }
  return false;
}

const NolintFilter::Marks &NolintFilter::marks(llvm::StringRef File) {
  auto It = Files.find(File);
  if (It != Files.end())
    return It->second;
  Marks M;
  std::vector<Directive> All = parse(Text(File));
  std::vector<const Directive *> Open;
  for (const Directive &D : All) {
    switch (D.K) {
    case Directive::SameLine:
    case Directive::NextLine:
      M.Lines.push_back(D);
      break;
    case Directive::Begin:
      Open.push_back(&D);
      break;
    case Directive::End:
      // An END closes the latest BEGIN with the same list.
      for (size_t I = Open.size(); I-- > 0;)
        if (Open[I]->Checks == D.Checks) {
          M.Ranges.push_back({Open[I]->Line, D.Line, D.Checks});
          Open.erase(Open.begin() + I);
          break;
        }
      break;
    }
  }
  for (const Directive *D : Open)
    M.Ranges.push_back({D->Line, UINT32_MAX, D->Checks});
  return Files[File] = std::move(M);
}

bool NolintFilter::suppressed(const SourceLocationInfo &Loc,
                              llvm::StringRef Check) {
  if (Loc.File.empty() || Loc.Line == 0)
    return false;
  const Marks &M = marks(Loc.File);
  for (const Directive &D : M.Lines) {
    bool Here = (D.K == Directive::SameLine && D.Line == Loc.Line) ||
                (D.K == Directive::NextLine && D.Line + 1 == Loc.Line);
    if (Here && covers(D.Checks, Check))
      return true;
  }
  for (const Range &R : M.Ranges)
    if (R.First <= Loc.Line && Loc.Line <= R.Last && covers(R.Checks, Check))
      return true;
  return false;
}

} // namespace uisan::tidy
