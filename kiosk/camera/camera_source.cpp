// The worker behind camera_source: one thread that pulls frames from a
// frame_reader (the camera, or the files of --frames), decodes them and
// passes each badge presented to the callback.
#include "kiosk/camera/camera_source.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "kiosk/camera/barcode_decoder.h"
#include "kiosk/camera/frame_files.h"
#include "kiosk/camera/image_decode.h"
#include "kiosk/camera/v4l2_camera.h"

namespace cmetrack::kiosk {
namespace {

using steady = std::chrono::steady_clock;

// One step of a frame source.
struct read_step {
  enum kind { got_frame, nothing_yet, ended } what = nothing_yet;
  frame image;
  time_ms at = 0;     // the frame's time, for the hold filter
  std::string error;  // a problem to report (the step may still be usable)
};

class frame_reader {
 public:
  virtual ~frame_reader() = default;
  virtual read_step next(std::stop_token stop) = 0;
};

class camera_reader final : public frame_reader {
 public:
  camera_reader(std::unique_ptr<v4l2_camera> camera, int timeout_ms)
      : camera_(std::move(camera)), timeout_ms_(timeout_ms) {}
  read_step next(std::stop_token) override {
    read_step step;
    auto f = camera_->next_frame(timeout_ms_);
    if (!f) {
      step.what = read_step::ended;
      step.error = f.error().message;
    } else if (*f) {
      step.what = read_step::got_frame;
      step.image = std::move(**f);
      step.at = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now().time_since_epoch()).count();
    }
    return step;
  }

 private:
  std::unique_ptr<v4l2_camera> camera_;
  int timeout_ms_;
};

class files_reader final : public frame_reader {
 public:
  files_reader(std::vector<std::string> files, time_ms interval) : files_(std::move(files)), interval_(interval) {}
  read_step next(std::stop_token stop) override {
    read_step step;
    if (index_ >= files_.size()) {
      step.what = read_step::ended;
      return step;
    }
    // Not before this file's moment; waking at once on stop.
    const time_ms at = static_cast<time_ms>(index_) * interval_;
    const auto due = start_ + std::chrono::milliseconds(at);
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, stop, due, [] { return false; }); stop.stop_requested()) return step;
    auto f = read_image_file(files_[index_++]);
    if (!f) {
      step.error = f.error().message + "; skipped";
      return step;
    }
    step.what = read_step::got_frame;
    step.image = std::move(*f);
    step.at = at;
    return step;
  }

 private:
  std::vector<std::string> files_;
  time_ms interval_;
  std::size_t index_ = 0;
  steady::time_point start_ = steady::now();
  std::mutex mutex_;
  std::condition_variable_any wake_;
};

class worker_source final : public camera_source {
 public:
  worker_source(std::unique_ptr<frame_reader> reader, on_payload callback, const camera_options& options)
      : reader_(std::move(reader)), callback_(std::move(callback)), filter_(options.hold) {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }
  ~worker_source() override {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
  }
  bool finished() const override { return finished_.load(std::memory_order_acquire); }
  std::string last_error() const override {
    std::lock_guard lock(error_mutex_);
    return last_error_;
  }

 private:
  void run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      read_step step = reader_->next(stop);
      if (!step.error.empty()) {
        std::lock_guard lock(error_mutex_);
        last_error_ = std::move(step.error);
      }
      if (step.what == read_step::ended) break;
      if (step.what != read_step::got_frame) continue;
      for (auto& payload : filter_.on_frame(step.at, decoder_.decode(step.image))) callback_(std::move(payload));
    }
    // Set only when the source ran out (or failed), not when stopped.
    if (!stop.stop_requested()) finished_.store(true, std::memory_order_release);
  }

  std::unique_ptr<frame_reader> reader_;
  on_payload callback_;
  barcode_decoder decoder_{video_decoder_options};
  hold_filter filter_;
  std::atomic<bool> finished_{false};
  mutable std::mutex error_mutex_;
  std::string last_error_;
  std::jthread thread_;  // last: started once everything above exists
};

}  // namespace

result<std::unique_ptr<camera_source>> camera_source::open_camera(const std::string& device, on_payload callback) {
  return open_camera(device, std::move(callback), camera_options{});
}

result<std::unique_ptr<camera_source>> camera_source::open_camera(const std::string& device, on_payload callback,
                                                                  const camera_options& options) {
  auto camera = v4l2_camera::open(device);
  if (!camera) return std::unexpected(camera.error());
  auto reader = std::make_unique<camera_reader>(std::move(*camera), options.poll_timeout_ms);
  return std::make_unique<worker_source>(std::move(reader), std::move(callback), options);
}

result<std::unique_ptr<camera_source>> camera_source::open_frames(const std::string& dir, on_payload callback) {
  return open_frames(dir, std::move(callback), camera_options{});
}

result<std::unique_ptr<camera_source>> camera_source::open_frames(const std::string& dir, on_payload callback,
                                                                  const camera_options& options) {
  auto files = list_frame_files(dir);
  if (!files) return std::unexpected(files.error());
  auto reader = std::make_unique<files_reader>(std::move(*files), options.frame_interval);
  return std::make_unique<worker_source>(std::move(reader), std::move(callback), options);
}

}  // namespace cmetrack::kiosk
