#pragma once
// The camera path: frames from a V4L2 camera (YUYV or MJPEG) or from a
// directory of image files (--frames DIR, for tests and demos), decoded by
// ZXing-cpp on a worker thread. Each badge presented is reported once: a
// badge held in front of the camera for several seconds is one scan.
//
//   v4l2_camera | frame files --frame--> barcode_decoder --payloads-->
//   hold_filter --badge presented--> callback (on the worker thread)
//
// --frames pace: file i is taken as the frame at i * frame_interval (50 ms
// by default, 20 frames a second, like a camera) and is not read before
// that moment after the start; so 40 files of one badge are a badge held
// for 2 s, and the hold filter sees the same times however fast decoding
// runs (it may run slower than the pace, never faster).
#include <functional>
#include <memory>
#include <string>

#include "kiosk/camera/hold_filter.h"
#include "shared/error.h"

namespace cmetrack::kiosk {

struct camera_options {
  hold_options hold;                 // when a badge seen again is a new scan
  time_ms frame_interval = 50;       // --frames: the time between two files' frames
  int poll_timeout_ms = 100;         // camera: longest wait for a frame (bounds how long stop takes)
};

class camera_source {
 public:
  // Called on the worker thread, once per badge presented, with the
  // payload as decoded (UTF-8). It must not throw.
  using on_payload = std::function<void(std::string payload)>;

  // Starts reading `device` (e.g. /dev/video0). Bad input where it cannot
  // be opened or offers neither YUYV nor MJPEG.
  static result<std::unique_ptr<camera_source>> open_camera(const std::string& device, on_payload callback);
  static result<std::unique_ptr<camera_source>> open_camera(const std::string& device, on_payload callback,
                                                            const camera_options& options);
  // Starts reading the image files of `dir` (PNG or JPEG), in name order,
  // as successive frames; then stops. Bad input where `dir` is not a
  // readable directory.
  static result<std::unique_ptr<camera_source>> open_frames(const std::string& dir, on_payload callback);
  static result<std::unique_ptr<camera_source>> open_frames(const std::string& dir, on_payload callback,
                                                            const camera_options& options);

  // Stops the worker and joins it.
  virtual ~camera_source() = default;
  // True once a --frames source has read its last file (a camera: never,
  // unless it failed; see last_error()). Every callback for the source's
  // frames has returned by then.
  virtual bool finished() const = 0;
  // The last problem the worker met, for staff: a frame file it could not
  // read (skipped), or why the camera stopped. Empty when none.
  virtual std::string last_error() const = 0;
};

}  // namespace cmetrack::kiosk
