// The one way CSV files are read: person files (cohort_csv.cpp), `desist fit`'s
// people and spells files (fit.cpp) and predicted-against-actual files
// (prediction.cpp). Tokenising is done here, by libcsv in strict mode (RFC 4180
// quoting), fed one physical line at a time so that every record is tied to the
// line it starts on, even when a quoted field spans several lines. Readers get
// text fields and check their own columns.
//
// Checked here, each failure an InputError naming file, line and column:
//  - the file exists, is not a directory and can be read;
//  - quoting is well formed, and no quoted field is left unterminated (reported
//    at the line its record starts on);
//  - every field, header included, is valid UTF-8;
//  - the first record is the header, its names (trimmed) non-empty and unique;
//  - every later record has as many fields as the header;
//  - there is a header and at least one record after it.
// A UTF-8 byte-order mark at the start is skipped, blank lines between records
// are skipped (but counted), and line breaks may be LF or CRLF.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace desist::csv {

struct Row {
  int line = 0;                     // 1-based line the record starts on
  std::vector<std::string> fields;  // as many as the header has, untrimmed
};

struct Table {
  std::string file;
  int header_line = 0;
  std::vector<std::string> names;  // header, trimmed
  std::vector<Row> rows;

  // Position of the column, or -1.
  int find(const std::string& name) const;
  // Position of the column; otherwise throws InputError at the header naming
  // the nearest column. `role` says what it is for, e.g. "the time column (--time)".
  std::size_t require(const std::string& name, const std::string& role) const;
};

// How a reader's files are named in messages, and what they may hold.
struct Options {
  std::string what = "file";  // the file in messages: "person file"
  std::string row;            // what one record is, if anything: "person", giving "no person records: ..."
  bool comments = false;      // lines whose first non-blank character is '#', between records, are skipped
};

// Reads the whole file into a table.
Table read_table(const std::string& path, const Options& options);
Table read_table(const std::string& path, const std::string& what);

// Reads the file record by record, for readers that check as they go and need
// not hold every row: calls on_header once with the header (a Table without
// rows, valid until read_table returns), then on_row for each later record in
// file order as soon as it is read, so an error in an early record is reported
// before a malformed later one. What the callbacks throw passes through.
void read_table(const std::string& path, const Options& options,
                const std::function<void(const Table& header)>& on_header,
                const std::function<void(Row&& row)>& on_row);

// The text without surrounding blanks and line breaks (space, tab, CR, LF).
std::string_view trim(std::string_view s);

}  // namespace desist::csv
