#include "sync/central/print/transcript_pdf.h"
#include "sync/central/print/meeting_clock.h"
#include "sync/central/print/pdf_document.h"
#include "sync/central/print/pdf_text.h"

#include <cairo.h>
#include <fmt/format.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "shared/atomic_file.h"

namespace cmetrack::central {
namespace {

// US Letter in points (AMA PRA credit is a US credit), with 0.75 in margins.
constexpr double page_width = 612;
constexpr double page_height = 792;
constexpr double margin = 54;
constexpr double content_width = page_width - 2 * margin;
constexpr double footer_height = 24;

// The table's columns: left edges (title) or right edges (numbers). An
// attendee who claimed gets a Claimed column; the numbers move left for it.
constexpr double col_date = margin;
constexpr double col_time = margin + 64;
constexpr double col_title = margin + 136;
constexpr double col_safety_right = margin + content_width;
struct columns {
  double minutes_right = margin + 350;
  double credits_right = margin + 412;
  double claimed_right = 0;  // 0: no Claimed column
  double gap = 52;  // between the title and the minutes' right edge
  double title_width() const { return minutes_right - gap - col_title; }
};
constexpr columns plain_columns{};
constexpr columns claim_columns{margin + 328, margin + 372, margin + 418, 46};

// The meeting's dates: "Friday 24 April 2026", or "Friday 24 April 2026 –
// Sunday 26 April 2026" for a meeting of several days.
std::string meeting_dates(const meeting& m, const meeting_clock& clock) {
  const auto span = meeting_span(m);
  if (!span) return {};
  const auto from = clock.long_day(span->start), to = clock.long_day(span->end - 1);
  return from == to ? from : fmt::format("{} – {}", from, to);
}

// A flag as the desk reads it.
std::string flag_words(flag f, const meeting& m) {
  switch (f) {
    case flag::duplicate:
      return fmt::format("A badge scanned again within {} seconds was counted once (duplicate).",
                         m.rules.debounce / ms_per_second);
    case flag::exit_without_entry:
      return "An exit scan without an entry scan before it earned nothing (exit without entry).";
    case flag::implicit_exit:
      return "An entry scan in another room ended a stay that had no exit scan (implicit exit).";
    case flag::in_progress:
      return "Still in a session when this transcript was made: credited up to then (in progress).";
    case flag::meeting_cap:
      return fmt::format("Credit was cut to the meeting's maximum of {} (meeting cap).", credit_text(m.max_quarters));
    case flag::missing_exit:
      return m.rules.missing_exit == missing_exit_policy::none
                 ? "A stay without an exit scan was not credited (missing exit)."
                 : "A stay without an exit scan was credited only up to its session's end (missing exit).";
    case flag::repeated_entry:
      return "An entry scan in a room the attendee was already in changed nothing (repeated entry).";
  }
  return std::string(to_string(f));
}

// Draws one PDF of transcripts page by page.
class writer {
 public:
  writer(cairo_t* cr, const meeting& m, const meeting_clock& clock, time_ms made_at)
      : cr_(cr), m_(m), clock_(clock), made_at_(made_at), dates_(meeting_dates(m, clock)) {}

  int pages() const { return pages_; }

  void attendee_pages(const attendee_credit& t) {
    t_ = &t;
    claims_ = summarize_claims(m_, t);
    cols_ = claims_.sessions.empty() ? plain_columns : claim_columns;
    page_of_attendee_ = 0;
    start_page();
    heading();
    attendee_block();
    sessions_table();
    claim_block();
    notes();
    corrections_block();
  }

  void empty_roster() {
    t_ = nullptr;
    start_page();
    heading();
    font(11, false);
    line("No attendee is on the roster of this meeting.", margin, 16);
  }

 private:
  void font(double size, bool bold) { select_font(cr_, size, bold); }
  double width_of(const std::string& text) { return text_width(cr_, text); }
  void text_at(double x, double baseline, const std::string& text) { show_text_at(cr_, x, baseline, text); }
  void text_right(double right, double baseline, const std::string& text) {
    text_at(right - width_of(text), baseline, text);
  }
  // One line of text `height` high at x, moving down.
  void line(const std::string& text, double x, double height) {
    y_ += height;
    text_at(x, y_, text);
  }
  void rule(double x0, double x1, double grey, double weight) {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, grey, grey, grey);
    cairo_set_line_width(cr_, weight);
    cairo_move_to(cr_, x0, y_);
    cairo_line_to(cr_, x1, y_);
    cairo_stroke(cr_);
    cairo_restore(cr_);
  }

  std::vector<std::string> wrap(std::string_view text, double width) { return wrap_text(cr_, text, width); }
  void paragraph(const std::string& text, double x, double width, double leading) {
    for (const auto& l : wrap(text, width)) {
      need(leading, false);
      line(l, x, leading);
    }
  }

  void start_page() {
    if (pages_ > 0) cairo_show_page(cr_);
    ++pages_;
    ++page_of_attendee_;
    y_ = margin;
    cairo_set_source_rgb(cr_, 0, 0, 0);
    footer();
  }
  void footer() {
    font(8, false);
    cairo_set_source_rgb(cr_, 0.35, 0.35, 0.35);
    std::string left = fmt::format("Made {} · {}", clock_.stamp(made_at_), m_.id);
    if (t_) left += fmt::format(" · badge {}", t_->who.badge);
    const double baseline = page_height - margin + 12;
    text_at(margin, baseline, left);
    if (t_) text_right(margin + content_width, baseline, fmt::format("page {}", page_of_attendee_));
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }
  // Moves to a new page unless `height` more fits on this one.
  void need(double height, bool table_head) {
    if (y_ + height <= page_height - margin - footer_height) return;
    start_page();
    font(10, true);
    line(fmt::format("{} — {} (continued)", m_.name, display_name()), margin, 12);
    y_ += 8;
    if (table_head) table_header();
  }
  std::string display_name() const {
    if (!t_) return {};
    return t_->who.degree && !t_->who.degree->empty() ? fmt::format("{}, {}", t_->who.name(), *t_->who.degree)
                                                      : t_->who.name();
  }

  void heading() {
    font(16, true);
    for (const auto& l : wrap(m_.name, content_width)) line(l, margin, 20);
    font(10, false);
    if (!dates_.empty()) line(dates_, margin, 14);
    y_ += 8;
    font(9, false);
    cairo_set_source_rgb(cr_, 0.2, 0.2, 0.2);
    paragraph(designation_statement(m_), margin, content_width, 12);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    y_ += 10;
    rule(margin, margin + content_width, 0.6, 0.75);
  }

  void attendee_block() {
    font(13, true);
    line("Transcript of attendance and credit", margin, 22);
    font(12, true);
    line(display_name(), margin, 20);
    font(10, false);
    line(fmt::format("Badge {}", t_->who.badge), margin, 14);
    if (!t_->claim_code.empty()) {
      font(9, false);
      y_ += 2;
      paragraph(fmt::format("Claim your credit yourself: open the meeting's attendee page (/me) and sign in with "
                            "badge {} and claim code {}.",
                            t_->who.badge, t_->claim_code),
                margin, content_width, 12);
    }
    y_ += 12;
  }

  void table_header() {
    font(8.5, true);
    y_ += 11;
    text_at(col_date, y_, "Date");
    text_at(col_time, y_, "Time");
    text_at(col_title, y_, "Session");
    text_right(cols_.minutes_right, y_, "Minutes");
    text_right(cols_.credits_right, y_, cols_.claimed_right > 0 ? "Earned" : "Credits");
    if (cols_.claimed_right > 0) text_right(cols_.claimed_right, y_, "Claimed");
    text_right(col_safety_right, y_, "Patient safety");
    y_ += 4;
    rule(margin, margin + content_width, 0.3, 0.75);
  }

  void sessions_table() {
    need(60, false);
    table_header();
    constexpr double leading = 11.5;
    std::int64_t minutes = 0;
    for (const auto& c : t_->credit.sessions) {
      const auto& s = m_.sessions[static_cast<std::size_t>(c.session)];
      font(9, false);
      const auto title = wrap(s.title, cols_.title_width());
      const double height = static_cast<double>(title.size()) * leading + 5;
      need(height, true);
      font(9, false);
      const double top = y_;
      y_ += leading;
      text_at(col_date, y_, clock_.day(s.start));
      text_at(col_time, y_, fmt::format("{}–{}", clock_.clock(s.start), clock_.clock(s.end)));
      text_right(cols_.minutes_right, y_, fmt::format("{}", c.minutes));
      text_right(cols_.credits_right, y_, credit_text(c.quarters));
      if (cols_.claimed_right > 0) text_right(cols_.claimed_right, y_, claimed_text(c.session));
      text_right(col_safety_right, y_, credit_text(c.patient_safety_quarters));
      for (std::size_t i = 0; i < title.size(); ++i) text_at(col_title, top + leading * static_cast<double>(i + 1), title[i]);
      y_ = top + height;
      rule(margin, margin + content_width, 0.8, 0.5);
      minutes += c.minutes;
    }
    if (t_->credit.sessions.empty()) {
      need(20, true);
      font(9, false);
      line("No attendance recorded.", col_title, 14);
      y_ += 5;
      rule(margin, margin + content_width, 0.8, 0.5);
    }
    need(40, true);
    font(9.5, true);
    y_ += 14;
    text_at(col_title, y_, "Total");
    text_right(cols_.minutes_right, y_, fmt::format("{}", minutes));
    text_right(cols_.credits_right, y_, credit_text(t_->credit.total_quarters));
    if (cols_.claimed_right > 0) text_right(cols_.claimed_right, y_, credit_text(claims_.total_claimed_quarters));
    text_right(col_safety_right, y_, credit_text(t_->credit.total_patient_safety_quarters));
    y_ += 6;
    rule(margin, margin + content_width, 0.3, 0.75);
    font(10, false);
    y_ += 6;
    paragraph(fmt::format("Total credit earned: {} AMA PRA Category 1 Credits™, of which {} in patient safety.",
                          credit_text(t_->credit.total_quarters), credit_text(t_->credit.total_patient_safety_quarters)),
              margin, content_width, 14);
  }

  // The claim in force for a session, "–" where none.
  std::string claimed_text(int session) const {
    for (const auto& l : claims_.sessions)
      if (l.session_index == session) return credit_text(l.claimed_quarters);
    return "–";
  }

  // The total claimed and the attestation, when the attendee claimed.
  void claim_block() {
    if (claims_.sessions.empty()) return;
    y_ += 4;
    font(10, true);
    need(30, false);
    font(10, true);
    paragraph(fmt::format("Total credit claimed: {} AMA PRA Category 1 Credits™.",
                          credit_text(claims_.total_claimed_quarters)),
              margin, content_width, 14);
    font(9, false);
    paragraph(fmt::format("{} attested on {} that the credit claimed is commensurate with the extent of their "
                          "participation; recorded by {}.",
                          display_name(), clock_.long_day(claims_.attested_at), claims_.attested_by),
              margin, content_width, 12);
    for (const auto& l : claims_.sessions)
      if (l.claimed_quarters > l.earned_quarters) {
        font(9, true);
        paragraph(fmt::format("Needs review: {} claimed {} credits, but {} are earned now (the stays were corrected, "
                              "or the meeting's rules changed, after the claim); record the claim again.",
                              l.session, credit_text(l.claimed_quarters), credit_text(l.earned_quarters)),
                  margin, content_width, 12);
      }
  }

  std::string room_name(const std::string& id) const {
    const int r = m_.room_index(id);
    return r < 0 ? id : fmt::format("{} ({})", m_.rooms[static_cast<std::size_t>(r)].name, id);
  }
  std::string when(time_ms t) const { return fmt::format("{} {}", clock_.day(t), clock_.clock(t)); }

  // A correction as the desk reads it.
  std::string correction_words(const correction_row& c) const {
    std::string what;
    if (c.action == "add_stay")
      what = fmt::format("added a stay in {}, {}–{}", room_name(c.room), when(c.from), clock_.clock(c.to));
    else if (c.action == "void_stay")
      what = fmt::format("voided {} scan(s) in {} from {} to {}", c.scans.size(), room_name(c.room), when(c.from),
                         when(c.to));
    else if (c.action == "add_scan")
      what = fmt::format("added an {} scan in {} at {}", c.direction == "out" ? "exit" : "entry", room_name(c.room),
                         when(c.from));
    else
      what = fmt::format("voided scan {}", c.scan);
    return fmt::format("{} by {}: {}. Reason: {}", clock_.stamp(c.at), c.staff_user, what, c.reason);
  }

  // Every correction of the badge's scans, oldest first.
  void corrections_block() {
    if (t_->desk.corrections.empty()) return;
    y_ += 10;
    need(34, false);
    font(10.5, true);
    line("Corrected", margin, 14);
    for (const auto& c : t_->desk.corrections) {
      font(9, false);
      const auto lines = wrap(correction_words(c), content_width - 12);
      for (std::size_t l = 0; l < lines.size(); ++l) {
        need(13, false);
        font(9, false);
        if (l == 0) text_at(margin, y_ + 13, "•");
        line(lines[l], margin + 12, 13);
      }
    }
  }

  // A badge-sharing event as the desk reads it (sharing_report.h).
  std::string sharing_words(const sharing_record& r) const {
    const auto place = [&](const sharing_scan_place& p) {
      const int room = m_.room_index(p.room);
      const auto name = room < 0 ? p.room : m_.rooms[static_cast<std::size_t>(room)].name;
      return p.door.empty() ? name : fmt::format("{} (door {})", name, p.door);
    };
    return fmt::format("Possible badge sharing (needs review): scanned in {} at {} and {} at {} on {}, {} s apart; "
                       "walking takes at least {} s.",
                       place(r.first), clock_.clock_seconds(r.first.at), place(r.second),
                       clock_.clock_seconds(r.second.at), clock_.day(r.second.at), r.gap / ms_per_second,
                       r.required / ms_per_second);
  }

  void bullet(const std::string& text) {
    const auto lines = wrap(text, content_width - 12);
    for (std::size_t l = 0; l < lines.size(); ++l) {
      need(13, false);
      font(9, false);
      if (l == 0) text_at(margin, y_ + 13, "•");
      line(lines[l], margin + 12, 13);
    }
  }

  void notes() {
    const auto names = t_->credit.flags.names();
    y_ += 12;
    need(34, false);
    font(10.5, true);
    line(names.empty() && t_->sharing.empty() ? "Nothing to review" : "For review", margin, 14);
    font(9, false);
    for (const auto& r : t_->sharing) bullet(sharing_words(r));
    if (names.empty()) {
      if (t_->sharing.empty()) line("Every stay has its entry and exit scans.", margin, 13);
      return;
    }
    for (std::size_t i = 0; i < flag_names.size(); ++i) {
      const auto f = static_cast<flag>(i);
      if (!t_->credit.flags.has(f)) continue;
      const auto lines = wrap(flag_words(f, m_), content_width - 12);
      for (std::size_t l = 0; l < lines.size(); ++l) {
        need(13, false);
        font(9, false);
        if (l == 0) text_at(margin, y_ + 13, "•");
        line(lines[l], margin + 12, 13);
      }
    }
  }

  cairo_t* cr_;
  const meeting& m_;
  const meeting_clock& clock_;
  time_ms made_at_;
  std::string dates_;
  const attendee_credit* t_ = nullptr;
  claim_summary claims_;
  columns cols_ = plain_columns;
  int pages_ = 0;
  int page_of_attendee_ = 0;
  double y_ = margin;
};

// Draws the transcripts into a PDF stream; the pages, or cairo's status.
struct drawn {
  int pages = 0;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
};
drawn draw_pdf(const meeting& m, std::span<const attendee_credit> transcripts, time_ms made_at,
               cairo_write_func_t write, void* closure) {
  const meeting_clock clock(m.timezone);
  pdf_document pdf(page_width, page_height, fmt::format("{}: transcripts of attendance and credit", m.name), write,
                   closure);
  writer w(pdf.cr(), m, clock, made_at);
  if (transcripts.empty()) w.empty_roster();
  for (const auto& t : transcripts) w.attendee_pages(t);
  return {w.pages(), pdf.finish()};
}

}  // namespace

result<int> write_transcript_pdf(const meeting& m, std::span<const attendee_credit> transcripts, time_ms made_at,
                                 const std::string& path) {
  auto file = atomic_file::create(path);
  if (!file) return std::unexpected(file.error());
  const auto d = draw_pdf(m, transcripts, made_at, write_pdf_to_file, file->stream());
  if (d.status != CAIRO_STATUS_SUCCESS)
    return failure(fmt::format("{}: the PDF could not be written ({}); check the disk has space", path,
                               cairo_status_to_string(d.status)));
  CMETRACK_TRY(file->commit());
  return d.pages;
}

result<std::string> transcript_pdf_bytes(const meeting& m, std::span<const attendee_credit> transcripts,
                                         time_ms made_at) {
  std::string out;
  const auto d = draw_pdf(m, transcripts, made_at, write_pdf_to_string, &out);
  if (d.status != CAIRO_STATUS_SUCCESS)
    return failure(fmt::format("the transcript PDF could not be drawn ({})", cairo_status_to_string(d.status)));
  return out;
}

void release_pdf_fonts() {
  cairo_debug_reset_static_data();
  FcFini();
}

}  // namespace cmetrack::central
