#include "kiosk/camera/v4l2_camera.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "kiosk/camera/image_decode.h"

namespace cmetrack::kiosk {
namespace {

constexpr unsigned buffer_count = 4;

// ioctl, retried when a signal interrupts it.
int xioctl(int fd, unsigned long request, void* arg) {
  int r = 0;
  do r = ::ioctl(fd, request, arg);
  while (r == -1 && errno == EINTR);
  return r;
}

std::string fourcc(std::uint32_t f) {
  std::string s;
  for (int i = 0; i < 4; ++i) s += static_cast<char>((f >> (8 * i)) & 0xff);
  return s;
}

}  // namespace

frame yuyv_to_luma(std::span<const std::uint8_t> yuyv, int width, int height, int stride) {
  frame f;
  if (width <= 0 || height <= 0 || stride < 2 * width) return f;
  const auto w = static_cast<std::size_t>(width), h = static_cast<std::size_t>(height);
  const auto s = static_cast<std::size_t>(stride);
  if (yuyv.size() < s * (h - 1) + 2 * w) return f;  // a short (corrupt) buffer: no frame
  f.width = width;
  f.height = height;
  f.pixels.resize(w * h);
  for (std::size_t y = 0; y < h; ++y) {
    const std::uint8_t* row = yuyv.data() + y * s;
    std::uint8_t* out = f.pixels.data() + y * w;
    for (std::size_t x = 0; x < w; ++x) out[x] = row[2 * x];
  }
  return f;
}

result<std::unique_ptr<v4l2_camera>> v4l2_camera::open(const std::string& device) {
  const int fd = ::open(device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return bad_input(fmt::format("--camera {}: cannot open the camera ({}); check that it is plugged in "
                                 "(ls /dev/video*) and that this user may use it (group video)",
                                 device, std::strerror(errno)));
  std::unique_ptr<v4l2_camera> cam(new v4l2_camera(device, fd));

  v4l2_capability cap{};
  if (xioctl(fd, VIDIOC_QUERYCAP, &cap) == -1)
    return bad_input(fmt::format("--camera {}: not a V4L2 video device ({}); give a /dev/videoN camera", device,
                                 std::strerror(errno)));
  const std::uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING))
    return bad_input(fmt::format("--camera {}: not a streaming video capture device (a camera often has two "
                                 "/dev/video nodes: try the other one)", device));

  // Formats on offer: YUYV preferred (no decoding), else MJPEG.
  bool yuyv = false, mjpeg = false;
  std::string offered;
  v4l2_fmtdesc desc{};
  desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  for (desc.index = 0; xioctl(fd, VIDIOC_ENUM_FMT, &desc) == 0; ++desc.index) {
    yuyv = yuyv || desc.pixelformat == V4L2_PIX_FMT_YUYV;
    mjpeg = mjpeg || desc.pixelformat == V4L2_PIX_FMT_MJPEG;
    offered += (offered.empty() ? "" : ", ") + fourcc(desc.pixelformat);
  }
  if (!yuyv && !mjpeg)
    return bad_input(fmt::format("--camera {}: offers neither YUYV nor MJPEG (it offers: {}); use a UVC camera",
                                 device, offered.empty() ? "nothing" : offered));
  cam->format_ = yuyv ? pixel_format::yuyv : pixel_format::mjpeg;

  v4l2_format format{};
  format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  format.fmt.pix.width = 1280;
  format.fmt.pix.height = 720;
  format.fmt.pix.pixelformat = yuyv ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_MJPEG;
  format.fmt.pix.field = V4L2_FIELD_ANY;
  if (xioctl(fd, VIDIOC_S_FMT, &format) == -1)
    return bad_input(fmt::format("--camera {}: cannot set format {} ({}); is another program using the camera?",
                                 device, yuyv ? "YUYV" : "MJPEG", std::strerror(errno)));
  if (format.fmt.pix.pixelformat != (yuyv ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_MJPEG))
    return bad_input(fmt::format("--camera {}: the driver chose format {} instead of {}", device,
                                 fourcc(format.fmt.pix.pixelformat), yuyv ? "YUYV" : "MJPEG"));
  cam->width_ = static_cast<int>(format.fmt.pix.width);
  cam->height_ = static_cast<int>(format.fmt.pix.height);
  cam->stride_ = static_cast<int>(format.fmt.pix.bytesperline);
  if (cam->stride_ < 2 * cam->width_) cam->stride_ = 2 * cam->width_;

  CMETRACK_TRY(cam->start());
  return cam;
}

result<void> v4l2_camera::start() {
  v4l2_requestbuffers req{};
  req.count = buffer_count;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_REQBUFS, &req) == -1 || req.count < 2)
    return bad_input(fmt::format("--camera {}: cannot get capture buffers ({}); is another program using it?",
                                 device_, std::strerror(errno)));
  for (unsigned i = 0; i < req.count; ++i) {
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    b.index = i;
    if (xioctl(fd_, VIDIOC_QUERYBUF, &b) == -1)
      return failure(fmt::format("--camera {}: VIDIOC_QUERYBUF failed ({})", device_, std::strerror(errno)));
    void* p = ::mmap(nullptr, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, b.m.offset);
    if (p == MAP_FAILED)
      return failure(fmt::format("--camera {}: cannot map capture buffer ({})", device_, std::strerror(errno)));
    buffers_.push_back({p, b.length});
    if (xioctl(fd_, VIDIOC_QBUF, &b) == -1)
      return failure(fmt::format("--camera {}: VIDIOC_QBUF failed ({})", device_, std::strerror(errno)));
  }
  v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(fd_, VIDIOC_STREAMON, &type) == -1)
    return failure(fmt::format("--camera {}: cannot start streaming ({})", device_, std::strerror(errno)));
  streaming_ = true;
  return {};
}

v4l2_camera::~v4l2_camera() {
  if (streaming_) {
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(fd_, VIDIOC_STREAMOFF, &type);
  }
  for (const auto& b : buffers_) ::munmap(b.start, b.length);
  if (fd_ >= 0) ::close(fd_);
}

result<std::optional<frame>> v4l2_camera::next_frame(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, timeout_ms);
  if (ready == 0 || (ready == -1 && errno == EINTR)) return std::optional<frame>{};
  if (ready == -1) return failure(fmt::format("--camera {}: poll failed ({})", device_, std::strerror(errno)));
  if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
    return failure(fmt::format("--camera {}: the camera stopped (unplugged?); check it and restart the kiosk",
                               device_));

  v4l2_buffer b{};
  b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  b.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_DQBUF, &b) == -1) {
    if (errno == EAGAIN) return std::optional<frame>{};
    return failure(fmt::format("--camera {}: cannot read a frame ({}); check the camera and restart the kiosk",
                               device_, std::strerror(errno)));
  }
  std::optional<frame> out;
  if (b.index < buffers_.size() && !(b.flags & V4L2_BUF_FLAG_ERROR)) {
    const std::span<const std::uint8_t> bytes(static_cast<const std::uint8_t*>(buffers_[b.index].start),
                                              std::min<std::size_t>(b.bytesused, buffers_[b.index].length));
    if (format_ == pixel_format::yuyv) {
      auto f = yuyv_to_luma(bytes, width_, height_, stride_);
      if (!f.empty()) out = std::move(f);
    } else if (auto f = decode_mjpeg(bytes)) {
      out = std::move(*f);  // a damaged MJPEG frame is skipped, not fatal
    }
  }
  if (xioctl(fd_, VIDIOC_QBUF, &b) == -1)
    return failure(fmt::format("--camera {}: cannot return a buffer to the driver ({})", device_,
                               std::strerror(errno)));
  return out;
}

}  // namespace cmetrack::kiosk
