//===- Wildcard.h - the one '*'/'?' pattern matcher of uisan --------------===//
//
// Rule-pack patterns (rules::Glob, read by the checker and by uisan-run),
// the names the audit module matches inside the dynamic loader, and the
// runtime's suppressions are all matched by this one function, so the
// checker and the runtime cannot read a pattern differently.
//
// Hand-written rather than taken from a library because two of its callers
// forbid what libraries do: the audit module runs in the loader's callbacks
// and libuisan on its report path, where nothing may allocate, throw or call
// into libstdc++. So: header-only, plain C++17 on pointer and length, no
// allocation, no exceptions, no library calls, a few hundred bytes of stack.
//
// The bound. A pattern is runs of characters separated by '*'. Each run is
// looked for once, at its leftmost place after the run before it; for '*'
// and '?' patterns that greedy choice is exact (taking a run's first place
// leaves the most text for the rest), so nothing is ever retried. Runs with
// no '?' wildcard are searched with the Two-Way algorithm (Crochemore and
// Perrin, 1991: O(1) space, at most 2 comparisons per text character
// scanned), runs with one with Shift-And (Baeza-Yates and Gonnet, 1992: one
// 64-bit step per text character). Each search stops at the first match and
// the next starts where it ended, and a run anchored at an end of the text
// is compared once, in place. So for a text of n bytes and a pattern of m,
// a match costs O(n + m) steps, plus a 256-byte table cleared per run that
// has a '?'. tests/rules/WildcardTest.cpp counts the steps.
//
// One case is not linear: a run that has a '?' and is longer than 64
// characters. Its first 64 are found with Shift-And and the rest is
// compared at each place they match, O(n * (L - 64)) for a run of L. No
// shipped pattern has a '?' at all, and the suppressions file has no '?'
// wildcard.
//
//===----------------------------------------------------------------------===//
#ifndef UISAN_RULES_WILDCARD_H
#define UISAN_RULES_WILDCARD_H

#include <stddef.h>
#include <stdint.h>

namespace uisan {
namespace wildcard {

/// How a pattern is read; combine with '|'.
enum Flags : unsigned {
  /// The text must start where the pattern does (else anything may precede).
  kAnchorBegin = 1u << 0,
  /// The text must end where the pattern does (else anything may follow).
  kAnchorEnd = 1u << 1,
  /// '?' matches any one byte; without this flag it matches only itself.
  kQuestionMark = 1u << 2,
};

/// Rule-pack patterns (docs/rules.md, "Patterns"): the whole name matches,
/// '*' is any run of characters (including none and "::"), '?' one byte.
constexpr unsigned kGlob = kAnchorBegin | kAnchorEnd | kQuestionMark;

namespace detail {

constexpr size_t kNotFound = static_cast<size_t>(-1);

/// Counts the steps of a match, for the tests that hold it to its bound;
/// the matcher proper uses NoSteps, which compiles to nothing.
struct NoSteps {
  void operator()(size_t) const {}
};

inline bool isWild(unsigned char C, unsigned Flags) {
  return C == '?' && (Flags & kQuestionMark);
}

inline bool hasWild(const unsigned char *R, size_t Len, unsigned Flags) {
  for (size_t I = 0; I < Len; ++I)
    if (isWild(R[I], Flags))
      return true;
  return false;
}

/// Whether run R (with wildcards) matches T[0, Len) exactly.
template <class Steps>
bool runAt(const unsigned char *R, size_t Len, const unsigned char *T,
           unsigned Flags, Steps &Count) {
  for (size_t I = 0; I < Len; ++I) {
    Count(1);
    if (R[I] != T[I] && !isWild(R[I], Flags))
      return false;
  }
  return true;
}

/// The maximal suffix of X[0, M) under the byte order (Reversed: the
/// opposite order). Returns the index just before it (-1: all of X) and,
/// in Period, the period of that suffix.
template <class Steps>
ptrdiff_t maximalSuffix(const unsigned char *X, ptrdiff_t M, bool Reversed,
                        ptrdiff_t &Period, Steps &Count) {
  ptrdiff_t Before = -1, J = 0, K = 1;
  Period = 1;
  while (J + K < M) {
    Count(1);
    unsigned char A = X[J + K], B = X[Before + K];
    if (Reversed ? A > B : A < B) {
      // The candidate suffix stays; everything read so far is one period.
      J += K;
      K = 1;
      Period = J - Before;
    } else if (A == B) {
      if (K != Period) {
        ++K;
      } else {
        J += Period;
        K = 1;
      }
    } else {
      // A larger suffix starts at J.
      Before = J;
      J = Before + 1;
      K = Period = 1;
    }
  }
  return Before;
}

/// The leftmost place of the literal run X[0, M) in Y[From, N), or
/// kNotFound: the Two-Way algorithm. X is split at a critical position
/// Left (the later of the two maximal suffixes); the right part is compared
/// left to right, then the left part right to left. A mismatch in the right
/// part at I shifts by I - Left + 1; a mismatch in the left part shifts by
/// the period (a periodic X, remembering the prefix already known to match)
/// or past the longer part. Every text character is compared at most twice.
template <class Steps>
size_t twoWay(const unsigned char *X, size_t MLen, const unsigned char *Y,
              size_t From, size_t N, Steps &Count) {
  if (MLen == 0)
    return From;
  if (N < From || N - From < MLen)
    return kNotFound;
  const ptrdiff_t M = static_cast<ptrdiff_t>(MLen);
  ptrdiff_t P, Q;
  ptrdiff_t I1 = maximalSuffix(X, M, false, P, Count);
  ptrdiff_t I2 = maximalSuffix(X, M, true, Q, Count);
  ptrdiff_t Left, Per;
  if (I1 > I2) {
    Left = I1;
    Per = P;
  } else {
    Left = I2;
    Per = Q;
  }
  // The period of the right part X(Left, M) is at most its length, so
  // X[Per, Per + Left] lies inside X.
  bool Periodic = true;
  for (ptrdiff_t I = 0; I <= Left; ++I)
    if (X[I] != X[I + Per]) {
      Periodic = false;
      break;
    }
  Count(static_cast<size_t>(Left + 1));

  const ptrdiff_t Last = static_cast<ptrdiff_t>(N) - M; // last start
  ptrdiff_t J = static_cast<ptrdiff_t>(From);
  if (Periodic) {
    ptrdiff_t Memory = -1; // X[0, Memory] is known to match at J
    while (J <= Last) {
      ptrdiff_t I = (Left > Memory ? Left : Memory) + 1;
      while (I < M && (Count(1), X[I] == Y[I + J]))
        ++I;
      if (I >= M) {
        I = Left;
        while (I > Memory && (Count(1), X[I] == Y[I + J]))
          --I;
        if (I <= Memory)
          return static_cast<size_t>(J);
        J += Per;
        Memory = M - Per - 1;
      } else {
        J += I - Left;
        Memory = -1;
      }
    }
  } else {
    Per = (Left + 1 > M - Left - 1 ? Left + 1 : M - Left - 1) + 1;
    while (J <= Last) {
      ptrdiff_t I = Left + 1;
      while (I < M && (Count(1), X[I] == Y[I + J]))
        ++I;
      if (I >= M) {
        I = Left;
        while (I >= 0 && (Count(1), X[I] == Y[I + J]))
          --I;
        if (I < 0)
          return static_cast<size_t>(J);
        J += Per;
      } else {
        J += I - Left;
      }
    }
  }
  return kNotFound;
}

/// The leftmost place of run R[0, Len) with '?' wildcards in T[From, N),
/// or kNotFound: Shift-And over its first 64 characters (bit I of the state
/// is set when R[0, I] matches the text ending here), the rest compared at
/// each place those match. Kept out of line so its tables take stack only
/// when a pattern has a '?'.
template <class Steps>
#if defined(__GNUC__)
__attribute__((noinline))
#endif
size_t shiftAnd(const unsigned char *R, size_t Len, const unsigned char *T,
                size_t From, size_t N, unsigned Flags, Steps &Count) {
  if (N < From || N - From < Len)
    return kNotFound;
  const size_t Head = Len < 64 ? Len : 64;
  // Masks[Slot[c]]: the positions of R's head that byte c may take; slot 0
  // is for bytes that only a '?' takes. 65 masks instead of 256 keep the
  // frame small for the loader's callbacks.
  unsigned char Slot[256] = {};
  uint64_t Masks[65];
  uint64_t Any = 0;
  for (size_t I = 0; I < Head; ++I)
    if (isWild(R[I], Flags))
      Any |= uint64_t(1) << I;
  Masks[0] = Any;
  unsigned Used = 0;
  for (size_t I = 0; I < Head; ++I) {
    if (isWild(R[I], Flags))
      continue;
    if (!Slot[R[I]]) {
      Slot[R[I]] = static_cast<unsigned char>(++Used);
      Masks[Used] = Any;
    }
    Masks[Slot[R[I]]] |= uint64_t(1) << I;
  }
  Count(Len + 256 / 8);
  const uint64_t Done = uint64_t(1) << (Head - 1);
  uint64_t State = 0;
  for (size_t I = From; I < N; ++I) {
    Count(1);
    State = ((State << 1) | 1) & Masks[Slot[T[I]]];
    if (!(State & Done))
      continue;
    size_t Start = I + 1 - Head;
    if (N - Start < Len)
      return kNotFound; // later places leave even less room
    if (runAt(R + Head, Len - Head, T + Start + Head, Flags, Count))
      return Start;
  }
  return kNotFound;
}

/// The leftmost place of run R[0, Len) in T[From, N), or kNotFound.
template <class Steps>
size_t findRun(const unsigned char *R, size_t Len, const unsigned char *T,
               size_t From, size_t N, unsigned Flags, Steps &Count) {
  Count(Len);
  if (hasWild(R, Len, Flags))
    return shiftAnd(R, Len, T, From, N, Flags, Count);
  return twoWay(R, Len, T, From, N, Count);
}

/// match() with a step counter; see the file comment for the bound.
template <class Steps>
bool matchCounted(const char *Pattern, size_t PatternLen, const char *Text,
                  size_t TextLen, unsigned Flags, Steps &Count) {
  const unsigned char *P = reinterpret_cast<const unsigned char *>(Pattern);
  const unsigned char *T = reinterpret_cast<const unsigned char *>(Text);
  const size_t M = PatternLen, N = TextLen;

  // Runs are [Begin, End) stretches of P between '*'s.
  size_t First = 0;
  while (First < M && P[First] != '*')
    ++First;
  Count(First);
  if (First == M) { // no '*': one run, placed by the anchors
    if (M > N)
      return false;
    if ((Flags & kAnchorBegin) && (Flags & kAnchorEnd))
      return M == N && runAt(P, M, T, Flags, Count);
    if (Flags & kAnchorBegin)
      return runAt(P, M, T, Flags, Count);
    if (Flags & kAnchorEnd)
      return runAt(P, M, T + (N - M), Flags, Count);
    return findRun(P, M, T, 0, N, Flags, Count) != kNotFound;
  }
  size_t LastStar = M - 1;
  while (P[LastStar] != '*')
    --LastStar;
  Count(M - LastStar);
  const size_t Tail = M - LastStar - 1; // length of the run after the last '*'

  // What the text must keep for the last run when it is anchored at the
  // end; the runs before it are placed in T[0, Limit).
  const bool EndAnchored = (Flags & kAnchorEnd) != 0;
  if (EndAnchored && Tail > N)
    return false;
  const size_t Limit = EndAnchored ? N - Tail : N;

  size_t At = 0; // where the next run may start
  if (Flags & kAnchorBegin) {
    if (First > Limit || !runAt(P, First, T, Flags, Count))
      return false;
    At = First;
  } else if (First) {
    size_t Found = findRun(P, First, T, 0, Limit, Flags, Count);
    if (Found == kNotFound)
      return false;
    At = Found + First;
  }
  // The runs between the first and the last '*'.
  size_t Begin = First + 1;
  while (Begin <= LastStar) {
    size_t End = Begin;
    while (P[End] != '*')
      ++End;
    Count(End - Begin + 1);
    if (End > Begin) {
      size_t Found = findRun(P + Begin, End - Begin, T, At, Limit, Flags, Count);
      if (Found == kNotFound)
        return false;
      At = Found + (End - Begin);
    }
    Begin = End + 1;
  }
  if (EndAnchored)
    return runAt(P + LastStar + 1, Tail, T + Limit, Flags, Count);
  return Tail == 0 ||
         findRun(P + LastStar + 1, Tail, T, At, N, Flags, Count) != kNotFound;
}

inline size_t length(const char *S) {
  size_t N = 0;
  while (S[N])
    ++N;
  return N;
}

} // namespace detail

/// Whether Text[0, TextLen) matches Pattern[0, PatternLen): '*' matches any
/// run of bytes, '?' one byte (with kQuestionMark), every other byte itself.
inline bool match(const char *Pattern, size_t PatternLen, const char *Text,
                  size_t TextLen, unsigned Flags) {
  detail::NoSteps None;
  return detail::matchCounted(Pattern, PatternLen, Text, TextLen, Flags, None);
}

/// The same on NUL-terminated strings.
inline bool match(const char *Pattern, const char *Text, unsigned Flags) {
  return match(Pattern, detail::length(Pattern), Text, detail::length(Text),
               Flags);
}

} // namespace wildcard
} // namespace uisan

#endif
