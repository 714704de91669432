#include "sync/central/print/designation.h"

#include <fmt/format.h>

#include "shared/credit.h"

namespace cmetrack::central {

std::string credit_text(int quarters) { return fmt::format("{:.2f}", credits(quarters)); }

std::string designation_statement(const meeting& m) {
  if (!m.activity.designation.empty()) return m.activity.designation;
  return fmt::format(
      "{} designates this live activity for a maximum of {} AMA PRA Category 1 Credits™. Physicians should claim "
      "only credit commensurate with the extent of their participation in the activity.",
      m.name, credit_text(m.max_quarters));
}

}  // namespace cmetrack::central
