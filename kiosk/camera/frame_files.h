#pragma once
// --frames DIR: the image files of a directory (.png, .jpg, .jpeg, any
// case), in name order (byte order of the file name), as successive camera
// frames. Other files and subdirectories are ignored.
#include <string>
#include <vector>

#include "shared/error.h"

namespace cmetrack::kiosk {

// The frame files' full paths, sorted by name. Bad input where `dir` is not
// a readable directory.
result<std::vector<std::string>> list_frame_files(const std::string& dir);

}  // namespace cmetrack::kiosk
