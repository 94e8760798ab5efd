#include "node/web.h"

#include <nlohmann/json.hpp>

#include "node/web-assets.h"

namespace hreg::node {
namespace {

// TRUST_ROOT_SLOT is where index.html takes the trust root: inside <script type="application/json">.
constexpr std::string_view TRUST_ROOT_SLOT = "@HREG_TRUST_ROOT@";

std::optional<std::string_view> asset(std::string_view path, std::string_view* contentType) {
  for (const web_assets::Asset& a : web_assets::ASSETS)
    if (a.path == path) {
      *contentType = a.contentType;
      return std::string_view(reinterpret_cast<const char*>(a.bytes), a.size);
    }
  return std::nullopt;
}

}  // namespace

std::string trustRootJson(const trust::TrustAnchor& root) {
  nlohmann::json keys = nlohmann::json::array();
  for (const trust::PublicKey& k : root.keys) keys.push_back(toHex(ByteView(k)));
  nlohmann::json j = {{"origin", root.origin},       {"checkpointKey", toHex(ByteView(root.checkpointKey))},
                      {"keys", keys},                {"threshold", root.threshold},
                      {"version", root.version},     {"validFrom", root.validFrom}};
  std::string out;
  // "<" never appears as itself, so nothing in the JSON can close the <script> element.
  for (char c : j.dump()) out += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return out;
}

std::optional<HttpAnswer> servePage(std::string_view path, const trust::TrustAnchor& root) {
  std::string_view type;
  if (path == "/" || path == "/plaque" || path == "/index.html") {
    std::string page(*asset("/web/index.html", &type));
    auto slot = page.find(TRUST_ROOT_SLOT);
    if (slot != std::string::npos) page.replace(slot, TRUST_ROOT_SLOT.size(), trustRootJson(root));
    return HttpAnswer{200, std::string(type), std::move(page)};
  }
  if (path == "/web/index.html") return std::nullopt;  // only with its trust root, at /
  if (auto body = asset(path, &type)) return HttpAnswer{200, std::string(type), std::string(*body)};
  return std::nullopt;
}

}  // namespace hreg::node
