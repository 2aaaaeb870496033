// checker_source_fuzzer_prelude.h - every header the seed fixtures include,
// precompiled once and given to each input with -include-pch: clang then
// spends its time on the mutated source instead of re-parsing the standard
// library, and an input whose #include lines were mutated away still sees
// the seed-model API.
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <seed/jt.h>
#include <seed/scriptrunner.h>
#include <seed/st.h>
#include <seed/threading.h>
