#include "sync/central/cli/badge_commands.h"

#include <fmt/format.h>

#include <memory>

#include "shared/badge.h"
#include "sync/central/cli/command_list.h"
#include "sync/central/print/badge_sheet.h"
#include "sync/central/print/lp_print.h"
#include "sync/central/print/transcript_pdf.h"
#include "sync/central/store/claim_codes.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

// The attendee `badge` names: a badge id, or a payload the meeting's
// pattern takes one out of.
result<attendee> roster_attendee(sqlite::database& db, const meeting& m, const badge_pattern& pattern,
                                 const std::string& badge) {
  auto who = find_attendee(db, badge);
  if (!who) return std::unexpected(who.error());
  if (!*who)
    if (const auto id = pattern.extract(badge); id && *id != badge) {
      who = find_attendee(db, *id);
      if (!who) return std::unexpected(who.error());
    }
  if (!*who)
    return not_found(fmt::format("--badge: \"{}\" is not on the roster of {}; register the attendee first (add them "
                                 "to the meeting file and run init), then print the badge",
                                 badge, m.id));
  return std::move(**who);
}

}  // namespace

result<std::string> run_badges(const badges_options& o) {
  auto kind = barcode_kind_from(o.barcode);
  if (!kind) return std::unexpected(kind.error());
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto m = load_meeting(*db);
  if (!m) return std::unexpected(m.error());
  auto pattern = badge_pattern::compile(m->badge_pattern, m->badge_key);
  if (!pattern) return std::unexpected(pattern.error());

  std::vector<attendee> who;
  if (o.all) {
    auto everyone = load_attendees(*db);
    if (!everyone) return std::unexpected(everyone.error());
    if (everyone->empty())
      return bad_input(fmt::format("--all: no attendee is on the roster of {}; add them to the meeting file and run "
                                   "init",
                                   m->id));
    who = std::move(*everyone);
  } else {
    for (const auto& b : o.badges) {
      auto a = roster_attendee(*db, *m, *pattern, b);
      if (!a) return std::unexpected(a.error());
      who.push_back(std::move(*a));
    }
  }
  auto badges = badge_payloads(*m, who, o.payload);
  if (!badges) return std::unexpected(badges.error());
  auto codes = claim_codes::load(*db);
  if (!codes) return std::unexpected(codes.error());
  for (auto& b : *badges) b.claim_code = codes->code(b.who.badge);

  if (!o.print) {
    auto pages = write_badge_sheet(*m, *badges, *kind, o.pdf);
    release_pdf_fonts();  // a command runs once a process
    if (!pages) return std::unexpected(pages.error());
    return fmt::format("{}: {} badge(s), {} page(s)\n", o.pdf, badges->size(), *pages);
  }
  auto file = temporary_pdf::create("cmetrack-badges");
  if (!file) return std::unexpected(file.error());
  auto pages = write_badge_sheet(*m, *badges, *kind, file->path());
  release_pdf_fonts();
  if (!pages) return std::unexpected(pages.error());
  const std::string title = fmt::format("Badges {} ({})", m->id, badges->size());
  auto said = print_with_lp(file->path(), title, o.printer);
  if (!said) return std::unexpected(said.error());
  return fmt::format("{}: {} page(s) sent to {}{}\n", title, *pages,
                     o.printer ? fmt::format("printer {}", *o.printer) : std::string("the default printer"),
                     said->empty() ? "" : fmt::format(" ({})", *said));
}

result<std::string> run_transcript_print(const transcript_options& o, const std::optional<std::string>& printer) {
  auto file = temporary_pdf::create("cmetrack-transcript");
  if (!file) return std::unexpected(file.error());
  auto written = run_transcript_pdf(o, file->path());
  if (!written) return std::unexpected(written.error());
  const std::string title = o.badge ? fmt::format("Transcript {}", *o.badge) : std::string("Transcripts, every attendee");
  auto said = print_with_lp(file->path(), title, printer);
  if (!said) return std::unexpected(said.error());
  return fmt::format("{}: sent to {}{}\n", title,
                     printer ? fmt::format("printer {}", *printer) : std::string("the default printer"),
                     said->empty() ? "" : fmt::format(" ({})", *said));
}

void add_badges(CLI::App& app, int& status) {
  auto o = std::make_shared<badges_options>();
  auto* cmd = app.add_subcommand(
      "badges", "Badges to print (4 x 3 in, six a US Letter page) with a barcode the kiosks read back to the badge id");
  cmd->add_option("--data", o->data, "Data directory")->required();
  auto* badge = cmd->add_option("--badge", o->badges, "Badge id (or the payload as scanned); repeat for more badges");
  auto* all = cmd->add_flag("--all", o->all, "Every attendee on the roster, by badge");
  badge->excludes(all);
  cmd->add_option("--payload", o->payload,
                  "What the barcode carries: FORMAT with {badge} replaced by the badge id (default {badge}); "
                  "the meeting's badge pattern must take the id back out of it");
  cmd->add_option("--barcode", o->barcode, "qr (default), datamatrix, pdf417 or code128");
  auto* pdf = cmd->add_option("--pdf", o->pdf, "Write the PDF to FILE");
  auto* print = cmd->add_flag("--print", o->print, "Print through CUPS (lp) instead of writing a file");
  pdf->excludes(print);
  cmd->add_option("--printer", o->printer, "The CUPS printer for --print (lp -d NAME); default: lp's default")
      ->needs(print);
  cmd->callback([o, &status] {
    if (o->badges.empty() && !o->all)
      status = usage_fault("badges needs --badge ID (repeat it for more) or --all");
    else if (o->pdf.empty() && !o->print)
      status = usage_fault("badges needs --pdf FILE (write a PDF) or --print (send it to the printer)");
    else
      status = finish(run_badges(*o));
  });
}

}  // namespace cmetrack::central
