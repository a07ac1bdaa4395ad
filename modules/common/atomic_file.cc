// Durable writes: see atomic_file.h.
#include "modules/common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace ruroco {

namespace {

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const char* data, size_t size) {
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

std::string parent_directory(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

Status write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
    std::string temp = path + ".tmp.XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');
    int fd = mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) return make_error("cannot create a temporary file beside " + path + ": " + errno_text());
    std::string temp_path(name.data());
    bool ok = fchmod(fd, mode) == 0 && write_all(fd, content.data(), content.size()) &&
              fsync(fd) == 0;
    std::string why = ok ? "" : errno_text();
    if (close(fd) != 0 && ok) {
        ok = false;
        why = errno_text();
    }
    if (!ok) {
        unlink(temp_path.c_str());
        return make_error("cannot write " + temp_path + ": " + why);
    }
    if (rename(temp_path.c_str(), path.c_str()) != 0) {
        why = errno_text();
        unlink(temp_path.c_str());
        return make_error("cannot rename " + temp_path + " to " + path + ": " + why);
    }
    std::string dir = parent_directory(path);
    int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return make_error("cannot open directory " + dir + ": " + errno_text());
    int rc = fsync(dir_fd);
    why = errno_text();
    close(dir_fd);
    if (rc != 0) return make_error("cannot fsync directory " + dir + ": " + why);
    return ok_status();
}

Result<std::string> read_small_file(const std::string& path, std::size_t max_size,
                                    bool missing_ok) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT && missing_ok) return std::string();
        return make_error("cannot open " + path + ": " + errno_text());
    }
    std::string content;
    char buffer[4096];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::string why = errno_text();
            close(fd);
            return make_error("cannot read " + path + ": " + why);
        }
        if (n == 0) break;
        content.append(buffer, static_cast<size_t>(n));
        if (content.size() > max_size) {
            close(fd);
            return make_error(path + " is larger than " + std::to_string(max_size) + " bytes");
        }
    }
    close(fd);
    return content;
}

Status make_directories(const std::string& path, mode_t mode) {
    if (path.empty()) return ok_status();
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        std::string prefix = path.substr(0, pos);
        if (prefix.empty()) continue;
        if (mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
            return make_error("cannot create directory " + prefix + ": " + errno_text());
        }
    }
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return make_error(path + " is not a directory");
    }
    return ok_status();
}

}  // namespace ruroco
