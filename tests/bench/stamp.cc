// The command both servers run in the benchmark: appends the wall-clock time in nanoseconds
// to the file named by argv[1]. Only libc, so that starting it adds as little as possible to
// the latency being measured (client start -> command start).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

int main(int argc, char** argv) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    if (argc != 2) return 2;
    char line[32];
    int n = std::snprintf(line, sizeof line, "%lld%09ld\n", static_cast<long long>(now.tv_sec), now.tv_nsec);
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return 1;
    bool ok = write(fd, line, static_cast<size_t>(n)) == n;
    close(fd);
    return ok ? 0 : 1;
}
