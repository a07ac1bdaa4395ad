// Test helpers for running the real binary and for temporary directories.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ruroco::test {

// The built binary (RUROCO_BIN) and test data folder (RUROCO_TEST_DATA).
std::string ruroco_bin();
std::string test_data(const std::string& name);

struct RunResult {
    int exit_code = -1;  // -1: killed by a signal
    std::string out;
    std::string err;
};

// Runs argv (argv[0] is the program path) to completion with stdin from /dev/null.
// env entries "K=V" are added to (or override) the test's environment.
RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

// Starts argv in the background; stdout and stderr go to the given files.
pid_t spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path, const std::vector<std::string>& env = {});

// A fresh directory under /tmp, removed (recursively) when the object dies.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

void write_text(const std::string& path, const std::string& text, mode_t mode = 0600);
std::string read_text(const std::string& path);
// The names in a directory, sorted, without "." and "..": what a test sees was left behind.
std::vector<std::string> list_directory(const std::string& dir);

// Polls pred every 10 ms until it holds or timeout_ms passes; returns whether it held.
template <typename Pred>
bool wait_until(Pred pred, int timeout_ms);
bool wait_until_fn(bool (*pred)(void*), void* arg, int timeout_ms);

}  // namespace ruroco::test

#include <chrono>
#include <thread>

template <typename Pred>
bool ruroco::test::wait_until(Pred pred, int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
}
