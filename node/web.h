#pragma once
// The public plaque check page (node/web/, docs/user-guide.md "The public plaque check"): HTML and
// plain JavaScript embedded in hreg-node at build time, served at GET / and GET /plaque?id=ID, its
// scripts and style under /web/. The browser fetches the subject's proof bundle from /v1/subject and
// verifies it itself, from the trust root this node is configured with, which is written into the
// page as it is served. The page proves nothing about the node that serves it: a visitor who does not
// trust the node loads the page from elsewhere.
#include <optional>
#include <string>
#include <string_view>

#include "ledger/trust/authority.h"
#include "node/api.h"

namespace hreg::node {

// trustRootJson is the trust root as the page reads it: origin, checkpointKey (hex), keys (hex),
// threshold, version, validFrom. Safe to place inside an HTML <script> element.
[[nodiscard]] std::string trustRootJson(const trust::TrustAnchor& root);

// servePage answers GET of the page's paths (/, /plaque, /web/<file>), or nullopt for any other path.
[[nodiscard]] std::optional<HttpAnswer> servePage(std::string_view path, const trust::TrustAnchor& root);

}  // namespace hreg::node
