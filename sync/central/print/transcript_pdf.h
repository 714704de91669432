#pragma once
// Transcripts as a PDF (cairo, US Letter) for the registration desk: the
// meeting and its dates, the provider's designation statement, the attendee,
// a table of sessions with minutes and credit (and the credit claimed, once
// the attendee claims), totals, the attestation, the attendance flags and
// any possible badge sharing in plain words, the desk's corrections (when,
// by whom, why), and the claim code for the attendee page where it is
// given. One attendee from a new page; a long table runs on.
// Times are the meeting's wall-clock time (its timezone, shared/meeting_zone.h;
// UTC where the system does not know the zone), on any thread.
#include <span>
#include <string>

#include "shared/error.h"
#include "shared/meeting.h"
#include "sync/central/print/designation.h"
#include "sync/central/reports/reports.h"

namespace cmetrack::central {

// Writes `transcripts` (in the order given) to `path`, whole or not at all:
// the PDF goes to PATH.partial and is renamed over PATH once complete.
// `made_at` is printed on every page. Returns the number of pages.
result<int> write_transcript_pdf(const meeting& m, std::span<const attendee_credit> transcripts, time_ms made_at,
                                 const std::string& path);

// The same PDF in memory, for serve's GET .../transcript.pdf.
result<std::string> transcript_pdf_bytes(const meeting& m, std::span<const attendee_credit> transcripts,
                                         time_ms made_at);

// Frees cairo's and fontconfig's process-wide caches (fonts), which would
// otherwise live to the exit and count as leaks under LeakSanitizer. Call
// once, at the end of a process that wrote PDFs, with no cairo work in hand.
void release_pdf_fonts();

}  // namespace cmetrack::central
