#include "sync/central/print/learner_pdf.h"

#include <cairo.h>
#include <fmt/format.h>

#include "shared/atomic_file.h"
#include "sync/central/print/designation.h"
#include "sync/central/print/meeting_clock.h"
#include "sync/central/print/pdf_document.h"
#include "sync/central/print/pdf_text.h"

namespace cmetrack::central {
namespace {

// US Letter in points, 0.75 in margins, as the transcript.
constexpr double page_width = 612;
constexpr double page_height = 792;
constexpr double margin = 54;
constexpr double content_right = page_width - margin;
constexpr double bottom = page_height - margin - 24;

// The table's columns: the meeting's left edge, the numbers' right edges.
constexpr double col_meeting = margin;
constexpr double meeting_width = 220;
constexpr double col_earned_right = margin + 285;
constexpr double col_claimed_right = margin + 345;
constexpr double col_safety_right = margin + 440;
constexpr double col_counted_right = content_right;

class page_writer {
 public:
  page_writer(cairo_t* cr, const learner_report& r) : cr_(cr), r_(r) {}

  void text(double x, const std::string& s, double size, bool bold = false, double grey = 0) {
    select_font(cr_, size, bold);
    cairo_set_source_rgb(cr_, grey, grey, grey);
    show_text_at(cr_, x, y_, s);
  }
  void right(double right_edge, const std::string& s, double size, bool bold = false) {
    select_font(cr_, size, bold);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    show_text_at(cr_, right_edge - text_width(cr_, s), y_, s);
  }
  void down(double points) {
    y_ += points;
    if (y_ > bottom) new_page();
  }
  // Room for `points` more on this page, else a new page.
  void keep(double points) {
    if (y_ + points > bottom) new_page();
  }
  void rule() {
    cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, margin, y_ + 4);
    cairo_line_to(cr_, content_right, y_ + 4);
    cairo_stroke(cr_);
  }
  void table_head() {
    down(20);
    text(col_meeting, "Meeting", 9, true);
    right(col_earned_right, "Earned", 9, true);
    right(col_claimed_right, "Claimed", 9, true);
    right(col_safety_right, "Patient safety", 9, true);
    right(col_counted_right, "Counted", 9, true);
    rule();
  }
  void start(time_ms made_at) {
    made_at_ = made_at;
    y_ = margin;
    heading();
  }
  void end_page() { foot(); }
  int pages() const { return pages_; }

 private:
  void heading() {
    ++pages_;
    y_ += 18;
    text(margin, fmt::format("Credit record: {}", r_.name.empty() ? r_.learner_id : r_.name), 16, true);
    y_ += 16;
    text(margin, fmt::format("Learner id {} · {} meeting(s)", r_.learner_id, r_.meetings.size()), 10, false, 0.25);
  }
  void foot() {
    select_font(cr_, 7, false);
    cairo_set_source_rgb(cr_, 0.45, 0.45, 0.45);
    const auto s = fmt::format("Made {} · page {}", format_iso8601_utc(made_at_), pages_);
    show_text_at(cr_, (page_width - text_width(cr_, s)) / 2, page_height - margin + 10, s);
  }
  void new_page() {
    foot();
    cairo_show_page(cr_);
    y_ = margin;
    heading();
    table_head();
    y_ += 14;
  }

  cairo_t* cr_;
  const learner_report& r_;
  double y_ = margin;
  int pages_ = 0;
  time_ms made_at_ = 0;
};

std::string requirement_words(const char* what, const requirement_line& l) {
  return l.met() ? fmt::format("{}: {} of {} required: met", what, credit_text(l.counted_quarters),
                               credit_text(l.required_quarters))
                 : fmt::format("{}: {} of {} required: {} to go", what, credit_text(l.counted_quarters),
                               credit_text(l.required_quarters), credit_text(l.to_go_quarters()));
}

int draw(cairo_t* cr, const learner_report& r, time_ms made_at) {
  page_writer page(cr, r);
  page.start(made_at);
  page.down(14);
  page.text(margin, fmt::format("As of {}. Credit is AMA PRA Category 1 Credit™ as each meeting recorded it; a "
                                "claim, where there is one, is what counts.",
                                format_iso8601_utc(r.as_of).substr(0, 10)),
            8.5, false, 0.25);
  page.table_head();
  for (const auto& lm : r.meetings) {
    const meeting_clock clock(lm.of.timezone);
    select_font(cr, 10, true);
    const auto title_lines = wrap_text(cr, lm.of.name, meeting_width);
    page.keep(14.0 * static_cast<double>(title_lines.size()) + 28);
    page.down(16);
    page.text(col_meeting, title_lines.front(), 10, true);
    page.right(col_earned_right, credit_text(lm.earned_quarters), 10);
    page.right(col_claimed_right, lm.claimed_quarters ? credit_text(*lm.claimed_quarters) : "—", 10);
    page.right(col_safety_right, credit_text(lm.counted_patient_safety_quarters()), 10);
    page.right(col_counted_right, lm.in_window ? credit_text(lm.counted_quarters()) : "—", 10, true);
    for (std::size_t k = 1; k < title_lines.size(); ++k) {
      page.down(12);
      page.text(col_meeting, title_lines[k], 10, true);
    }
    page.down(12);
    page.text(col_meeting,
              fmt::format("{} · {} · badge {}{}", clock.us_date_range(lm.span.start, lm.span.end - 1), lm.of.id,
                          lm.who.badge, lm.in_window ? "" : " · outside the window"),
              8.5, false, 0.3);
  }
  page.keep(40);
  page.down(8);
  page.rule();
  page.down(16);
  page.text(col_meeting, "All meetings", 10, true);
  page.right(col_earned_right, credit_text(r.total_quarters), 10, true);
  page.right(col_safety_right, credit_text(r.total_patient_safety_quarters), 10, true);

  page.keep(110);
  page.down(34);
  page.text(margin,
            fmt::format("{} requirement, {} years: {} to {}", r.requirement.name, r.requirement.window_years,
                        format_iso8601_utc(r.window_start).substr(0, 10), format_iso8601_utc(r.as_of).substr(0, 10)),
            12, true);
  page.down(18);
  page.text(margin, requirement_words("Total credit", r.total), 10);
  page.down(15);
  page.text(margin, requirement_words("AMA PRA Category 1 Credit", r.category1), 10);
  page.down(15);
  page.text(margin, requirement_words("Patient safety", r.patient_safety), 10);
  page.down(20);
  page.text(margin, r.met() ? "The requirement is met." : "The requirement is not met yet.", 11, true);
  page.end_page();
  return page.pages();
}

}  // namespace

result<int> write_learner_pdf(const learner_report& r, time_ms made_at, const std::string& path) {
  auto file = atomic_file::create(path);
  if (!file) return std::unexpected(file.error());
  int pages = 0;
  cairo_status_t status;
  {
    pdf_document pdf(page_width, page_height, fmt::format("Credit record: {}", r.learner_id), write_pdf_to_file,
                     file->stream());
    pages = draw(pdf.cr(), r, made_at);
    status = pdf.finish();
  }
  if (status != CAIRO_STATUS_SUCCESS)
    return failure(fmt::format("{}: the PDF could not be written ({}); check the disk has space", path,
                               cairo_status_to_string(status)));
  CMETRACK_TRY(file->commit());
  return pages;
}

}  // namespace cmetrack::central
