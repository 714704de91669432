// Fuzzes the scans file reader (shared/scans_csv.h): any bytes give scans
// or an error naming the line and field, never a crash. The scans read are
// written back with scans_csv_writer and read again: the same scans must
// come back (what `export --scans` writes, `ingest` reads).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "shared/scans_csv.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr std::string_view harness = "fuzz_scans_csv";

// A file in memory that the reader opens by path (/proc/self/fd/N), as it
// opens any scans file.
struct memory_file {
  int fd = -1;
  std::string path;
  explicit memory_file(const char* name) : fd(::memfd_create(name, 0)), path("/proc/self/fd/" + std::to_string(fd)) {
    if (fd < 0) cmetrack::fuzz::property_failed(harness, "memfd_create failed");
  }
  void hold(std::string_view bytes) const {
    if (::ftruncate(fd, 0) != 0) cmetrack::fuzz::property_failed(harness, "ftruncate failed");
    std::size_t done = 0;
    while (done < bytes.size()) {
      const auto n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) cmetrack::fuzz::property_failed(harness, "pwrite failed");
      done += static_cast<std::size_t>(n);
    }
  }
};

// Every scan up to the end or the first fault; `fault` is set where one stopped it.
std::vector<cmetrack::scan_record> read_all(const std::string& path, bool& fault) {
  std::vector<cmetrack::scan_record> scans;
  fault = false;
  auto reader = cmetrack::scans_csv_reader::open(path);
  if (!reader) {
    CMETRACK_FUZZ_CHECK(harness, !reader.error().message.empty(), "a rejection without a message");
    fault = true;
    return scans;
  }
  for (;;) {
    cmetrack::scan_record s;
    auto got = reader->next(s);
    if (!got) {
      CMETRACK_FUZZ_CHECK(harness, !got.error().message.empty(), "a rejection without a message");
      fault = true;
      return scans;
    }
    if (!*got) return scans;
    scans.push_back(std::move(s));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const memory_file input("fuzz-scans.csv"), again("fuzz-scans-again.csv");
  input.hold({reinterpret_cast<const char*>(data), size});
  bool fault = false;
  const auto scans = read_all(input.path, fault);
  if (scans.empty()) return 0;

  char* written = nullptr;
  std::size_t written_size = 0;
  std::FILE* out = ::open_memstream(&written, &written_size);
  if (!out) cmetrack::fuzz::property_failed(harness, "open_memstream failed");
  {
    cmetrack::scans_csv_writer writer(out);
    for (const auto& s : scans) writer.write(s);
  }
  std::fclose(out);
  again.hold({written, written_size});
  std::free(written);

  bool fault_again = false;
  const auto back = read_all(again.path, fault_again);
  CMETRACK_FUZZ_CHECK(harness, !fault_again, "the scans file the writer made from scans read does not read back");
  CMETRACK_FUZZ_CHECK(harness, back == scans, "scans written and read back differ from the scans read");
  return 0;
}
