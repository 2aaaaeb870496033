// uisan_toolkit_thunk.cpp - the slow path of the audit module's stubs, and
// the hand-over of the audit module's state at start-up.
//
// A stub jumps here (not calls) with %r11 = its AuditStub when the calling
// thread is not the toolkit's UI thread. The thunk saves every register an
// argument can be in (integer, %rax for a varargs call's %al, %xmm0-7),
// calls toolkitCall() with the stack aligned (and the first argument, the
// `this` of a constructor or destructor), restores them and jumps to
// the API, so the API sees exactly the call the application made. Its CFI
// lets the unwinder walk from the report through the thunk into the
// application (the stub itself makes no frame).
#include "uisan_runtime.h"

#include <cstdint>
#include <pthread.h>
#include <unistd.h>

extern "C" __attribute__((visibility("hidden"), used)) void
uisan_toolkit_call(const uisan::AuditStub *stub, uintptr_t call_site, uintptr_t first_arg) {
  uisan::toolkitCall(stub, call_site, first_arg);
}

extern "C" __attribute__((visibility("hidden"))) void uisan_toolkit_slow_path();

asm(R"(
  .text
  .p2align 4
  .globl uisan_toolkit_slow_path
  .hidden uisan_toolkit_slow_path
  .type uisan_toolkit_slow_path, @function
uisan_toolkit_slow_path:
  .cfi_startproc
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  pushq %rdi
  pushq %rsi
  pushq %rdx
  pushq %rcx
  pushq %r8
  pushq %r9
  pushq %rax
  pushq %r11
  subq $128, %rsp
  movaps %xmm0, 0(%rsp)
  movaps %xmm1, 16(%rsp)
  movaps %xmm2, 32(%rsp)
  movaps %xmm3, 48(%rsp)
  movaps %xmm4, 64(%rsp)
  movaps %xmm5, 80(%rsp)
  movaps %xmm6, 96(%rsp)
  movaps %xmm7, 112(%rsp)
  movq %r11, %rdi
  movq 8(%rbp), %rsi
  movq -8(%rbp), %rdx
  call uisan_toolkit_call
  movaps 0(%rsp), %xmm0
  movaps 16(%rsp), %xmm1
  movaps 32(%rsp), %xmm2
  movaps 48(%rsp), %xmm3
  movaps 64(%rsp), %xmm4
  movaps 80(%rsp), %xmm5
  movaps 96(%rsp), %xmm6
  movaps 112(%rsp), %xmm7
  addq $128, %rsp
  popq %r11
  popq %rax
  popq %r9
  popq %r8
  popq %rcx
  popq %rdx
  popq %rsi
  popq %rdi
  popq %rbp
  .cfi_def_cfa %rsp, 8
  jmpq *(%r11)
  .cfi_endproc
  .size uisan_toolkit_slow_path, .-uisan_toolkit_slow_path
)");

namespace uisan {

/// Called from libuisan's constructor, after runtimeInit(): the call goes
/// through the PLT, where the audit module (if loaded) substitutes its own
/// __uisan_audit_attach for the no-op one in uisan_api.cpp.
void attachToolkitChecks() {
  bool on_main = getpid() == gettid();
  uint64_t self = reinterpret_cast<uint64_t>(pthread_self());
  AuditShared *shared = __uisan_audit_attach(reinterpret_cast<void *>(&uisan_toolkit_slow_path),
                                             on_main ? self : 0);
  toolkitsAttached(shared, on_main);
}

} // namespace uisan
