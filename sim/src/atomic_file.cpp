#include "desist/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace desist {

namespace {
std::string system_error(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}
}  // namespace

AtomicOutput::AtomicOutput(std::string path)
    : path_(std::move(path)), temporary_(path_ + ".tmp." + std::to_string(::getpid())) {}

AtomicOutput::~AtomicOutput() {
  if (!committed_) std::remove(temporary_.c_str());
}

void AtomicOutput::commit() {
  const int fd = ::open(temporary_.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(system_error("cannot reopen the temporary output", temporary_));
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::runtime_error(system_error("cannot flush the output to disk", temporary_));
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(system_error("cannot move the output into place as", path_));
  committed_ = true;
  // Make the rename itself durable.
  const std::string dir = std::filesystem::path(path_).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void write_text_atomically(const std::string& path, const std::string& text) {
  AtomicOutput out(path);
  {
    std::ofstream f(out.temporary_path(), std::ios::binary);
    if (!f) throw std::runtime_error(system_error("cannot create the output", out.temporary_path()));
    f << text;
    f.flush();
    if (!f) throw std::runtime_error(system_error("cannot write the output (disk full?)", path));
  }
  out.commit();
}

}  // namespace desist
