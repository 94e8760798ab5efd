#pragma once
// The peer channel's TLS 1.3 (OpenSSL through Boost.Asio): each node presents a self-signed X.509
// certificate whose Ed25519 key is its chartered checkpoint key, and accepts only peers whose
// certificate key the charters pin (docs/protocol.md, "Channel"). No certificate authority is
// involved: the charters in the logs are the only source of trust, as for everything else.
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <optional>

#include "ledger/crypto/ed25519.h"
#include "ledger/note/key.h"

namespace hreg::node {

// tlsContext makes a TLS 1.3-only context that presents a self-signed certificate of `key`'s Ed25519
// key and requires the peer's certificate (the caller checks its key with peerKey). Throws a Fault
// if OpenSSL cannot make it.
[[nodiscard]] boost::asio::ssl::context tlsContext(const note::SignerKey& key, bool server);

// peerKey is the Ed25519 public key of the certificate the peer presented, once the handshake is done.
[[nodiscard]] std::optional<crypto::PublicKey> peerKey(SSL* ssl);

// certificateKey is the Ed25519 public key of a certificate, if it has one.
[[nodiscard]] std::optional<crypto::PublicKey> certificateKey(X509* certificate);

}  // namespace hreg::node
