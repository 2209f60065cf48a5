#include "input_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace desist {

std::string read_text_file(const std::string& path, const std::string& what, const SourceLocation& from) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) throw InputError(from, "cannot open the " + what + " '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string relative_to(const std::string& file, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(file).parent_path() / p).lexically_normal().string();
}

void read_set(const YamlNode& n, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [key, value] : n.entries()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (value.is_map()) {
      read_set(value, path, out);
    } else if (value.is_scalar()) {
      out.push_back(path + "=" + value.text());
    } else {
      std::string list;
      for (const YamlNode& item : value.items()) {
        if (!item.is_scalar()) throw item.error("give a single value (a number or a word) in a list");
        list += (list.empty() ? "" : ", ") + item.text();
      }
      out.push_back(path + "=[" + list + "]");
    }
  }
}

}  // namespace desist
