#pragma once
// The activity's credit in the words every printed document uses
// (transcripts, certificates, the staff pages): figures and the provider's
// designation statement.
#include <string>

#include "shared/meeting.h"

namespace cmetrack::central {

// Quarters as credit or hours: "2.75".
std::string credit_text(int quarters);

// The meeting file's designation statement where it gives one
// (m.activity.designation), else the standard one: "<meeting name>
// designates this live activity for a maximum of 50.75 AMA PRA Category 1
// Credits™. Physicians should claim only credit commensurate with the
// extent of their participation in the activity."
std::string designation_statement(const meeting& m);

}  // namespace cmetrack::central
