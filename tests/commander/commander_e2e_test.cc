// The real binary: `ruroco commander --check` on good and bad files, and separate-services
// mode: the commander listens on its socket, runs what it is sent, and a second instance
// refuses to start without touching the first one's socket.
#include <grp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "tests/support/process.h"
#include "wire/commander_message.h"
#include "wire/hash.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// -1 when nothing listens there.
int connect_seqpacket(const std::string& path) {
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool send_command(int fd, const std::string& name, const std::string& ip) {
    wire::CommanderMessageBytes bytes =
        wire::encode_commander_message({wire::command_hash(name), *wire::Ip::parse(ip)});
    return send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Files {
    TempDir dir;
    std::string server = dir.file("server.ini");
    std::string commands = dir.file("commands.ini");
    std::string socket = dir.file("commander.sock");
    void write(const std::string& commands_text, const std::string& extra = "") {
        write_text(server, "[commander]\ncommands = " + commands + "\nsocket = " + socket + "\njournal_dir = " +
                               dir.file("journal") + "\n" + extra,
                   0644);
        write_text(commands, commands_text, 0600);
    }
};

}  // namespace

TEST_CASE("e2e: ruroco commander --check accepts good files") {
    Files f;
    f.write("[a]\nstart = true\n");
    RunResult r = run({ruroco_bin(), "commander", "-c", f.server, "--check"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "ok\n");
}

TEST_CASE("e2e: ruroco commander --check lists every problem of both files with file:line") {
    Files f;
    f.write("[a]\nstart = true\nstrat = x\n[b]\nstop = y\n", "max_running = 0\n");
    RunResult r = run({ruroco_bin(), "commander", "-c", f.server, "--check"});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(f.server + ":5: max_running = 0") != std::string::npos);
    CHECK(r.err.find(f.commands + ":3: unknown key 'strat' in [a]") != std::string::npos);
    CHECK(r.err.find(f.commands + ":4: [b] has no start command") != std::string::npos);
    CHECK(r.err.find(f.commands + ":5: [b] sets stop but not stop_after") != std::string::npos);
}

TEST_CASE("e2e: --check refuses a group-writable commands.ini and an unknown socket_group") {
    Files f;
    f.write("[a]\nstart = true\n", "socket_group = no-such-group-ruroco\n");
    chmod(f.commands.c_str(), 0660);
    RunResult r = run({ruroco_bin(), "commander", "-c", f.server, "--check"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(f.commands + ": mode 0660 lets group or others write it") != std::string::npos);
    CHECK(r.err.find("socket_group = no-such-group-ruroco: no such group") != std::string::npos);
}

TEST_CASE("e2e: a bad option is one line and exit 2") {
    RunResult r = run({ruroco_bin(), "commander", "--frobnicate"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("frobnicate") != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);
}

TEST_CASE("e2e: separate-services mode: the commander runs what its socket receives; one instance only") {
    Files f;
    f.write("[mark]\nstart = printf '%s' \"$RUROCO_IP\" > " + f.dir.file("mark.tmp") + " && mv " +
            f.dir.file("mark.tmp") + " " + f.dir.file("mark-$RUROCO_IP") + "\n");
    // A stale socket file from a commander that died is replaced.
    {
        int stale = socket(AF_UNIX, SOCK_SEQPACKET, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, f.socket.c_str(), sizeof addr.sun_path - 1);
        REQUIRE(bind(stale, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
        close(stale);
    }
    const std::vector<std::string> env = {"RUROCO_COMMANDER_ALLOW_NONROOT=1"};
    pid_t first =
        spawn({ruroco_bin(), "commander", "-c", f.server}, f.dir.file("out1"), f.dir.file("err1"), env);
    int fd = -1;
    REQUIRE(wait_until([&] { return (fd = connect_seqpacket(f.socket)) >= 0; }, 5000));
    struct stat st;
    REQUIRE(stat(f.socket.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    REQUIRE(send_command(fd, "mark", "192.0.2.9"));
    CHECK(wait_until([&] { return exists(f.dir.file("mark-192.0.2.9")); }, 5000));

    RunResult second = run({ruroco_bin(), "commander", "-c", f.server}, env);
    CHECK(second.exit_code == 1);
    CHECK(second.err.find("another ruroco-commander holds " + f.socket + ".lock") != std::string::npos);

    // The first one's socket is untouched and still serves.
    REQUIRE(send_command(fd, "mark", "2001:db8::9"));
    CHECK(wait_until([&] { return exists(f.dir.file("mark-2001:db8::9")); }, 5000));
    int again = connect_seqpacket(f.socket);
    CHECK(again >= 0);
    if (again >= 0) close(again);
    close(fd);

    kill(first, SIGTERM);
    CHECK(wait_exit(first) == 0);
    CHECK_FALSE(exists(f.socket));
    std::string log = read_text(f.dir.file("err1"));
    INFO(log);
    CHECK(log.find("command mark (ip 192.0.2.9): exited with status 0") != std::string::npos);
}

TEST_CASE("e2e: separate-services mode refuses to run unprivileged without the test override") {
    if (geteuid() != 0) {
        RunResult r =
            run({ruroco_bin(), "commander", "-c", "/dev/null"}, {"RUROCO_COMMANDER_ALLOW_NONROOT="});
        // Not root: refused before anything else is touched.
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("must run as root") != std::string::npos);
        return;
    }
    Files f;
    f.write("[a]\nstart = true\n");
    chmod(f.dir.path().c_str(), 0755);
    std::string err = f.dir.file("err");
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        FILE* out = std::freopen(err.c_str(), "w", stderr);
        if (out == nullptr || setgid(65534) != 0 || setuid(65534) != 0) _exit(99);
        unsetenv("RUROCO_COMMANDER_ALLOW_NONROOT");
        std::string bin = ruroco_bin();
        execl(bin.c_str(), bin.c_str(), "commander", "-c", f.server.c_str(), static_cast<char*>(nullptr));
        _exit(98);
    }
    CHECK(wait_exit(pid) == 1);
    std::string text = read_text(err);
    CHECK(text.find("must run as root") != std::string::npos);
    CHECK_FALSE(exists(f.socket));
}

TEST_CASE("e2e: with socket_group the socket is 0660 and belongs to that group; an unknown group is exit 2") {
    group* own = getgrgid(getegid());
    REQUIRE(own != nullptr);
    std::string group_name = own->gr_name;
    gid_t gid = own->gr_gid;
    const std::vector<std::string> env = {"RUROCO_COMMANDER_ALLOW_NONROOT=1"};

    Files f;
    f.write("[a]\nstart = true\n", "socket_group = " + group_name + "\n");
    pid_t pid = spawn({ruroco_bin(), "commander", "-c", f.server}, f.dir.file("out"), f.dir.file("err"), env);
    int fd = -1;
    REQUIRE(wait_until([&] { return (fd = connect_seqpacket(f.socket)) >= 0; }, 5000));
    close(fd);
    struct stat st;
    REQUIRE(stat(f.socket.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0660);
    CHECK(st.st_gid == gid);
    kill(pid, SIGTERM);
    CHECK(wait_exit(pid) == 0);

    f.write("[a]\nstart = true\n", "socket_group = no-such-group-ruroco\n");
    RunResult r = run({ruroco_bin(), "commander", "-c", f.server}, env);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("socket_group = no-such-group-ruroco: no such group") != std::string::npos);
    CHECK_FALSE(exists(f.socket));
}
