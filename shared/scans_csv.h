#pragma once
// The scans file (docs/formats.md, "Scans file"): a header
// `id,kiosk,seq,badge,room,door,direction,at[,source]`, then one scan a row;
// fields quoted as RFC 4180 says where they hold a comma, quote or newline;
// `at` is ISO-8601 UTC. Read row by row with a bounded buffer, so a file of
// millions of scans is never held whole.
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/scan.h"

namespace cmetrack {

constexpr std::string_view scans_csv_header = "id,kiosk,seq,badge,room,door,direction,at,source";

class scans_csv_reader {
 public:
  // Opens the file and checks its header.
  static result<scans_csv_reader> open(const std::string& path);

  // The next scan into `out`: true, false at the end of the file, or an
  // error naming the file, line and column at fault.
  result<bool> next(scan_record& out);

  std::size_t line() const { return line_; }

 private:
  struct file_close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  scans_csv_reader(std::string path, std::FILE* f) : path_(std::move(path)), file_(f) {}
  // Reads one record (which may span lines inside quotes) into fields_.
  result<bool> read_fields();
  std::unexpected<error> fault(std::string_view column, std::string_view what) const;

  std::string path_;
  std::unique_ptr<std::FILE, file_close> file_;
  std::vector<std::string> fields_;
  std::size_t columns_ = 0;  // 8, or 9 with source
  std::size_t line_ = 0;     // line of the record last read
  std::size_t next_line_ = 1;
  // getline()'s buffer, reused from row to row.
  struct line_buffer {
    char* data = nullptr;
    std::size_t capacity = 0;
    line_buffer() = default;
    line_buffer(line_buffer&& o) noexcept : data(std::exchange(o.data, nullptr)), capacity(std::exchange(o.capacity, 0)) {}
    line_buffer& operator=(line_buffer&&) = delete;
    ~line_buffer() { std::free(data); }
  } buffer_;
};

// Writes scans in the contract's form, header first.
class scans_csv_writer {
 public:
  explicit scans_csv_writer(std::FILE* out);
  void write(const scan_record& s);

 private:
  void field(std::string_view text);
  std::FILE* out_;
};

}  // namespace cmetrack
