// serve: the HTTP API, the dashboard and the desk (server/).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sync/central/cli/command_list.h"
#include "sync/central/print/transcript_pdf.h"
#include "sync/central/server/http_server.h"
#include "sync/central/store/serve_mark.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {

void add_serve(CLI::App& app, int& status) {
  auto o = std::make_shared<serve_options>();
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API (HTTPS; plain HTTP on a loopback address only)");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("--listen", o->listen, "HOST:PORT to listen on; port 0 picks a free one")->required();
  auto* cert = cmd->add_option("--tls-cert", o->tls_cert, "The server's certificate chain (PEM)");
  auto* key = cmd->add_option("--tls-key", o->tls_key, "The server's private key (PEM)");
  cert->needs(key);
  key->needs(cert);
  cmd->add_option("--request-timeout-ms", o->request_timeout_ms,
                  "Deadline of a TLS handshake, a request's head, its body, a response's write (default 10000)")
      ->group("Tuning");
  cmd->add_option("--idle-timeout-ms", o->idle_timeout_ms, "Deadline of an idle keep-alive connection (default 30000)")
      ->group("Tuning");
  cmd->add_option("--max-connections", o->max_connections,
                  "Open connections at most; at the cap a new one closes the oldest with no request in hand "
                  "(default 2000)")
      ->group("Tuning");
  cmd->callback([o, &status] {
    // Held while serve runs: `ingest` then stores in parts (serve_mark.h).
    // Where there is no store, serve says so itself.
    std::optional<serve_mark> mark;
    if (std::filesystem::exists(database_path(o->data))) {
      auto held = serve_mark::hold(o->data);
      if (!held) {
        status = finish(std::unexpected(held.error()));
        return;
      }
      mark.emplace(std::move(*held));
    }
    auto r = run_server(*o);
    release_pdf_fonts();  // the workers that drew PDFs have ended
    status = finish(r ? result<std::string>(std::string()) : std::unexpected(r.error()));
  });
}

}  // namespace cmetrack::central
