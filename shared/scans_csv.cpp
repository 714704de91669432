#include "shared/scans_csv.h"

#include "shared/bounds.h"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace cmetrack {
namespace {

constexpr std::array<std::string_view, 9> columns = {"id", "kiosk", "seq", "badge", "room",
                                                     "door", "direction", "at", "source"};
constexpr std::string_view required_columns = scans_csv_header.substr(0, scans_csv_header.rfind(','));

}  // namespace

result<scans_csv_reader> scans_csv_reader::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return bad_input(fmt::format("{}: cannot read the scans file: {}", path, std::strerror(errno)));
  scans_csv_reader r(path, f);
  auto got = r.read_fields();
  if (!got) return std::unexpected(got.error());
  if (!*got)
    return bad_input(fmt::format("{}: the file is empty; it must start with the header \"{}\"", path, required_columns));
  auto& header = r.fields_;
  if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);  // a UTF-8 byte-order mark
  bool ok = header.size() == 8 || header.size() == 9;
  for (std::size_t i = 0; ok && i < header.size(); ++i) ok = header[i] == columns[i];
  if (!ok) {
    std::string got_header;
    for (const auto& h : header) got_header += (got_header.empty() ? "" : ",") + h;
    return bad_input(fmt::format("{}:1: wrong header \"{}\"; a scans file starts with \"{}\" (source optional)", path,
                                 got_header, scans_csv_header));
  }
  r.columns_ = header.size();
  return r;
}

result<bool> scans_csv_reader::read_fields() {
  fields_.clear();
  line_ = next_line_;
  std::string field;
  bool quoted = false, in_quotes = false, any = false;
  std::size_t quoted_field = 0;  // where an open quote began, for the message
  for (;;) {
    const ssize_t n = ::getline(&buffer_.data, &buffer_.capacity, file_.get());
    if (n < 0) {
      if (std::ferror(file_.get()))
        return failure(fmt::format("{}:{}: read error: {}", path_, next_line_, std::strerror(errno)));
      if (in_quotes)
        return fault(columns[std::min(quoted_field, columns.size() - 1)],
                     "a quoted field is not closed before the end of the file");
      if (!any) return false;
      fields_.push_back(std::move(field));
      return true;
    }
    ++next_line_;
    any = true;
    std::string_view text(buffer_.data, static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            ++i;
          } else {
            in_quotes = false;
          }
        } else {
          field += c;
        }
      } else if (c == '"' && field.empty() && !quoted) {
        in_quotes = quoted = true;
        quoted_field = fields_.size();
      } else if (c == ',') {
        fields_.push_back(std::move(field));
        field.clear();
        quoted = false;
      } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
        fields_.push_back(std::move(field));
        return true;
      } else if (quoted) {
        return fault(columns[std::min(fields_.size(), columns.size() - 1)],
                     "text after the closing quote of a quoted field");
      } else {
        field += c;
      }
    }
    if (!in_quotes) {  // the last line, without a newline
      fields_.push_back(std::move(field));
      return true;
    }
  }
}

std::unexpected<error> scans_csv_reader::fault(std::string_view column, std::string_view what) const {
  if (column.empty()) return bad_input(fmt::format("{}:{}: {}", path_, line_, what));
  return bad_input(fmt::format("{}:{}: field \"{}\": {}", path_, line_, column, what));
}

result<bool> scans_csv_reader::next(scan_record& out) {
  for (;;) {
    auto got = read_fields();
    if (!got || !*got) return got;
    if (fields_.size() == 1 && fields_[0].empty()) continue;  // a blank line
    break;
  }
  if (fields_.size() < 8)
    return fault(columns[fields_.size()], fmt::format("missing: the row has {} fields; a scan needs 8 ({}) and "
                                                      "may have a 9th, source",
                                                      fields_.size(), required_columns));
  if (fields_.size() > columns_)
    return fault("", fmt::format("the row has {} fields; the header names {}", fields_.size(), columns_));
  for (std::size_t i = 0; i < 8; ++i)
    if (fields_[i].empty()) return fault(columns[i], "empty; every scan needs it");

  {  // UTF-8 and length bounds (shared/bounds.h)
    constexpr std::size_t max[] = {bounds::scan_id, bounds::id,    bounds::id,    bounds::payload, bounds::id,
                                   bounds::id,      bounds::title, bounds::title, bounds::source};
    for (std::size_t i = 0; i < fields_.size() && i < std::size(max); ++i)
      if (auto e = bounds::check_text("", fields_[i], max[i]); e) return fault(columns[i], e->substr(2));
  }
  out.id = fields_[0];
  out.kiosk = fields_[1];
  const auto& seq = fields_[2];
  const auto [end, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), out.seq);
  if (ec != std::errc{} || end != seq.data() + seq.size())
    return fault("seq", fmt::format("\"{}\" is not a whole number", seq));
  if (out.seq < 0) return fault("seq", fmt::format("{} is negative; a kiosk numbers its scans from 0 up", out.seq));
  if (out.seq > bounds::seq) return fault("seq", fmt::format("{} is past the largest allowed, {}", out.seq, bounds::seq));
  out.payload = fields_[3];
  out.room = fields_[4];
  out.door = fields_[5];
  const auto dir = parse_direction(fields_[6]);
  if (!dir) return fault("direction", fmt::format("\"{}\" is not a direction; use in, out or auto", fields_[6]));
  out.direction = *dir;
  const auto at = parse_iso8601(fields_[7]);
  if (!at) return fault("at", fmt::format("\"{}\" is not an ISO-8601 time such as 2026-04-24T12:03:17.250Z", fields_[7]));
  if (*at < bounds::earliest || *at >= bounds::latest)
    return fault("at", fmt::format("\"{}\" is not between 1970 and 2200", fields_[7]));
  out.at = *at;
  if (fields_.size() > 8 && !fields_[8].empty())
    out.source = fields_[8];
  else
    out.source.reset();
  return true;
}

scans_csv_writer::scans_csv_writer(std::FILE* out) : out_(out) {
  std::fputs(std::string(scans_csv_header).append("\n").c_str(), out_);
}

void scans_csv_writer::field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    std::fwrite(text.data(), 1, text.size(), out_);
    return;
  }
  std::fputc('"', out_);
  for (const char c : text) {
    if (c == '"') std::fputc('"', out_);
    std::fputc(c, out_);
  }
  std::fputc('"', out_);
}

void scans_csv_writer::write(const scan_record& s) {
  field(s.id);
  std::fputc(',', out_);
  field(s.kiosk);
  std::fprintf(out_, ",%lld,", static_cast<long long>(s.seq));
  field(s.payload);
  std::fputc(',', out_);
  field(s.room);
  std::fputc(',', out_);
  field(s.door);
  std::fputc(',', out_);
  field(to_string(s.direction));
  std::fputc(',', out_);
  field(format_iso8601_utc(s.at));
  std::fputc(',', out_);
  if (s.source) field(*s.source);
  std::fputc('\n', out_);
}

}  // namespace cmetrack
