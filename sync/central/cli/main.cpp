// cmetrack-central: the central node's command line (docs/formats.md,
// "cmetrack-central"). Parses options and hands each command to commands.cpp.
// Exit status: 0 success, 2 bad input or usage, 1 any other failure.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "shared/command_line.h"
#include "shared/version.h"
#include "sync/central/cli/badge_commands.h"
#include "sync/central/cli/commands.h"
#include "sync/central/cli/enroll.h"
#include "sync/central/cli/staff_command.h"
#include "sync/central/server/http_server.h"
#include "sync/central/store/backup.h"

namespace {

int finish(const cmetrack::result<std::string>& r) {
  if (r) {
    std::fputs(r->c_str(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  fmt::print(stderr, "cmetrack-central: {}\n", r.error().message);
  return cmetrack::exit_status(r.error());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cmetrack::central;
  CLI::App app{"cmetrack-central: the central node of cmetrack. It stores every scan once and turns\n"
               "scans into stays, minutes and AMA PRA Category 1 credit.",
               "cmetrack-central"};
  app.set_version_flag("--version", std::string(cmetrack::version));
  app.require_subcommand(1);

  init_options init;
  auto* init_cmd = app.add_subcommand("init", "Create the data directory's central.db, or update its meeting");
  init_cmd->add_option("--data", init.data, "Data directory")->required();
  init_cmd->add_option("--meeting", init.meeting_file, "Meeting file (JSON)")->required();

  ingest_options ingest;
  auto* ingest_cmd = app.add_subcommand("ingest", "Store the scans of a scans file (CSV); idempotent by scan id");
  ingest_cmd->add_option("--data", ingest.data, "Data directory")->required();
  ingest_cmd->add_option("file", ingest.scans_file, "Scans file (CSV)")->required();
  ingest_cmd
      ->add_option("--commit-every", ingest.commit_every,
                   "Commit every N scans rather than the whole file at once: while serve runs, its kiosks wait "
                   "for one part, not the file (a fault leaves the parts before it stored)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));

  transcript_options transcript;
  bool all = false, json = false;
  std::string pdf;
  auto* transcript_cmd = app.add_subcommand("transcript", "An attendee's stays, minutes and credit");
  transcript_cmd->add_option("--data", transcript.data, "Data directory")->required();
  auto* badge_opt = transcript_cmd->add_option("--badge", transcript.badge, "Badge id (or the payload as scanned)");
  auto* all_opt = transcript_cmd->add_flag("--all", all, "Every attendee on the roster (a JSON array, or a PDF page each)");
  badge_opt->excludes(all_opt);
  auto* json_opt = transcript_cmd->add_flag("--json", json, "Print JSON");
  auto* pdf_opt = transcript_cmd->add_option("--pdf", pdf, "Write a PDF to FILE (US Letter, a page or more an attendee)");
  json_opt->excludes(pdf_opt);
  transcript_cmd->add_option("--now", transcript.now, "The time to report as of (ISO-8601); default: now");
  bool print = false;
  std::optional<std::string> printer;
  auto* print_opt = transcript_cmd->add_flag("--print", print, "Print the PDF through CUPS (lp) instead of writing a file");
  print_opt->excludes(json_opt)->excludes(pdf_opt);
  transcript_cmd->add_option("--printer", printer, "The CUPS printer for --print (lp -d NAME); default: lp's default")
      ->needs(print_opt);

  badges_options badges;
  auto* badges_cmd = app.add_subcommand(
      "badges", "Badges to print (4 x 3 in, six a US Letter page) with a barcode the kiosks read back to the badge id");
  badges_cmd->add_option("--data", badges.data, "Data directory")->required();
  auto* badges_badge_opt =
      badges_cmd->add_option("--badge", badges.badges, "Badge id (or the payload as scanned); repeat for more badges");
  auto* badges_all_opt = badges_cmd->add_flag("--all", badges.all, "Every attendee on the roster, by badge");
  badges_badge_opt->excludes(badges_all_opt);
  badges_cmd->add_option("--payload", badges.payload,
                         "What the barcode carries: FORMAT with {badge} replaced by the badge id (default {badge}); "
                         "the meeting's badge pattern must take the id back out of it");
  badges_cmd->add_option("--barcode", badges.barcode, "qr (default), datamatrix, pdf417 or code128");
  auto* badges_pdf_opt = badges_cmd->add_option("--pdf", badges.pdf, "Write the PDF to FILE");
  auto* badges_print_opt = badges_cmd->add_flag("--print", badges.print, "Print through CUPS (lp) instead of writing a file");
  badges_pdf_opt->excludes(badges_print_opt);
  badges_cmd->add_option("--printer", badges.printer, "The CUPS printer for --print (lp -d NAME); default: lp's default")
      ->needs(badges_print_opt);

  rooms_options rooms;
  auto* rooms_cmd = app.add_subcommand("rooms", "Each room's present count and running session");
  rooms_cmd->add_option("--data", rooms.data, "Data directory")->required();
  rooms_cmd->add_flag("--json", json, "Print JSON")->required();
  rooms_cmd->add_option("--now", rooms.now, "The time to report as of (ISO-8601); default: now");

  sharing_options sharing;
  auto* sharing_cmd = app.add_subcommand(
      "sharing", "Badges scanned in two rooms closer in time than walking allows (the meeting's badge_sharing)");
  sharing_cmd->add_option("--data", sharing.data, "Data directory")->required();
  sharing_cmd->add_flag("--json", json, "Print JSON")->required();
  sharing_cmd->add_option("--now", sharing.now, "The time to report as of (ISO-8601); default: now");

  export_options exp;
  bool scans = false, attendance = false, pars = false;
  auto* export_cmd = app.add_subcommand("export", "Write scans, attendance or the PARS learner file (CSV)");
  export_cmd->add_option("--data", exp.data, "Data directory")->required();
  export_cmd->add_flag("--scans", scans, "Every scan, quarantined ones too (the scans file)");
  export_cmd->add_flag("--attendance", attendance, "Minutes and credit per attendee and session attended");
  auto* pars_flag = export_cmd->add_flag(
      "--pars", pars, "ACCME PARS learner file; those lacking a field PARS needs go to FILE.missing.csv");
  export_cmd->add_option("--out", exp.out, "Output file")->required();
  export_cmd->add_option("--now", exp.now, "Attendance and PARS: credit as of this time (ISO-8601); default: now");
  export_cmd->add_option("--activity", exp.activity, "PARS: the ACCME Activity ID to write in each row")
      ->needs(pars_flag);

  enroll_options enroll;
  auto* enroll_cmd = app.add_subcommand("enroll", "Make a kiosk's token, bound to its room and door, and its kiosk.json");
  enroll_cmd->add_option("--data", enroll.data, "Data directory")->required();
  enroll_cmd->add_option("--kiosk", enroll.kiosk, "Kiosk id")->required();
  enroll_cmd->add_option("--room", enroll.room, "Room id of the meeting")->required();
  enroll_cmd->add_option("--door", enroll.door, "Door")->required();
  enroll_cmd->add_option("--mode", enroll.mode, "auto (toggles), entry or exit; default auto")
      ->check(CLI::IsMember({"auto", "entry", "exit"}));
  enroll_cmd->add_option("--out", enroll.out, "kiosk.json to write (mode 0600)")->required();
  enroll_cmd->add_option("--central-url", enroll.central_url,
                         "The URL the kiosk's agent reaches this node at; default: the URL serve last listened on, "
                         "else https://127.0.0.1:8443");
  enroll_cmd->add_option("--ca-cert", enroll.ca_cert, "The CA certificate (PEM) the kiosk must trust; copied into kiosk.json");

  revoke_options revoke;
  auto* revoke_cmd = app.add_subcommand("revoke", "Revoke a kiosk's token (a lost kiosk)");
  revoke_cmd->add_option("--data", revoke.data, "Data directory")->required();
  revoke_cmd->add_option("--kiosk", revoke.kiosk, "Kiosk id")->required();

  kiosks_options kiosks;
  auto* kiosks_cmd = app.add_subcommand("kiosks", "Each enrolled kiosk: last contact, backlog, clock offset");
  kiosks_cmd->add_option("--data", kiosks.data, "Data directory")->required();
  kiosks_cmd->add_flag("--json", json, "Print JSON")->required();

  staff_options staff;
  auto* staff_cmd = app.add_subcommand("staff", "Create a staff user (dashboard, desk) or set a new password; prints an API token");
  staff_cmd->add_option("--data", staff.data, "Data directory")->required();
  staff_cmd->add_option("--user", staff.user, "Staff user name")->required();
  staff_cmd->add_flag("--password-stdin", staff.password_stdin,
                      "Read the password from the first line of standard input; without it, one is made up and "
                      "shown on standard error");

  backup_options backup;
  auto* backup_cmd = app.add_subcommand("backup", "Copy central.db while serve runs (one consistent snapshot)");
  backup_cmd->add_option("--data", backup.data, "Data directory")->required();
  backup_cmd->add_option("--out", backup.out, "The copy to write (a new file)")->required();

  restore_options restore;
  auto* restore_cmd = app.add_subcommand("restore", "Put a backup back as the data directory's central.db");
  restore_cmd->add_option("--data", restore.data, "Data directory (made where missing)")->required();
  restore_cmd->add_option("--from", restore.from, "A file backup wrote")->required();

  serve_options serve;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API (HTTPS; plain HTTP on a loopback address only)");
  serve_cmd->add_option("--data", serve.data, "Data directory")->required();
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on; port 0 picks a free one")->required();
  auto* cert_opt = serve_cmd->add_option("--tls-cert", serve.tls_cert, "The server's certificate chain (PEM)");
  auto* key_opt = serve_cmd->add_option("--tls-key", serve.tls_key, "The server's private key (PEM)");
  cert_opt->needs(key_opt);
  key_opt->needs(cert_opt);
  serve_cmd->add_option("--request-timeout-ms", serve.request_timeout_ms,
                        "Deadline of a TLS handshake, a request's head, its body, a response's write (default 10000)")
      ->group("Tuning");
  serve_cmd->add_option("--idle-timeout-ms", serve.idle_timeout_ms,
                        "Deadline of an idle keep-alive connection (default 30000)")
      ->group("Tuning");
  serve_cmd->add_option("--max-connections", serve.max_connections,
                        "Open connections at most; at the cap a new one closes the oldest with no request in hand "
                        "(default 2000)")
      ->group("Tuning");

  // CLI11 would only say "A subcommand is required": name the word instead.
  const auto is_command = [&](std::string_view word) {
    for (const auto* sub : app.get_subcommands({}))
      if (sub->get_name() == word) return true;
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    fmt::print(stderr, "cmetrack-central: unknown command \"{}\"; use init, ingest, transcript, badges, rooms, sharing, export, enroll, revoke, kiosks, staff, backup, restore or serve\n"
                       "Run with --help for usage.\n", argv[1]);
    return 2;
  }
  if (argc > 1 && argv[1][0] == '-' && argc == 2 && std::string_view(argv[1]) != "--help" &&
      std::string_view(argv[1]) != "-h" && std::string_view(argv[1]) != "--version") {
    fmt::print(stderr, "cmetrack-central: unknown option \"{}\"\nRun with --help for usage.\n", argv[1]);
    return 2;
  }
  for (auto* sub : app.get_subcommands({})) sub->set_version_flag("--version", std::string(cmetrack::version));

  if (const auto status = cmetrack::parse_command_line(app, argc, argv)) return *status;

  if (transcript_cmd->parsed() && !transcript.badge && !all) {
    fmt::print(stderr, "cmetrack-central: transcript needs --badge ID or --all\n");
    return 2;
  }
  if (transcript_cmd->parsed() && !json && pdf.empty() && !print) {
    fmt::print(stderr, "cmetrack-central: transcript needs --json (print JSON), --pdf FILE (write a PDF) or --print "
                       "(send it to the printer)\n");
    return 2;
  }
  if (export_cmd->parsed() && int{scans} + int{attendance} + int{pars} != 1) {
    fmt::print(stderr, "cmetrack-central: export needs exactly one of --scans, --attendance or --pars\n"
                       "Run with --help for usage.\n");
    return 2;
  }
  if (init_cmd->parsed()) return finish(run_init(init));
  if (ingest_cmd->parsed()) return finish(run_ingest(ingest));
  if (badges_cmd->parsed() && badges.badges.empty() && !badges.all) {
    fmt::print(stderr, "cmetrack-central: badges needs --badge ID (repeat it for more) or --all\n");
    return 2;
  }
  if (badges_cmd->parsed() && badges.pdf.empty() && !badges.print) {
    fmt::print(stderr, "cmetrack-central: badges needs --pdf FILE (write a PDF) or --print (send it to the printer)\n");
    return 2;
  }
  if (badges_cmd->parsed()) return finish(run_badges(badges));
  if (transcript_cmd->parsed() && print) return finish(run_transcript_print(transcript, printer));
  if (transcript_cmd->parsed() && !pdf.empty()) return finish(run_transcript_pdf(transcript, pdf));
  if (transcript_cmd->parsed()) return finish(run_transcript_json(transcript));
  if (rooms_cmd->parsed()) return finish(run_rooms_json(rooms));
  if (sharing_cmd->parsed()) return finish(run_sharing_json(sharing));
  if (enroll_cmd->parsed()) return finish(run_enroll(enroll));
  if (revoke_cmd->parsed()) return finish(run_revoke(revoke));
  if (kiosks_cmd->parsed()) return finish(run_kiosks_json(kiosks));
  if (staff_cmd->parsed()) return finish(run_staff(staff));
  if (backup_cmd->parsed()) return finish(run_backup(backup));
  if (restore_cmd->parsed()) return finish(run_restore(restore));
  if (serve_cmd->parsed()) {
    auto r = run_server(serve);
    return finish(r ? cmetrack::result<std::string>(std::string()) : std::unexpected(r.error()));
  }
  if (attendance) return finish(run_export_attendance(exp));
  if (pars) return finish(run_export_pars(exp));
  return finish(run_export_scans(exp));
}
