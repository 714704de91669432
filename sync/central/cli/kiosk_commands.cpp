// enroll, revoke, kiosks: the kiosks the central node trusts.
#include <memory>

#include "sync/central/cli/command_list.h"
#include "sync/central/cli/enroll.h"

namespace cmetrack::central {

void add_enroll(CLI::App& app, int& status) {
  auto o = std::make_shared<enroll_options>();
  auto* cmd = app.add_subcommand("enroll", "Make a kiosk's token, bound to its room and door, and its kiosk.json");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("--kiosk", o->kiosk, "Kiosk id")->required();
  cmd->add_option("--room", o->room, "Room id of the meeting")->required();
  cmd->add_option("--door", o->door, "Door")->required();
  cmd->add_option("--mode", o->mode, "auto (toggles), entry or exit; default auto")
      ->check(CLI::IsMember({"auto", "entry", "exit"}));
  cmd->add_option("--out", o->out, "kiosk.json to write (mode 0600)")->required();
  cmd->add_option("--central-url", o->central_urls,
                  "The URL the kiosk's agent reaches this node at; default: the URL serve last listened on, "
                  "else https://127.0.0.1:8443. Give it again (up to 8 times) for the meeting's other central "
                  "nodes: the agent moves to the next when one fails")
      ->allow_extra_args(false);
  cmd->add_option("--ca-cert", o->ca_cert, "The CA certificate (PEM) the kiosk must trust; copied into kiosk.json");
  cmd->callback([o, &status] { status = finish(run_enroll(*o)); });
}

void add_revoke(CLI::App& app, int& status) {
  auto o = std::make_shared<revoke_options>();
  auto* cmd = app.add_subcommand("revoke", "Revoke a kiosk's token (a lost kiosk)");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("--kiosk", o->kiosk, "Kiosk id")->required();
  cmd->callback([o, &status] { status = finish(run_revoke(*o)); });
}

void add_kiosks(CLI::App& app, int& status) {
  struct options {
    kiosks_options kiosks;
    bool json = false;  // required: JSON is the only form so far
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand("kiosks", "Each enrolled kiosk: last contact, backlog, clock offset");
  cmd->add_option("--data", o->kiosks.data, "Data directory")->required();
  cmd->add_flag("--json", o->json, "Print JSON")->required();
  cmd->callback([o, &status] { status = finish(run_kiosks_json(o->kiosks)); });
}

}  // namespace cmetrack::central
