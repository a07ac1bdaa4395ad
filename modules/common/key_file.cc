// Key file loading and creation: see key_file.h.
#include "modules/common/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace ruroco {

namespace {
constexpr size_t kMaxKeyFileSize = 256;  // one line and some white space; anything else is not a key
}

Result<wire::Key> load_key_file(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return make_error("key file " + path + ": " + std::strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        std::string why = std::strerror(errno);
        close(fd);
        return make_error("key file " + path + ": " + why);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return make_error("key file " + path + " is not a regular file");
    }
    if ((st.st_mode & 077) != 0) {
        close(fd);
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return make_error("key file " + path + " has mode " + mode +
                          ": group or others can access it; run: chmod 600 " + path);
    }
    char* text = static_cast<char*>(sodium_malloc(kMaxKeyFileSize + 1));
    if (text == nullptr) {
        close(fd);
        return make_error("key file " + path + ": cannot allocate guarded memory");
    }
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, text + used, kMaxKeyFileSize + 1 - used);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        used += static_cast<size_t>(n);
        if (used > kMaxKeyFileSize) break;
    }
    close(fd);
    Result<wire::Key> key = used > kMaxKeyFileSize
                                ? Result<wire::Key>(make_error("too large to be a ruroco key"))
                                : wire::Key::parse_file_text(std::string_view(text, used));
    sodium_free(text);
    if (!key) return make_error("key file " + path + ": " + key.error());
    return key;
}

Status write_new_key_file(const std::string& path, const wire::Key& key) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return make_error(path + " already exists; not overwriting it");
        return make_error("cannot create " + path + ": " + std::strerror(errno));
    }
    char text[wire::kKeyFileTextSize + 1];
    key.format_file_text(text);
    bool ok = fchmod(fd, 0600) == 0 &&
              write(fd, text, wire::kKeyFileTextSize) == static_cast<ssize_t>(wire::kKeyFileTextSize) &&
              fsync(fd) == 0;
    std::string why = std::strerror(errno);
    sodium_memzero(text, sizeof text);
    close(fd);
    if (!ok) {
        unlink(path.c_str());
        return make_error("cannot write " + path + ": " + why);
    }
    return ok_status();
}

}  // namespace ruroco
