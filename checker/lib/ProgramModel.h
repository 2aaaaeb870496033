//===- ProgramModel.h - the facts of every TU linked into one program -----===//
//
// The second phase of uisan-tidy. Linking joins the facts of all translation
// units by key: a function is defined once (the first TU that defines it
// wins; inline and template copies are the same code), virtual calls reach
// every override the program declares, and callables flow between slots
// (members, globals, locals, parameters, return values) until nothing
// changes, so that a call through `onProgress` reaches the lambda another
// file assigned to it, and a function that hands its parameter to a spawner
// or a marshaller passes on whatever its callers gave it.
//
// The checks are clients: they ask which functions a call can reach, which
// functions a slot can hold and how each got there (for the notes), and
// turn facts' places into findings' places. Everything is linear in the size
// of the facts, except the slot flow, which is linear in the number of
// (slot, function) pairs it finds.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_CHECKER_PROGRAMMODEL_H
#define UISAN_CHECKER_PROGRAMMODEL_H

#include "Facts.h"
#include "Finding.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>
#include <vector>

namespace uisan::tidy {

/// The linked program.
class ProgramModel {
public:
  using Id = uint32_t; ///< a string of the program (a key, a name)
  static constexpr Id NoId = UINT32_MAX;
  static constexpr uint32_t None = UINT32_MAX;

  /// A function of the program, defined in one TU.
  struct Function {
    const facts::Function *Facts = nullptr;
    uint32_t Tu = 0;
    Id Key = NoId;
  };

  /// How a slot came to hold a function: the flow that stored it, and the
  /// slot it came from (None: the flow's value named the function itself).
  struct Provenance {
    uint32_t Flow = None; ///< index into flows(); None: an override's parameter
    uint32_t From = None; ///< slot index
  };

  /// A flow fact, with the TU it belongs to.
  struct FlowRef {
    const facts::Flow *Facts = nullptr;
    uint32_t Tu = 0;
    uint32_t Slot = None; ///< destination slot index
  };

  /// A slot of the program.
  struct Slot {
    facts::Slot::Kind K = facts::Slot::Kind::Field;
    Id Key = NoId;
    Id Name = NoId;
    Id Function = NoId;
    Id Owner = NoId;
    uint32_t Index = 0;
  };

  /// Links the facts; takes ownership of them.
  explicit ProgramModel(std::vector<facts::TranslationUnit> TUs);
  ProgramModel(const ProgramModel &) = delete;
  ProgramModel &operator=(const ProgramModel &) = delete;

  const std::vector<facts::TranslationUnit> &units() const { return TUs; }
  const std::vector<Function> &functions() const { return Functions; }
  const std::vector<Slot> &slots() const { return Slots; }
  const std::vector<FlowRef> &flows() const { return Flows; }

  /// The program's id of TU `Tu`'s string `S` (NoId for NoStr).
  Id id(uint32_t Tu, facts::Str S) const {
    return S == facts::NoStr ? NoId : Remap[Tu][S];
  }
  llvm::StringRef str(Id I) const {
    return I == NoId ? llvm::StringRef() : Strings[I];
  }
  /// An id for `S` if the program has that string.
  Id lookup(llvm::StringRef S) const;

  /// A function defined under `Key` (the first), or None.
  uint32_t function(Id Key) const {
    auto It = FunctionByKey.find(Key);
    return It == FunctionByKey.end() ? None : It->second.front();
  }
  /// The definitions a call from TU `FromTu` to `Key` can reach: the one in
  /// that TU if it has one, else every one. A database may hold several
  /// programs (tools, tests, examples) that each define a `main` or a
  /// `run`; the same code (one header's inline function) counts once.
  llvm::ArrayRef<uint32_t> definitions(Id Key, uint32_t FromTu) const;
  /// The slot named `Key`, or None.
  uint32_t slot(Id Key) const {
    auto It = SlotByKey.find(Key);
    return It == SlotByKey.end() ? None : It->second;
  }
  /// Every method that overrides `Method`, directly or further down.
  const llvm::SmallVector<Id, 4> &overriders(Id Method) const;

  /// The functions `Slot` may hold, each with how it got there (first
  /// found, so the chain is a shortest one).
  const llvm::DenseMap<Id, Provenance> &holds(uint32_t Slot) const;

  /// Calls `Each(function key, slot or None)` for every function a list of
  /// callable values (of TU `Tu`) can be.
  void forEachFunction(uint32_t Tu, const std::vector<facts::Value> &Values,
                       llvm::function_ref<void(Id Key, uint32_t ViaSlot)> Each) const;

  /// A facts place as a findings place.
  SourceLocationInfo where(uint32_t Tu, const facts::Loc &L) const;

  /// "the lambda" or "'Class::method'", as notes name a function.
  std::string describe(uint32_t FunctionIndex) const;
  /// "'onProgress'", or for a parameter "'f'".
  std::string describeSlot(uint32_t SlotIndex) const;

  /// Notes that say how `Key` got into `Slot`, from the slot back to where
  /// the function was named.
  void provenanceNotes(uint32_t Slot, Id Key,
                       std::vector<FindingNote> &Out) const;

  /// Calls `Each(function, call, through an override)` for every function
  /// a call fact of `Fn` can reach: the definitions of its callee and, for
  /// a virtual call, of every override.
  void forEachCallee(uint32_t Fn,
                     llvm::function_ref<void(uint32_t, const facts::Call &, bool)>
                         Each) const;

  /// True when the function `Key` may let an exception out: it throws
  /// outside a try block, or calls (outside one) a function that may, or a
  /// virtual method with an override that may.
  bool mayThrow(Id Key) const;

  /// Contexts attached to threads (seed model).
  bool isContextHolder(Id SlotKey) const { return ContextHolders.count(SlotKey); }
  bool isContextClass(Id ClassKey) const { return ContextClasses.count(ClassKey); }

private:
  Id intern(llvm::StringRef S);
  void linkFunctions();
  void linkSlots();
  void solveFlows();

  std::vector<facts::TranslationUnit> TUs;
  llvm::StringMap<Id> StringIds;
  std::vector<llvm::StringRef> Strings;
  std::vector<std::vector<Id>> Remap;

  std::vector<Function> Functions;
  llvm::DenseMap<Id, llvm::SmallVector<uint32_t, 1>> FunctionByKey;
  llvm::DenseMap<Id, llvm::SmallVector<Id, 2>> DirectOverriders;
  mutable llvm::DenseMap<Id, llvm::SmallVector<Id, 4>> AllOverriders;

  std::vector<Slot> Slots;
  llvm::DenseMap<Id, uint32_t> SlotByKey;
  std::vector<FlowRef> Flows;
  std::vector<llvm::DenseMap<Id, Provenance>> Holds;

  llvm::DenseSet<Id> ContextHolders;
  llvm::DenseSet<Id> ContextClasses;
  mutable std::optional<llvm::DenseSet<Id>> Throwing; ///< on first use
};

} // namespace uisan::tidy

#endif
