#include "deploy/crowd/badge_images.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <fmt/format.h>

#include <exception>
#include <filesystem>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace cmetrack::crowd {

result<int> write_badge_images(const std::string& dir, const std::vector<std::string>& payloads,
                               const std::vector<std::string>& badges) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return failure(fmt::format("{}: cannot make the directory: {}", dir, ec.message()));
  const ZXing::MultiFormatWriter writer = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(32);
  int written = 0;
  for (std::size_t i = 0; i < payloads.size() && i < badges.size(); ++i) {
    const auto path = fmt::format("{}/{}.png", dir, badges[i]);
    try {
      const auto matrix = ZXing::ToMatrix<std::uint8_t>(writer.encode(payloads[i], 320, 320), 0, 255);
      if (stbi_write_png(path.c_str(), matrix.width(), matrix.height(), 1, matrix.data(), matrix.width()) == 0)
        return failure(fmt::format("{}: cannot write the badge image (disk full, or no permission?)", path));
    } catch (const std::exception& e) {
      return failure(fmt::format("{}: cannot encode \"{}\" as a QR Code: {}", path, payloads[i], e.what()));
    }
    ++written;
  }
  return written;
}

}  // namespace cmetrack::crowd
