#include "kiosk/app/screenshot.h"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <fmt/format.h>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <cstring>
#include <vector>

namespace cmetrack::kiosk {

result<void> write_screenshot(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0) return failure(fmt::format("{}: the window has no pixels to capture", path));
  const auto row = static_cast<std::size_t>(width) * 3;
  std::vector<unsigned char> pixels(row * static_cast<std::size_t>(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (const GLenum e = glGetError(); e != GL_NO_ERROR)
    return failure(fmt::format("{}: cannot read the framebuffer (OpenGL error 0x{:x})", path, e));
  std::vector<unsigned char> top_down(pixels.size());  // OpenGL's rows run bottom-up
  for (std::size_t y = 0; y < static_cast<std::size_t>(height); ++y)
    std::memcpy(&top_down[y * row], &pixels[(static_cast<std::size_t>(height) - 1 - y) * row], row);
  if (!stbi_write_png(path.c_str(), width, height, 3, top_down.data(), static_cast<int>(row)))
    return failure(fmt::format("{}: cannot write the screenshot (PNG)", path));
  return {};
}

}  // namespace cmetrack::kiosk
