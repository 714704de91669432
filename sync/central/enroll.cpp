#include "sync/central/enroll.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "shared/bounds.h"
#include "shared/sqlite/transaction.h"
#include "sync/central/kiosk_registry.h"
#include "sync/central/meeting_store.h"
#include "sync/central/store.h"

namespace cmetrack::central {
namespace {

time_ms system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

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

// Writes `text` to path.partial with mode 0600 and syncs it; the caller
// renames it into place.
result<void> write_private(const std::string& partial, const std::string& text, const std::string& shown) {
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return bad_input(fmt::format("--out: {}: cannot write: {}", shown, std::strerror(errno)));
  bool ok = ::fchmod(fd, 0600) == 0;
  std::size_t written = 0;
  while (ok && written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) ok = false;
    else written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    std::remove(partial.c_str());
    return failure(fmt::format("--out: {}: cannot write: {}", shown, std::strerror(saved)));
  }
  return {};
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
  std::string url = default_central_url;
  if (o.central_url) {
    url = *o.central_url;
    if (!url.starts_with("https://") && !url.starts_with("http://"))
      return bad_input(fmt::format("--central-url: \"{}\" is not an http:// or https:// URL, such as {}", url,
                                   default_central_url));
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

  nlohmann::ordered_json doc = {{"kiosk", o.kiosk},     {"room", o.room},   {"door", o.door},
                                {"mode", o.mode},       {"central_url", url}, {"token", *token},
                                {"ca_cert", nullptr},   {"staff_pin", *pin}};
  if (ca) doc["ca_cert"] = *ca;

  // The token counts only once both the file and the store hold it: write
  // the file aside, commit, then rename it into place.
  auto tx = sqlite::transaction::begin(*db);
  if (!tx) return std::unexpected(tx.error());
  auto before = enroll_kiosk(*db, {o.kiosk, o.room, o.door, o.mode}, *token, system_now());
  if (!before) return std::unexpected(before.error());
  const std::string partial = o.out + ".partial";
  CMETRACK_TRY(write_private(partial, doc.dump(2) + "\n", o.out));
  if (auto r = tx->commit(); !r) {
    std::remove(partial.c_str());
    return std::unexpected(r.error());
  }
  if (std::rename(partial.c_str(), o.out.c_str()) != 0) {
    const int saved = errno;
    std::remove(partial.c_str());
    return failure(fmt::format("--out: {}: cannot write: {}; enroll the kiosk again", o.out, std::strerror(saved)));
  }
  std::string text = fmt::format("kiosk {} enrolled for room {}, door {}, mode {}: {} written (mode 0600)\n", o.kiosk,
                                 o.room, o.door, o.mode, o.out);
  if (*before) text += fmt::format("the token kiosk {} had before is revoked\n", o.kiosk);
  text += fmt::format("central URL: {}{}\n", url, ca ? "" : " (no --ca-cert: the kiosk trusts the system's CAs)");
  text += fmt::format("staff PIN: {}\n", *pin);
  return text;
}

result<std::string> run_revoke(const revoke_options& o) {
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto revoked = revoke_kiosk(*db, o.kiosk, system_now());
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
