#include "desist/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>

namespace desist {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw std::runtime_error("cannot write '" + path + "': " + reason);
}

// Created exclusively; removed unless committed.
class TemporaryFile {
 public:
  TemporaryFile(const std::string& path, std::string name) : path_(path), name_(std::move(name)) {
    fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) fail(path_, "cannot create temporary file '" + name_ + "': " + std::strerror(errno));
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(name_.c_str());
  }

  // Writes everything, syncs and closes.
  void write_all(std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        failed("cannot write temporary file");
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    while (::fsync(fd_) != 0)
      if (errno != EINTR) failed("cannot flush temporary file");
    if (::close(std::exchange(fd_, -1)) != 0 && errno != EINTR) failed("cannot close temporary file");
  }

  void rename_to_final() {
    if (std::rename(name_.c_str(), path_.c_str()) != 0) failed("cannot rename temporary file");
    committed_ = true;
  }

 private:
  [[noreturn]] void failed(const std::string& what) const {
    fail(path_, what + " '" + name_ + "': " + std::strerror(errno));
  }
  std::string path_;
  std::string name_;
  int fd_ = -1;
  bool committed_ = false;
};

std::string temporary_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp." + std::to_string(static_cast<long>(::getpid())) + "." + std::to_string(counter++);
}

// Makes the rename durable. Some file systems cannot sync a directory; the
// file is complete under its name either way, so failures are ignored.
void sync_directory(const std::string& name) {
  const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  if (fd < 0) return;
  while (::fsync(fd) != 0 && errno == EINTR) {
  }
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view contents) {
  namespace fs = std::filesystem;
  if (path.empty()) fail(path, "no file name given");
  const fs::path target(path);
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) fail(path, "directory '" + directory.string() + "' does not exist");
  if (fs::is_directory(target, ec)) fail(path, "it is a directory");
  TemporaryFile temporary(path, temporary_name(path));
  temporary.write_all(contents);
  temporary.rename_to_final();
  sync_directory(directory.string());
}

}  // namespace desist
