// One server under benchmark (ruroco or fwknopd): how to start it, the junk of each rejection
// kind it is fed, the client command that knocks on it, and where its command leaves its stamp.
// Both are set up to do the same job: a knock from 127.0.0.1 runs `stamp FILE`.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/bench/blaster.h"

namespace ruroco::bench {

enum class JunkKind {
    wrong_size,  // rejected before any crypto: ruroco, 93 bytes; fwknopd, bytes that are not base64
    random,      // right size and shape, random content
    forged,      // looks like this server's packet, but the authentication fails
    replay,      // a packet the server accepted once, sent again
    stale,       // authentic, but its timestamp is an hour old
};

const char* junk_kind_label(JunkKind kind);

class Contender {
  public:
    virtual ~Contender() = default;
    virtual std::string name() const = 0;
    // Starts the server with empty replay state, and returns once it is ready for datagrams.
    // Every measurement starts its own server, so none inherits state from another.
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual pid_t root_pid() = 0;
    // How many processes the server is when idle (ruroco: commander and network child).
    virtual std::size_t idle_processes() const = 0;
    virtual std::uint16_t port() const = 0;
    // `distinct` datagrams of that kind (replay: always the one accepted packet, which this
    // sends once and returns after its command ran).
    virtual std::vector<Datagram> junk(JunkKind kind, std::size_t distinct) = 0;
    // How many datagrams the server itself says it has rejected so far for that kind's
    // reason (ruroco: its counter; fwknopd: its log lines), or nothing where it does not say.
    virtual std::optional<std::uint64_t> rejected_by_own_account(JunkKind kind) = 0;
    // `count` accepted knocks made in advance, each sent once the one before has run its
    // command (see knock_one_at_a_time).
    virtual void accept_knocks(std::size_t count) = 0;
    // argv of one client run that knocks from 127.0.0.1.
    virtual std::vector<std::string> knock_argv() const = 0;
    virtual std::vector<std::string> knock_env() const = 0;
    virtual std::string stamp_file() const = 0;
    virtual std::string server_binary() const = 0;
    // Shared libraries of the server's own project that its binary needs (fwknopd: libfko).
    virtual std::vector<std::string> own_libraries() const = 0;
};

// `stamp FILE` (stamp.cc): appends the wall-clock time in nanoseconds to FILE. Both servers
// run it as their command, so the latency measured is client start -> command start.
std::string stamp_command(const std::string& stamp_binary, const std::string& file);

// Sends each knock from 127.0.0.1 once the one before it has run its command (its stamp
// appeared), as knocks come in life: one at a time, never a burst. Throws, naming `who`, if a
// knock runs nothing within 10 s.
void knock_one_at_a_time(const std::string& who, const std::vector<Datagram>& knocks, std::uint16_t port,
                         const std::string& stamp_file);

}  // namespace ruroco::bench
