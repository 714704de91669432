// Test binaries that draw PDFs in their own process (cairo over fontconfig)
// link this file. fontconfig keeps its font cache where LeakSanitizer cannot
// see it reachable; serve and the CLI free it at exit (release_pdf_fonts),
// a Catch test binary does not.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
