#pragma once
// A V4L2 capture device (/dev/videoN) streaming through mmap'ed buffers:
//
//   open: QUERYCAP (capture + streaming) -> ENUM_FMT (YUYV preferred, else
//         MJPEG) -> S_FMT 1280x720 (the driver may pick another size)
//         -> REQBUFS 4 -> QUERYBUF + mmap each -> QBUF all -> STREAMON
//   next_frame(timeout): poll -> DQBUF -> luma -> QBUF
//
// YUYV frames give their luma bytes directly; MJPEG frames are decoded by
// stb_image to grayscale. Linux only.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kiosk/camera/frame.h"
#include "shared/error.h"

namespace cmetrack::kiosk {

// The Y bytes of packed YUYV 4:2:2 (Y0 U Y1 V ...), `stride` bytes a row.
frame yuyv_to_luma(std::span<const std::uint8_t> yuyv, int width, int height, int stride);

class v4l2_camera {
 public:
  enum class pixel_format { yuyv, mjpeg };

  // Bad input naming `device` where it cannot be opened, is not a V4L2
  // capture device, or offers neither YUYV nor MJPEG.
  static result<std::unique_ptr<v4l2_camera>> open(const std::string& device);

  v4l2_camera(const v4l2_camera&) = delete;
  v4l2_camera& operator=(const v4l2_camera&) = delete;
  ~v4l2_camera();

  // The next frame, or nothing when none came within `timeout_ms` (so the
  // caller can look at its stop flag). Failure where the device is gone.
  result<std::optional<frame>> next_frame(int timeout_ms);

  int width() const { return width_; }
  int height() const { return height_; }
  pixel_format format() const { return format_; }
  const std::string& device() const { return device_; }

 private:
  struct buffer {
    void* start = nullptr;
    std::size_t length = 0;
  };
  explicit v4l2_camera(std::string device, int fd) : device_(std::move(device)), fd_(fd) {}
  result<void> start();

  std::string device_;
  int fd_ = -1;
  int width_ = 0, height_ = 0, stride_ = 0;
  pixel_format format_ = pixel_format::yuyv;
  std::vector<buffer> buffers_;
  bool streaming_ = false;
};

}  // namespace cmetrack::kiosk
