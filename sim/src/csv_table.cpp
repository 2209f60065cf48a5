// Reading a CSV file into a table of text (see csv_table.hpp).
//
// libcsv's callbacks only collect fields; all checking happens outside them,
// in C++, so no exception ever crosses the C library.
#include "csv_table.hpp"

#include <csv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <system_error>
#include <utility>

#include "desist/error.hpp"
#include "desist/names.hpp"

namespace desist::csv {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEC) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;
    } else if (c >= 0xEE && c <= 0xEF) {
      len = 3;
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const auto ck = static_cast<unsigned char>(s[i + k]);
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

// What the libcsv callbacks collect. They must not throw (they are called from C).
struct Tokens {
  std::vector<std::string> fields;                             // of the record being read
  std::vector<std::pair<int, std::vector<std::string>>> rows;  // finished: (first line, fields)
  int line = 1;                                                // physical line being fed
  int row_start = 0;                                           // line the record starts on; 0 before it starts
  bool out_of_memory = false;
};

void collect_field(void* s, std::size_t n, void* data) noexcept {
  auto* t = static_cast<Tokens*>(data);
  try {
    if (s == nullptr) {
      t->fields.emplace_back();
    } else {
      t->fields.emplace_back(static_cast<const char*>(s), n);
    }
  } catch (...) {
    t->out_of_memory = true;
  }
}

void collect_row(int /*terminator*/, void* data) noexcept {
  auto* t = static_cast<Tokens*>(data);
  try {
    t->rows.emplace_back(t->row_start > 0 ? t->row_start : t->line, std::move(t->fields));
  } catch (...) {
    t->out_of_memory = true;
  }
  t->fields.clear();
  t->row_start = 0;
}

struct ParserGuard {
  csv_parser* parser;
  ~ParserGuard() { csv_free(parser); }
};

// Fills in the header from the first record.
void read_header(Table& header, int line, const std::vector<std::string>& fields) {
  header.header_line = line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const int col = static_cast<int>(i) + 1;
    if (!valid_utf8(fields[i]))
      throw InputError(SourceLocation{header.file, line, col, ""},
                       "the column name contains bytes that are not valid UTF-8 (save the file as UTF-8; "
                       "Latin-1 or Windows-1252 text is not read)");
    std::string name(trim(fields[i]));
    if (name.empty())
      throw InputError(SourceLocation{header.file, line, col, ""},
                       "empty column name in the header row (every column needs a name)");
    const int previous = header.find(name);
    if (previous >= 0)
      throw InputError(SourceLocation{header.file, line, col, name},
                       "duplicate column '" + name + "' (also column " + std::to_string(previous + 1) + ")");
    header.names.push_back(std::move(name));
  }
}

// Checks a record after the header: as many fields, each valid UTF-8.
void check_record(const Table& header, int line, const std::vector<std::string>& fields) {
  const std::size_t n = header.names.size();
  if (fields.size() != n) {
    const int column = fields.size() > n ? static_cast<int>(n) + 1 : 0;
    throw InputError(SourceLocation{header.file, line, column, ""},
                     "expected " + std::to_string(n) + " fields, as in the header row (line " +
                         std::to_string(header.header_line) + "), got " + std::to_string(fields.size()));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!valid_utf8(fields[i]))
      throw InputError(SourceLocation{header.file, line, static_cast<int>(i) + 1, header.names[i]},
                       "the value contains bytes that are not valid UTF-8 (save the file as UTF-8; "
                       "Latin-1 or Windows-1252 text is not read)");
  }
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

int Table::find(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::size_t Table::require(const std::string& name, const std::string& role) const {
  const int pos = find(name);
  if (pos >= 0) return static_cast<std::size_t>(pos);
  std::string header;
  for (const auto& n : names) header += (header.empty() ? "" : ", ") + n;
  throw InputError(SourceLocation{file, header_line, 0, name},
                   "no column '" + name + "' for " + role + "; " + suggestion(name, names) +
                       " (the header has: " + header + ")");
}

void read_table(const std::string& path, const Options& options,
                const std::function<void(const Table& header)>& on_header,
                const std::function<void(Row&& row)>& on_row) {
  const std::string& what = options.what;
  const auto file_error = [&](const std::string& message) {
    return InputError(SourceLocation{path, 0, 0, ""}, message);
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw file_error("cannot open the " + what + ": no such file");
  if (std::filesystem::is_directory(status)) throw file_error("cannot read the " + what + ": it is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw file_error("cannot open the " + what + (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  }

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
  const ParserGuard guard{&parser};

  Table header;
  header.file = path;
  bool have_header = false;
  bool have_rows = false;
  Tokens tokens;

  const auto drain = [&] {
    if (tokens.out_of_memory) throw std::bad_alloc();
    for (auto& [line, fields] : tokens.rows) {
      if (!have_header) {
        read_header(header, line, fields);
        have_header = true;
        on_header(header);
      } else {
        check_record(header, line, fields);
        have_rows = true;
        on_row(Row{line, std::move(fields)});
      }
    }
    tokens.rows.clear();
  };
  const auto malformed = [&](int line, const std::string& message) {
    const std::size_t col = tokens.fields.size();
    throw InputError(SourceLocation{path, line, static_cast<int>(col) + 1,
                                    col < header.names.size() ? header.names[col] : std::string()},
                     message +
                         " (a field containing a comma, quote or line break must be enclosed in double quotes, "
                         "with each quote inside it written twice)");
  };
  // One physical line, with its line break; a line longer than a block comes in pieces.
  bool in_comment = false;
  const auto feed = [&](const char* s, std::size_t n) {
    const bool line_ends = s[n - 1] == '\n';
    if (in_comment) {
      in_comment = !line_ends;
      return;
    }
    if (tokens.row_start == 0) {  // between records; libcsv itself skips blank lines
      const char* const first = std::find_if_not(s, s + n, blank);
      if (first != s + n) {
        if (options.comments && *first == '#' && tokens.fields.empty()) {
          in_comment = !line_ends;
          return;
        }
        tokens.row_start = tokens.line;
      }
    }
    const std::size_t used = csv_parse(&parser, s, n, collect_field, collect_row, &tokens);
    drain();
    if (used != n) {
      if (csv_error(&parser) != CSV_EPARSE) throw std::bad_alloc();
      malformed(tokens.line, "malformed quoting");
    }
  };

  std::vector<char> block(std::size_t{1} << 16);
  bool first_block = true;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    const char* b = block.data();
    const char* const e = b + got;
    if (first_block) {
      first_block = false;
      if (got >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) b += 3;  // UTF-8 byte-order mark
      // UTF-16 (Excel's "Unicode text"): a byte-order mark, or NUL bytes in ASCII text.
      if ((got >= 2 && (std::memcmp(b, "\xFF\xFE", 2) == 0 || std::memcmp(b, "\xFE\xFF", 2) == 0)) ||
          std::memchr(b, '\0', static_cast<std::size_t>(e - b)) != nullptr)
        throw InputError(SourceLocation{path, 1, 0, ""},
                         "the " + what + " is UTF-16 (or holds NUL bytes): save it as UTF-8 (\"CSV UTF-8\")");
    }
    while (b < e) {
      const auto* nl = static_cast<const char*>(std::memchr(b, '\n', static_cast<std::size_t>(e - b)));
      const char* const stop = nl != nullptr ? nl + 1 : e;
      feed(b, static_cast<std::size_t>(stop - b));
      if (nl != nullptr) ++tokens.line;
      b = stop;
    }
  }
  if (in.bad()) throw file_error("error while reading the " + what);
  const int unfinished_line = tokens.row_start > 0 ? tokens.row_start : tokens.line;
  const int rc = csv_fini(&parser, collect_field, collect_row, &tokens);
  drain();
  if (rc != 0) malformed(unfinished_line, "unterminated quoted field");

  if (!have_header)
    throw InputError(SourceLocation{path, 1, 0, ""},
                     "the " + what + " is empty: expected a header row naming the columns" +
                         (options.row.empty() ? std::string() : ", then one row per " + options.row));
  if (!have_rows)
    throw InputError(SourceLocation{path, header.header_line, 0, ""},
                     (options.row.empty() ? std::string() : "no " + options.row + " records: ") + "the " + what +
                         " has a header row but no rows after it");
}

Table read_table(const std::string& path, const Options& options) {
  Table table;
  read_table(
      path, options, [&](const Table& header) { table = header; },
      [&](Row&& row) { table.rows.push_back(std::move(row)); });
  return table;
}

Table read_table(const std::string& path, const std::string& what) {
  return read_table(path, Options{what, "", false});
}

}  // namespace desist::csv
