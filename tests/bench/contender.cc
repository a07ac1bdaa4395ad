// Shared by both contenders: see contender.h.
#include "tests/bench/contender.h"

#include <sys/stat.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace ruroco::bench {

const char* junk_kind_label(JunkKind kind) {
    switch (kind) {
        case JunkKind::wrong_size: return "wrong size (fwknopd: not base64)";
        case JunkKind::random: return "random bytes, right size";
        case JunkKind::forged: return "forged (authentication fails)";
        case JunkKind::replay: return "replay of an accepted packet";
        case JunkKind::stale: return "authentic but an hour old";
    }
    return "?";
}

std::string stamp_command(const std::string& stamp_binary, const std::string& file) {
    return stamp_binary + " " + file;
}

namespace {

long file_size(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? static_cast<long>(st.st_size) : 0;
}

}  // namespace

void knock_one_at_a_time(const std::string& who, const std::vector<Datagram>& knocks, std::uint16_t port,
                         const std::string& stamp_file) {
    for (std::size_t i = 0; i < knocks.size(); ++i) {
        long before = file_size(stamp_file);
        send_one(knocks[i], port);
        // The stamp is a few milliseconds away: a fine poll keeps thousands of knocks quick.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (file_size(stamp_file) == before) {
            if (std::chrono::steady_clock::now() > deadline) {
                throw std::runtime_error(who + " ran no command for knock " + std::to_string(i + 1) + " of " +
                                         std::to_string(knocks.size()));
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }
}

}  // namespace ruroco::bench
