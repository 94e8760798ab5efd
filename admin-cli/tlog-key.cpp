// `hreg tlog key generate | verifier`: note keys (ledger/note/key.h). A signer key is written once to a
// file only its owner may read and is never printed; what is printed is the verifier key to publish.
#include <fmt/format.h>

#include <memory>

#include "admin-cli/commands.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "admin-cli/tlog.h"

namespace hreg::cli::tlog {
namespace {

Json keyJson(const note::VerifierKey& key) {
  return Json{{"name", key.name},
              {"type", keyTypeName(key.type)},
              {"keyHash", keyHashHex(key.hash)},
              {"verifierKey", key.toString()}};
}

// --- key generate -----------------------------------------------------------------------------------

struct GenerateOptions {
  std::string name, out;
  bool cosigner = false;
  bool json = false;
};

int generate(const GenerateOptions& o) {
  if (!note::validKeyName(o.name))
    throw UsageError(fmt::format("the key name '{}' is empty or holds '+' or whitespace; use e.g. the log's "
                                 "origin, like hreg.example/140902", o.name));
  auto type = o.cosigner ? note::KeyType::COSIGNATURE_V1 : note::KeyType::ED25519;
  auto key = note::SignerKey::generate(o.name, type);
  writeNewSecretFile(o.out, key.toString() + "\n");
  note::VerifierKey verifier = key.verifier();
  if (o.json) {
    Json j = keyJson(verifier);
    j["signerKeyFile"] = o.out;
    printJson(std::move(j));
  } else {
    fmt::print("{}\n", verifier.toString());
  }
  fmt::print(stderr, "hreg: wrote the {} signer key of {} to {} (mode 0600); keep it secret, publish the verifier "
                     "key\n", keyTypeName(type), o.name, o.out);
  return EXIT_OK;
}

void addGenerate(CLI::App& key) {
  auto o = std::make_shared<GenerateOptions>();
  auto* cmd = key.add_subcommand("generate", "make a new Ed25519 note key, write the signer key to --out and print "
                                             "the verifier key");
  cmd->add_option("NAME", o->name, "the key name: a log's origin, or a witness's name")->required();
  cmd->add_flag("--cosigner", o->cosigner, "make a cosignature/v1 key (type 0x04) for `hreg tlog cosign` "
                                           "instead of a note signing key (type 0x01)");
  cmd->add_option("--out", o->out, "the file for the signer key (created with mode 0600; never overwritten)")
      ->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog key generate hreg.example/140902 --out log.key > log.vkey");
  cmd->callback(runCommand([o] { return generate(*o); }));
}

// --- key verifier -----------------------------------------------------------------------------------

struct VerifierOptions {
  std::string keyFile;
  bool json = false;
};

int verifier(const VerifierOptions& o) {
  note::VerifierKey v = readSignerKey(o.keyFile).verifier();
  if (o.json) {
    printJson(keyJson(v));
  } else {
    fmt::print("{}\n", v.toString());
  }
  return EXIT_OK;
}

void addVerifier(CLI::App& key) {
  auto o = std::make_shared<VerifierOptions>();
  auto* cmd = key.add_subcommand("verifier", "print the verifier key of a signer key file");
  cmd->add_option("SKEYFILE", o->keyFile, "file holding a signer key string (PRIVATE+KEY+...); - reads stdin")
      ->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog key verifier log.key");
  cmd->callback(runCommand([o] { return verifier(*o); }));
}

}  // namespace

void addKeyCommands(CLI::App& tlog) {
  auto* key = tlog.add_subcommand("key", "make note keys and print verifier keys");
  key->require_subcommand(1);
  withExample(*key, "hreg tlog key generate witness.example/w1 --cosigner --out w1.key");
  addGenerate(*key);
  addVerifier(*key);
}

}  // namespace hreg::cli::tlog
