// Durable writes: see atomic_file.h.
#include "modules/common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
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

namespace {

struct TempFile {
    int fd;
    std::string path;
};

// A new temporary file beside `path` holding `content` with `mode`, written but not synced.
Result<TempFile> write_temp_beside(const std::string& path, std::string_view content, mode_t mode) {
    std::string temp = path + ".tmp.XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');
    int fd = mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) return make_error("cannot create a temporary file beside " + path + ": " + errno_text());
    TempFile t{fd, std::string(name.data())};
    if (fchmod(fd, mode) != 0 || !write_all(fd, content.data(), content.size())) {
        std::string why = errno_text();
        close(fd);
        unlink(t.path.c_str());
        return make_error("cannot write " + t.path + ": " + why);
    }
    return t;
}

Status rename_over(const TempFile& t, const std::string& path) {
    if (rename(t.path.c_str(), path.c_str()) == 0) return ok_status();
    std::string why = errno_text();
    unlink(t.path.c_str());
    return make_error("cannot rename " + t.path + " to " + path + ": " + why);
}

Result<int> open_directory(const std::string& dir) {
    int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return make_error("cannot open directory " + dir + ": " + errno_text());
    return fd;
}

Status fsync_fd(int fd, const std::string& what) {
    if (fsync(fd) == 0) return ok_status();
    return make_error("cannot fsync " + what + ": " + errno_text());
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
    Result<TempFile> temp = write_temp_beside(path, content, mode);
    if (!temp) return make_error(temp.error());
    // The data is on disk before the name points at it: after a crash the target is whole.
    Status synced = fsync_fd(temp->fd, temp->path);
    if (close(temp->fd) != 0 && synced) synced = make_error("cannot write " + temp->path + ": " + errno_text());
    if (!synced) {
        unlink(temp->path.c_str());
        return synced;
    }
    Status renamed = rename_over(*temp, path);
    if (!renamed) return renamed;
    std::string dir = parent_directory(path);
    Result<int> dir_fd = open_directory(dir);
    if (!dir_fd) return make_error(dir_fd.error());
    Status dir_synced = fsync_fd(*dir_fd, "directory " + dir);
    close(*dir_fd);
    return dir_synced;
}

PendingSync::PendingSync(int file_fd, int dir_fd, std::string path)
    : file_fd_(file_fd), dir_fd_(dir_fd), path_(std::move(path)) {}

PendingSync::PendingSync(PendingSync&& other) noexcept
    : file_fd_(other.file_fd_), dir_fd_(other.dir_fd_), path_(std::move(other.path_)) {
    other.file_fd_ = -1;
    other.dir_fd_ = -1;
}

PendingSync::~PendingSync() {
    if (file_fd_ >= 0) close(file_fd_);
    if (dir_fd_ >= 0) close(dir_fd_);
}

Status PendingSync::sync() {
    Status file = fsync_fd(file_fd_, path_);
    if (!file) return file;
    return fsync_fd(dir_fd_, "directory " + parent_directory(path_));
}

Result<PendingSync> replace_file(const std::string& path, std::string_view content, mode_t mode) {
    Result<int> dir_fd = open_directory(parent_directory(path));
    if (!dir_fd) return make_error(dir_fd.error());
    Result<TempFile> temp = write_temp_beside(path, content, mode);
    if (!temp) {
        close(*dir_fd);
        return make_error(temp.error());
    }
    Status renamed = rename_over(*temp, path);
    if (!renamed) {
        close(temp->fd);
        close(*dir_fd);
        return make_error(renamed.error());
    }
    return PendingSync(temp->fd, *dir_fd, path);
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
