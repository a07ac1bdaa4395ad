// The network child's seccomp filter: what the loop needs still works, anything else kills.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "modules/server/seccomp_filter.h"

using namespace ruroco;

namespace {

// Runs body in a child that has installed the filter; returns the child's wait status.
template <typename Body>
int run_filtered(Body body) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (!install_network_child_filter()) _exit(100);
        body();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

}  // namespace

TEST_CASE("the filter allows what the receive loop does", "[server][seccomp]") {
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    int status = run_filtered([&] {
        char byte = 'x';
        if (write(pipe_fds[1], &byte, 1) != 1) _exit(2);
        void* p = malloc(1 << 20);  // mmap
        free(p);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
    });
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    char byte = 0;
    CHECK(read(pipe_fds[0], &byte, 1) == 1);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

TEST_CASE("a forbidden system call kills the process with SIGSYS", "[server][seccomp][negative]") {
    SECTION("opening a new socket") {
        int status = run_filtered([] { socket(AF_INET, SOCK_DGRAM, 0); });
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGSYS);
    }
    SECTION("running another program") {
        int status = run_filtered([] {
            char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
            execv("/bin/true", argv);
        });
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGSYS);
    }
    SECTION("making executable memory") {
        int status = run_filtered([] {
            static char page[4096] __attribute__((aligned(4096)));
            mprotect(page, sizeof page, PROT_READ | PROT_EXEC);
        });
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGSYS);
    }
    SECTION("forking") {
        int status = run_filtered([] { syscall(SYS_fork); });
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGSYS);
    }
}
