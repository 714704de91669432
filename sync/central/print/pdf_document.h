#pragma once
// A PDF that cmetrack-central draws with cairo (transcripts, badge sheets):
// its surface and drawing context owned, made for a stream (an open file, a
// string) with a title; finish() ends it and says whether all of it was
// drawn and written.
#include <cairo.h>

#include <cstdio>
#include <string>

namespace cmetrack::central {

class pdf_document {
 public:
  // Pages of width x height points, written through `write(closure, ...)`.
  pdf_document(double width, double height, const std::string& title, cairo_write_func_t write, void* closure);
  ~pdf_document();
  pdf_document(const pdf_document&) = delete;
  pdf_document& operator=(const pdf_document&) = delete;

  cairo_t* cr() const { return cr_; }

  // Ends the document: cairo's first error while drawing or writing, or
  // CAIRO_STATUS_SUCCESS. Drawing after it does nothing.
  cairo_status_t finish();

 private:
  cairo_surface_t* surface_;
  cairo_t* cr_;
  bool finished_ = false;
  cairo_status_t status_ = CAIRO_STATUS_SUCCESS;
};

// Stream writers for pdf_document: `closure` is a std::FILE*, or a std::string
// the bytes are appended to.
cairo_status_t write_pdf_to_file(void* closure, const unsigned char* data, unsigned int length);
cairo_status_t write_pdf_to_string(void* closure, const unsigned char* data, unsigned int length);

}  // namespace cmetrack::central
