#include "kiosk/camera/frame_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace cmetrack::kiosk {
namespace {

bool is_frame_file(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

}  // namespace

result<std::vector<std::string>> list_frame_files(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return bad_input(fmt::format("--frames {}: not a directory{}; give a directory of PNG or JPEG frames", dir,
                                 ec ? fmt::format(" ({})", ec.message()) : std::string()));
  fs::directory_iterator it(dir, ec);
  if (ec) return bad_input(fmt::format("--frames {}: cannot read the directory ({})", dir, ec.message()));
  std::vector<fs::path> files;
  for (const fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return bad_input(fmt::format("--frames {}: cannot read the directory ({})", dir, ec.message()));
    if (it->is_regular_file(ec) && is_frame_file(it->path())) files.push_back(it->path());
  }
  if (ec) return bad_input(fmt::format("--frames {}: cannot read the directory ({})", dir, ec.message()));
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
  std::vector<std::string> out;
  out.reserve(files.size());
  for (const auto& f : files) out.push_back(f.string());
  return out;
}

}  // namespace cmetrack::kiosk
