#pragma once
// A fresh directory under $TMPDIR, removed with everything in it at the end
// of the test.
#include <filesystem>
#include <string>

namespace cmetrack::test {

class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path`, replacing it.
void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);

}  // namespace cmetrack::test
