#include "sync/central/api/web_assets.h"

namespace cmetrack::central {

const web_asset* find_web_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const auto& asset : embedded_web_assets())
    if (asset.path == path) return &asset;
  return nullptr;
}

}  // namespace cmetrack::central
