#include "ledger/crypto/sha256.h"

#include <openssl/evp.h>

#include "protocol/core/result.h"

namespace hreg::crypto {
namespace {

// A digest context per thread, reused: EVP_MD_CTX_new per hash costs more than hashing a leaf.
struct Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ~Context() {
    EVP_MD_free(md);
    EVP_MD_CTX_free(ctx);
  }
};

}  // namespace

Hash sha256(std::initializer_list<ByteView> parts) {
  thread_local Context c;
  if (c.ctx == nullptr || c.md == nullptr) fail("OpenSSL could not provide SHA-256");
  Hash out;
  unsigned int len = 0;
  bool ok = EVP_DigestInit_ex(c.ctx, c.md, nullptr) == 1;
  for (ByteView part : parts) ok = ok && EVP_DigestUpdate(c.ctx, part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(c.ctx, out.data(), &len) == 1;
  if (!ok || len != HASH_BYTES) fail("OpenSSL SHA-256 failed");
  return out;
}

}  // namespace hreg::crypto
