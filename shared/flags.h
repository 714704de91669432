#pragma once
// The flags of docs/rules.md ("Flags"), raised on an attendee's record for review.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cmetrack {

// In alphabetical order, so that a set of them lists sorted.
enum class flag : std::uint8_t {
  duplicate,
  exit_without_entry,
  implicit_exit,
  in_progress,
  meeting_cap,
  missing_exit,
  repeated_entry,
};

constexpr std::array<std::string_view, 7> flag_names = {
    "duplicate", "exit_without_entry", "implicit_exit", "in_progress", "meeting_cap", "missing_exit", "repeated_entry",
};

constexpr std::string_view to_string(flag f) { return flag_names[static_cast<std::size_t>(f)]; }

class flag_set {
 public:
  void raise(flag f) { bits_ |= bit(f); }
  bool has(flag f) const { return (bits_ & bit(f)) != 0; }
  bool empty() const { return bits_ == 0; }
  flag_set& operator|=(flag_set other) {
    bits_ |= other.bits_;
    return *this;
  }
  // Sorted names.
  std::vector<std::string_view> names() const {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < flag_names.size(); ++i)
      if (has(static_cast<flag>(i))) out.push_back(flag_names[i]);
    return out;
  }
  friend bool operator==(flag_set, flag_set) = default;

 private:
  static constexpr std::uint32_t bit(flag f) { return 1u << static_cast<unsigned>(f); }
  std::uint32_t bits_ = 0;
};

}  // namespace cmetrack
