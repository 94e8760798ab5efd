#include "node/tls.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "protocol/core/result.h"

namespace hreg::node {
namespace {

[[noreturn]] void sslFail(const char* what) {
  char text[256];
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  fail(std::string("TLS: ") + what + ": " + text);
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// selfSigned is a certificate naming `name`, valid for a day either side of the clock: peers check
// its key against the charters, never its dates or issuer.
std::unique_ptr<X509, X509Free> selfSigned(EVP_PKEY* key, const std::string& name) {
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!cert) sslFail("X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86400);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * 365 * 10);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  std::string cn = name.substr(0, 64);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), subject);
  if (X509_set_pubkey(cert.get(), key) != 1) sslFail("X509_set_pubkey");
  if (X509_sign(cert.get(), key, nullptr) == 0) sslFail("X509_sign");  // Ed25519 takes no digest
  return cert;
}

}  // namespace

boost::asio::ssl::context tlsContext(const note::SignerKey& key, bool server) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx(server ? ssl::context::tls_server : ssl::context::tls_client);
  SSL_CTX* native = ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) != 1) sslFail("TLS 1.3 only");
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  const crypto::Seed seed = key.keyPair().seed();
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!pkey) sslFail("load the Ed25519 key");
  auto cert = selfSigned(pkey.get(), key.name());
  if (SSL_CTX_use_certificate(native, cert.get()) != 1) sslFail("use the certificate");
  if (SSL_CTX_use_PrivateKey(native, pkey.get()) != 1) sslFail("use the key");
  if (SSL_CTX_check_private_key(native) != 1) sslFail("key and certificate disagree");
  // Both sides must present a certificate; its key is checked by the session (peerKey), and by the
  // verify callback it installs, so the handshake fails for a key the charters do not pin.
  ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  return ctx;
}

std::optional<crypto::PublicKey> certificateKey(X509* certificate) {
  if (certificate == nullptr) return std::nullopt;
  EVP_PKEY* pkey = X509_get0_pubkey(certificate);
  if (pkey == nullptr || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) return std::nullopt;
  crypto::PublicKey out{};
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(pkey, out.data(), &len) != 1 || len != out.size()) return std::nullopt;
  return out;
}

std::optional<crypto::PublicKey> peerKey(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  auto key = certificateKey(cert);
  X509_free(cert);
  return key;
}

}  // namespace hreg::node
