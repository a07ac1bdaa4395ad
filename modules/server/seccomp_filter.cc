// The network child's seccomp filter: see seccomp_filter.h. Default action: kill the process.
// libseccomp checks the architecture first (a foreign-arch syscall also kills).
#include "modules/server/seccomp_filter.h"

#include <seccomp.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ruroco {

namespace {

// What the loop in server_loop.cc does, and what it calls underneath (glibc, libstdc++,
// libsodium): poll and receive, read the signalfd, write logs to stderr, send 24-byte messages,
// persist the replay state through the directory fd, allocate, and exit.
constexpr int kAllowed[] = {
    SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(recvmmsg), SCMP_SYS(read), SCMP_SYS(write),
    SCMP_SYS(writev), SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(openat), SCMP_SYS(close),
    SCMP_SYS(fsync), SCMP_SYS(fdatasync), SCMP_SYS(renameat), SCMP_SYS(renameat2),
    SCMP_SYS(unlinkat), SCMP_SYS(newfstatat), SCMP_SYS(fstat), SCMP_SYS(lseek),
    SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(getpid), SCMP_SYS(gettid),
    SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
    SCMP_SYS(futex), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn), SCMP_SYS(signalfd4),
    SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(restart_syscall),
    // Harmless, and queried by the sanitizer runtimes' allocator in the ASan/UBSan build.
    SCMP_SYS(sigaltstack),
};

}  // namespace

Status install_network_child_filter() {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (ctx == nullptr) return make_error("seccomp_init failed");
    int rc = 0;
    for (int syscall : kAllowed) {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, syscall, 0);
        if (rc != 0) break;
    }
    // libsodium's guarded key memory changes page protections when a key is freed; never
    // to executable.
    if (rc == 0) {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
                              SCMP_A2(SCMP_CMP_MASKED_EQ, static_cast<scmp_datum_t>(PROT_EXEC), 0));
    }
    if (rc == 0) rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc != 0) return make_error(std::string("seccomp: ") + std::strerror(-rc));
    return ok_status();
}

}  // namespace ruroco
