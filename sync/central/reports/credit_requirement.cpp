#include "sync/central/reports/credit_requirement.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

namespace cmetrack::central {
namespace {

using nlohmann::json;

// A requirement file is a handful of numbers.
constexpr std::size_t max_file_bytes = 64 * 1024;

result<int> quarters_field(const std::string& path, const json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end())
    return bad_input(fmt::format("{}: \"{}\" is missing; give the credits the requirement asks for (0 for none)",
                                 path, key));
  const double v = it->is_number() ? it->get<double>() : -1;
  const double q = v * 4;
  if (!it->is_number() || !(v >= 0) || v > 10000 || std::abs(q - std::round(q)) > 1e-9)
    return bad_input(fmt::format("{}: \"{}\": {} is not a number of credits from 0 to 10000 in steps of 0.25", path,
                                 key, it->dump()));
  return static_cast<int>(std::lround(q));
}

}  // namespace

credit_requirement asaps_requirement() {
  return {.name = "ASAPS",
          .total_quarters = 150 * 4,
          .category1_quarters = 60 * 4,
          .patient_safety_quarters = 20 * 4,
          .window_years = 3};
}

result<credit_requirement> read_requirement_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_input(fmt::format("{}: the requirement file cannot be read; check the path", path));
  std::string text;
  text.resize(max_file_bytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_file_bytes)
    return bad_input(fmt::format("{}: more than {} KiB; a requirement file is a few numbers", path,
                                 max_file_bytes / 1024));
  const auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return bad_input(fmt::format("{}: not a JSON object such as {{\"name\": \"ASAPS\", \"total_credits\": 150, "
                                 "\"category1_credits\": 60, \"patient_safety_credits\": 20, \"window_years\": 3}}",
                                 path));
  static const std::set<std::string> known = {"name", "total_credits", "category1_credits", "patient_safety_credits",
                                              "window_years"};
  for (const auto& [key, value] : doc.items())
    if (!known.contains(key))
      return bad_input(fmt::format("{}: unknown field \"{}\"; the fields are name, total_credits, category1_credits, "
                                   "patient_safety_credits and window_years",
                                   path, key));
  credit_requirement r;
  const auto name = doc.find("name");
  if (name == doc.end() || !name->is_string() || name->get<std::string>().empty() ||
      name->get<std::string>().size() > 200)
    return bad_input(fmt::format("{}: \"name\" must be the society's name (1-200 characters)", path));
  r.name = name->get<std::string>();
  auto total = quarters_field(path, doc, "total_credits");
  if (!total) return std::unexpected(total.error());
  auto category1 = quarters_field(path, doc, "category1_credits");
  if (!category1) return std::unexpected(category1.error());
  auto safety = quarters_field(path, doc, "patient_safety_credits");
  if (!safety) return std::unexpected(safety.error());
  r.total_quarters = *total;
  r.category1_quarters = *category1;
  r.patient_safety_quarters = *safety;
  const auto years = doc.find("window_years");
  if (years == doc.end() || !years->is_number_integer() || years->get<std::int64_t>() < 1 ||
      years->get<std::int64_t>() > 10)
    return bad_input(fmt::format("{}: \"window_years\" must be a whole number of years from 1 to 10", path));
  r.window_years = static_cast<int>(years->get<std::int64_t>());
  return r;
}

}  // namespace cmetrack::central
