#pragma once
// The staff pages (assets/web: dashboard, desk, login) built into
// cmetrack-central, so an installed server needs no path to find them.
// cmake/embed_web_assets.cmake generates the table at build time from every
// file under assets/web; routes.cpp answers GET / and /NAME.html|css|js
// with find_web_asset.
#include <span>
#include <string_view>

namespace cmetrack::central {

struct web_asset {
  std::string_view path;          // "/index.html", "/app.css", ...
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;          // the file's bytes
};

// The asset at a URL path ("/" means "/index.html"); nullptr for anything
// else not embedded. The path holds no query string.
const web_asset* find_web_asset(std::string_view path);

// Every embedded asset, by path (generated file).
std::span<const web_asset> embedded_web_assets();

}  // namespace cmetrack::central
