// transcript, learner, archive, rooms, sharing, export: what central.db's scans mean, printed
// or written.
#include <memory>
#include <optional>
#include <string>

#include "sync/central/cli/badge_commands.h"
#include "sync/central/cli/command_list.h"
#include "sync/central/cli/commands.h"

namespace cmetrack::central {

void add_transcript(CLI::App& app, int& status) {
  struct options {
    transcript_options transcript;
    bool all = false, json = false, print = false;
    std::string pdf;
    std::optional<std::string> printer;
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand("transcript", "An attendee's stays, minutes and credit");
  cmd->add_option("--data", o->transcript.data, "Data directory")->required();
  auto* badge = cmd->add_option("--badge", o->transcript.badge, "Badge id (or the payload as scanned)");
  auto* all = cmd->add_flag("--all", o->all, "Every attendee on the roster (a JSON array, or a PDF page each)");
  badge->excludes(all);
  auto* json = cmd->add_flag("--json", o->json, "Print JSON");
  auto* pdf = cmd->add_option("--pdf", o->pdf, "Write a PDF to FILE (US Letter, a page or more an attendee)");
  json->excludes(pdf);
  cmd->add_option("--now", o->transcript.now, "The time to report as of (ISO-8601); default: now");
  auto* print = cmd->add_flag("--print", o->print, "Print the PDF through CUPS (lp) instead of writing a file");
  print->excludes(json)->excludes(pdf);
  cmd->add_option("--printer", o->printer, "The CUPS printer for --print (lp -d NAME); default: lp's default")
      ->needs(print);
  cmd->callback([o, &status] {
    if (!o->transcript.badge && !o->all) {
      status = usage_fault("transcript needs --badge ID or --all");
    } else if (!o->json && o->pdf.empty() && !o->print) {
      status = usage_fault("transcript needs --json (print JSON), --pdf FILE (write a PDF) or --print (send it to "
                           "the printer)");
    } else if (o->print) {
      status = finish(run_transcript_print(o->transcript, o->printer));
    } else if (!o->pdf.empty()) {
      status = finish(run_transcript_pdf(o->transcript, o->pdf));
    } else {
      status = finish(run_transcript_json(o->transcript));
    }
  });
}

void add_learner(CLI::App& app, int& status) {
  struct options {
    learner_options learner;
    bool json = false;
    std::string pdf;
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand("learner", "A learner's credit across meetings and a society's requirement");
  cmd->add_option("--data", o->learner.data,
                  "A meeting's data directory, or an archive's URL (postgresql://...); as often as needed")
      ->required();
  cmd->add_option("--id", o->learner.id, "The learner id (an attendee's learner_id in the meeting files)")
      ->required();
  auto* json = cmd->add_flag("--json", o->json, "Print JSON");
  auto* pdf = cmd->add_option("--pdf", o->pdf, "Write a PDF to FILE (US Letter)");
  json->excludes(pdf);
  cmd->add_option("--requirement", o->learner.requirement,
                  "The requirement file (total, Category 1, patient safety, years); default: ASAPS's");
  cmd->add_option("--now", o->learner.now, "The time to report as of (ISO-8601); default: now");
  cmd->callback([o, &status] {
    if (!o->json && o->pdf.empty())
      status = usage_fault("learner needs --json (print JSON) or --pdf FILE (write a PDF)");
    else if (!o->pdf.empty())
      status = finish(run_learner_pdf(o->learner, o->pdf));
    else
      status = finish(run_learner_json(o->learner));
  });
}

void add_archive(CLI::App& app, int& status) {
  auto o = std::make_shared<archive_options>();
  auto* cmd = app.add_subcommand("archive", "Copy the meeting's records into the provider's archive (PostgreSQL)");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("--to", o->to, "The archive's URL: postgresql://USER@HOST/DATABASE")->required();
  cmd->add_option("--now", o->now, "The time the credit kept is as of (ISO-8601); default: now");
  cmd->callback([o, &status] { status = finish(run_archive(*o)); });
}

// `--json` is required: JSON is the only form these print so far.
void add_rooms(CLI::App& app, int& status) {
  struct options {
    rooms_options rooms;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand("rooms", "Each room's present count and running session");
  cmd->add_option("--data", o->rooms.data, "Data directory")->required();
  cmd->add_flag("--json", o->json, "Print JSON")->required();
  cmd->add_option("--now", o->rooms.now, "The time to report as of (ISO-8601); default: now");
  cmd->callback([o, &status] { status = finish(run_rooms_json(o->rooms)); });
}

void add_sharing(CLI::App& app, int& status) {
  struct options {
    sharing_options sharing;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand(
      "sharing", "Badges scanned in two rooms closer in time than walking allows (the meeting's badge_sharing)");
  cmd->add_option("--data", o->sharing.data, "Data directory")->required();
  cmd->add_flag("--json", o->json, "Print JSON")->required();
  cmd->add_option("--now", o->sharing.now, "The time to report as of (ISO-8601); default: now");
  cmd->callback([o, &status] { status = finish(run_sharing_json(o->sharing)); });
}

void add_export(CLI::App& app, int& status) {
  struct options {
    export_options exp;
    bool scans = false, attendance = false, pars = false, claim_codes = false, evaluations = false;
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand(
      "export", "Write scans, attendance, the PARS learner file, claim codes or evaluation answers (CSV)");
  cmd->add_option("--data", o->exp.data, "Data directory")->required();
  cmd->add_flag("--scans", o->scans, "Every scan, quarantined ones too (the scans file)");
  cmd->add_flag("--attendance", o->attendance, "Minutes and credit per attendee and session attended");
  auto* pars = cmd->add_flag(
      "--pars", o->pars, "ACCME PARS learner file; those lacking a field PARS needs go to FILE.missing.csv");
  auto* codes = cmd->add_flag("--claim-codes", o->claim_codes,
                              "Each attendee's claim code and personal URL, for the provider's mailing tool");
  cmd->add_flag("--evaluations", o->evaluations, "The evaluation's answers in force");
  cmd->add_option("--out", o->exp.out, "Output file")->required();
  cmd->add_option("--now", o->exp.now, "Attendance and PARS: credit as of this time (ISO-8601); default: now");
  cmd->add_option("--activity", o->exp.activity, "PARS: the ACCME Activity ID to write in each row")->needs(pars);
  cmd->add_option("--url", o->exp.url,
                  "Claim codes: the central node's URL as attendees reach it; default: the one serve last listened on")
      ->needs(codes);
  cmd->callback([o, &status] {
    if (int{o->scans} + int{o->attendance} + int{o->pars} + int{o->claim_codes} + int{o->evaluations} != 1)
      status = usage_fault(
          "export needs exactly one of --scans, --attendance, --pars, --claim-codes or --evaluations\nRun with --help "
          "for usage.");
    else if (o->claim_codes)
      status = finish(run_export_claim_codes(o->exp));
    else if (o->evaluations)
      status = finish(run_export_evaluations(o->exp));
    else if (o->attendance)
      status = finish(run_export_attendance(o->exp));
    else if (o->pars)
      status = finish(run_export_pars(o->exp));
    else
      status = finish(run_export_scans(o->exp));
  });
}

}  // namespace cmetrack::central
