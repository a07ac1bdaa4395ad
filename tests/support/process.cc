// Test helpers: see process.h.
#include "tests/support/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace ruroco::test {

namespace {

std::vector<char*> make_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

// Runs in the child between fork and exec.
[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    for (const std::string& kv : env) {
        size_t eq = kv.find('=');
        setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
    }
    std::vector<char*> args = make_argv(argv);
    execv(args[0], args.data());
    _exit(127);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int remove_entry(const char* path, const struct stat*, int, struct FTW*) { return ::remove(path); }

}  // namespace

std::string ruroco_bin() {
    const char* bin = std::getenv("RUROCO_BIN");
    if (bin == nullptr) throw std::runtime_error("RUROCO_BIN is not set: run the tests with meson test");
    return bin;
}

std::string test_data(const std::string& name) {
    const char* dir = std::getenv("RUROCO_TEST_DATA");
    if (dir == nullptr) throw std::runtime_error("RUROCO_TEST_DATA is not set: run the tests with meson test");
    return std::string(dir) + "/" + name;
}

RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    TempDir dir;
    std::string out = dir.file("out"), err = dir.file("err");
    pid_t pid = spawn(argv, out, err, env);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path, const std::vector<std::string>& env) {
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        exec_child(argv, env);
    }
    return pid;
}

TempDir::TempDir() {
    char name[] = "/tmp/ruroco-test.XXXXXX";
    if (mkdtemp(name) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
}

TempDir::~TempDir() { nftw(path_.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

void write_text(const std::string& path, const std::string& text, mode_t mode) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
    }
    chmod(path.c_str(), mode);
}

std::string read_text(const std::string& path) { return slurp(path); }

std::vector<std::string> list_directory(const std::string& dir) {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) throw std::runtime_error("cannot list " + dir + ": " + std::strerror(errno));
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

bool wait_until_fn(bool (*pred)(void*), void* arg, int timeout_ms) {
    return wait_until([&] { return pred(arg); }, timeout_ms);
}

}  // namespace ruroco::test
