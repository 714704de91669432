#include "sync/central/cli/enroll.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "shared/atomic_file.h"
#include "shared/bounds.h"
#include "shared/sqlite/transaction.h"
#include "shared/time.h"
#include "sync/central/store/kiosk_registry.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

// The PEM text of a CA certificate file, checked to hold one.
result<std::string> read_ca_cert(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_input(fmt::format("--ca-cert: {}: cannot read: {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  const bool ok = cert != nullptr;
  X509_free(cert);
  BIO_free(bio);
  if (!ok)
    return bad_input(fmt::format("--ca-cert: {}: holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the "
                                 "CA certificate the kiosk must trust",
                                 path));
  return pem;
}

}  // namespace

result<std::string> run_enroll(const enroll_options& o) {
  if (o.mode != "auto" && o.mode != "entry" && o.mode != "exit")
    return bad_input(fmt::format("--mode: \"{}\" is not auto, entry or exit", o.mode));
  if (o.kiosk.empty() || o.door.empty()) return bad_input("--kiosk and --door must not be empty");
  for (const auto& e : {bounds::check_text("--kiosk", o.kiosk, bounds::id), bounds::check_text("--door", o.door, bounds::id)})
    if (e) return bad_input(*e);
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto m = load_meeting(*db);
  if (!m) return std::unexpected(m.error());
  if (m->room_index(o.room) < 0) {
    std::string rooms;
    for (const auto& r : m->rooms) rooms += (rooms.empty() ? "" : ", ") + r.id;
    return bad_input(fmt::format("--room: \"{}\" is not a room of meeting {}; its rooms are: {}", o.room, m->id, rooms));
  }
  std::optional<std::string> ca;
  if (o.ca_cert) {
    auto pem = read_ca_cert(*o.ca_cert);
    if (!pem) return std::unexpected(pem.error());
    ca = std::move(*pem);
  }
  if (o.central_urls.size() > bounds::central_urls)
    return bad_input(fmt::format("--central-url: given {} times; a kiosk.json holds at most {} central URLs",
                                 o.central_urls.size(), bounds::central_urls));
  for (const auto& given : o.central_urls)
    if (!given.starts_with("https://") && !given.starts_with("http://"))
      return bad_input(fmt::format("--central-url: \"{}\" is not an http:// or https:// URL, such as {}", given,
                                   default_central_url));
  std::string url = default_central_url;
  if (!o.central_urls.empty()) {
    url = o.central_urls.front();
  } else {
    auto recorded = read_setting(*db, "server_url");
    if (!recorded) return std::unexpected(recorded.error());
    if (*recorded) url = **recorded;
  }
  const auto out_dir = std::filesystem::absolute(o.out).parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(out_dir, ec))
    return bad_input(fmt::format("--out: {}: the directory {} does not exist", o.out, out_dir.string()));

  auto token = new_token("kiosk token");
  if (!token) return std::unexpected(token.error());
  auto pin = new_staff_pin();
  if (!pin) return std::unexpected(pin.error());

  nlohmann::ordered_json doc = {
      {"kiosk", o.kiosk}, {"room", o.room}, {"door", o.door}, {"mode", o.mode}, {"central_url", url}};
  if (o.central_urls.size() > 1) doc["central_urls"] = o.central_urls;  // the agent's list, the first included
  doc["token"] = *token;
  doc["ca_cert"] = ca ? nlohmann::ordered_json(*ca) : nlohmann::ordered_json(nullptr);
  doc["staff_pin"] = *pin;

  // The token counts only once both the file and the store hold it: write
  // the file aside, commit, then rename it into place.
  auto tx = sqlite::transaction::begin(*db);
  if (!tx) return std::unexpected(tx.error());
  auto before = enroll_kiosk(*db, {o.kiosk, o.room, o.door, o.mode}, *token, now_ms());
  if (!before) return std::unexpected(before.error());
  auto file = atomic_file::create(o.out, 0600);  // the token: for the kiosk's user only
  if (!file) return with_context("--out", file.error());
  const auto text_of_file = doc.dump(2) + "\n";
  if (std::fwrite(text_of_file.data(), 1, text_of_file.size(), file->stream()) != text_of_file.size())
    return failure(fmt::format("--out: {}: cannot write; check the disk has space", o.out));
  CMETRACK_TRY(tx->commit());
  if (auto r = file->commit(); !r)
    return with_context("--out", error{r.error().kind, r.error().message + "; enroll the kiosk again"});
  std::string text = fmt::format("kiosk {} enrolled for room {}, door {}, mode {}: {} written (mode 0600)\n", o.kiosk,
                                 o.room, o.door, o.mode, o.out);
  if (*before) text += fmt::format("the token kiosk {} had before is revoked\n", o.kiosk);
  std::string urls = url;
  for (std::size_t i = 1; i < o.central_urls.size(); ++i) urls += ", then " + o.central_urls[i];
  text += fmt::format("central URL{}: {}{}\n", o.central_urls.size() > 1 ? "s" : "", urls,
                      ca ? "" : " (no --ca-cert: the kiosk trusts the system's CAs)");
  text += fmt::format("staff PIN: {}\n", *pin);
  return text;
}

result<std::string> run_revoke(const revoke_options& o) {
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto revoked = revoke_kiosk(*db, o.kiosk, now_ms());
  if (!revoked) return std::unexpected(revoked.error());
  if (!*revoked) return fmt::format("kiosk {} holds no live token (revoked already)\n", o.kiosk);
  return fmt::format("kiosk {}: token revoked; the kiosk's batches are refused (401) until it is enrolled again\n",
                     o.kiosk);
}

result<std::string> run_kiosks_json(const kiosks_options& o) {
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto list = list_kiosks(*db);
  if (!list) return std::unexpected(list.error());
  auto out = nlohmann::ordered_json::array();
  for (const auto& k : *list) out.push_back(kiosk_status_json(k));
  return out.dump(2) + "\n";
}

}  // namespace cmetrack::central
