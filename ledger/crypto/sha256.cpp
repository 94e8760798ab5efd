#include "ledger/crypto/sha256.h"

// OpenSSL 3 marks its one-call SHA256_* functions deprecated in favour of EVP, but they run the same
// SHA-extension code without EVP's dispatch, which costs a third of a 65-byte node hash. They stay
// in OpenSSL 3's API; this is the only file that uses them.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "protocol/core/result.h"

namespace hreg::crypto {

Hash sha256(std::initializer_list<ByteView> parts) {
  SHA256_CTX ctx;
  Hash out;
  bool ok = SHA256_Init(&ctx) == 1;
  for (ByteView part : parts) ok = ok && SHA256_Update(&ctx, part.data(), part.size()) == 1;
  ok = ok && SHA256_Final(out.data(), &ctx) == 1;
  if (!ok) fail("OpenSSL SHA-256 failed");
  return out;
}

}  // namespace hreg::crypto
