// Fuzzes the request path of cmetrack-central serve: the bytes a client
// sends are parsed as serve parses them (Beast's request_parser, a 4 MiB
// body limit, a 16 KiB head), and each request that parses (up to four in
// one input, as a keep-alive connection sends them) goes to the routes
// (sync/central/api/routes.h) over a real central.db: the worked example's
// meeting and scans, kiosk k-a1 enrolled for room A, staff user desk1.
//
//   input --@KIOSK@/@STAFF@ -> tokens--> request_parser --> handle_request --> central.db
//
// Tokens are random per run, so the input names them by placeholder: the
// harness puts the kiosk's token for "@KIOSK@" and the staff user's for
// "@STAFF@", and the seeds reach the authenticated routes. desk1's password
// ("fuzz-password") is hashed with 1,000 iterations rather than serve's
// 210,000, so a login costs microseconds. A response of 500 (a store fault)
// counts as a crash: over a healthy store, no request should cause one.
// The store is put back as set up every 1,000 inputs, so it stays small.
#include <stdlib.h>
#include <unistd.h>

#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "sync/central/api/dashboard.h"
#include "sync/central/api/http_util.h"
#include "sync/central/api/route_support.h"
#include "sync/central/api/routes.h"
#include "sync/central/cli/commands.h"
#include "sync/central/cli/enroll.h"
#include "sync/central/store/staff_users.h"
#include "sync/central/store/store.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace cmetrack;
using namespace cmetrack::central;

constexpr std::string_view harness = "fuzz_http_request";
constexpr int runs_between_resets = 1000;

template <class T>
T need(result<T> r, std::string_view step) {
  if (!r) fuzz::property_failed(harness, std::string(step) + ": " + r.error().message);
  return std::move(*r);
}

void need(result<void> r, std::string_view step) {
  if (!r) fuzz::property_failed(harness, std::string(step) + ": " + r.error().message);
}

// The temporary directory of this process: under $CMETRACK_FUZZ_TMP
// (run.sh), else /dev/shm (commits need no disk), else the system's.
fs::path make_temp_dir() {
  fs::path base = "/dev/shm";
  if (const char* t = std::getenv("CMETRACK_FUZZ_TMP"); t && *t)
    base = t;
  else if (!fs::is_directory(base))
    base = fs::temp_directory_path();
  std::string name = (base / "cmetrack-fuzz-http-XXXXXX").string();
  if (!::mkdtemp(name.data())) fuzz::property_failed(harness, "cannot make a temporary directory under " + base.string());
  return name;
}

struct fixture {
  fs::path dir = make_temp_dir();
  fs::path pristine = dir / "pristine";  // the data directory as set up
  fs::path data = dir / "data";          // the one the routes use
  std::string kiosk_token, staff_token;
  std::unique_ptr<server_state> state;
  int runs = 0;

  fixture() {
    const std::string tests_data = CMETRACK_FUZZ_TEST_DATA;
    need(run_init({pristine.string(), tests_data + "/worked_example.json"}), "init");
    need(run_ingest({pristine.string(), tests_data + "/worked_example.csv"}), "ingest");
    enroll_options e;
    e.data = pristine.string();
    e.kiosk = "k-a1";
    e.room = "A";
    e.door = "north";
    e.out = (dir / "kiosk.json").string();
    need(run_enroll(e), "enroll");
    std::ifstream kiosk_json(e.out);
    kiosk_token = nlohmann::json::parse(kiosk_json).at("token").get<std::string>();
    {
      auto db = need(open_store(pristine, open_mode::existing), "open central.db");
      staff_token = need(set_staff_user(db, "desk1", "fuzz-password", now_ms()), "staff").token;
      const auto quick = need(hash_password("fuzz-password", 1000), "hash_password");
      need(db.exec("UPDATE staff_users SET password_hash = '" + quick + "' WHERE name = 'desk1'"), "quick password");
    }
    reset();
  }

  ~fixture() {
    state.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  void reset() {
    state.reset();
    fs::remove_all(data);
    fs::copy(pristine, data, fs::copy_options::recursive);
    auto db = need(open_store(data, open_mode::existing), "open central.db");
    state = std::make_unique<server_state>(server_state(std::move(db)));
    need(ensure_dashboard(*state), "ensure_dashboard");
  }

  void before_input() {
    if (++runs % runs_between_resets == 0) reset();
    if (runs % 64 == 0) tick(*state);
  }
};

void replace_all(std::string& text, std::string_view placeholder, const std::string& value) {
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
    text.replace(at, placeholder.size(), value);
}

}  // namespace

// fontconfig (under cairo, for transcript.pdf) keeps its font cache where
// LeakSanitizer cannot see it reachable; serve frees it at exit (FcFini).
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture f;
  f.before_input();
  std::string input(reinterpret_cast<const char*>(data), size);
  replace_all(input, "@KIOSK@", f.kiosk_token);
  replace_all(input, "@STAFF@", f.staff_token);

  std::string_view rest = input;
  for (int n = 0; n < 4 && !rest.empty(); ++n) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(max_body_bytes);
    parser.header_limit(16 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    std::size_t used = 0;
    while (!parser.is_done() && used < rest.size()) {
      used += parser.put(boost::asio::buffer(rest.data() + used, rest.size() - used), ec);
      if (ec) break;
    }
    // Malformed, over a limit or cut short: serve answers 400 or 413, or
    // waits for the rest, and no route runs.
    if (!parser.is_done()) return 0;
    rest.remove_prefix(used);
    // A transfer coding other than chunked: serve answers 501 and closes.
    if (!central::plain_chunked_or_none(parser.get())) return 0;

    auto r = handle_request(*f.state, parser.get(), "127.0.0.1");
    if (r.later) {  // serve runs this part on a worker, then the rest on its thread
      r.later->off_thread();
      r = r.later->then();
    }
    ++f.state->requests.by_status[r.response.result_int()];
    f.state->dashboard.events.clear();  // serve sends them to the open streams
    if (r.response.result() == http::status::internal_server_error)
      fuzz::property_failed(harness, "a request caused a 500: " + r.response.body());
  }
  return 0;
}
