#include "sync/central/print/pdf_document.h"

#include <cairo-pdf.h>

namespace cmetrack::central {

pdf_document::pdf_document(double width, double height, const std::string& title, cairo_write_func_t write,
                           void* closure)
    : surface_(cairo_pdf_surface_create_for_stream(write, closure, width, height)), cr_(cairo_create(surface_)) {
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "cmetrack-central");
}

pdf_document::~pdf_document() {
  finish();
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

cairo_status_t pdf_document::finish() {
  if (finished_) return status_;
  finished_ = true;
  const cairo_status_t drawn = cairo_status(cr_);
  cairo_surface_finish(surface_);  // writes what is left of the file
  status_ = drawn != CAIRO_STATUS_SUCCESS ? drawn : cairo_surface_status(surface_);
  return status_;
}

cairo_status_t write_pdf_to_file(void* closure, const unsigned char* data, unsigned int length) {
  auto* file = static_cast<std::FILE*>(closure);
  return std::fwrite(data, 1, length, file) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

cairo_status_t write_pdf_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace cmetrack::central
