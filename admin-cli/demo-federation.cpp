// hreg demo-federation --out DIR: writes the demo federation of configs/demo (docs/trust.md): the
// trust root file, a description of every node and official, the charters and grants as signed
// decision files, and every private key. All keys derive from fixed labels, so the output is the
// same on every run and configs/demo can be checked against it. DEMO ONLY: the keys are published.
#include "admin-cli/demo-federation.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "admin-cli/commands.h"
#include "ledger/crypto/sha256.h"
#include "ledger/log/signing.h"
#include "ledger/note/key.h"
#include "ledger/rules/calendar-file.h"
#include "ledger/rules/date.h"
#include "ledger/trust/trust-root-file.h"
#include "protocol/canonical.h"

namespace hreg::cli {

namespace fs = std::filesystem;

namespace {

constexpr Timestamp START = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr const char* ROOT_ORIGIN = "hreg.example/root";
constexpr const char* DEMO_WARNING =
    "DEMO ONLY. This is the demo federation of hreg (configs/demo, written by `hreg demo-federation`).\n"
    "Its private keys are published in keys/: never use them, or this trust root, for anything real.";

struct DemoNode {
  std::string code, name, parent;
  schema::Level level;
  std::vector<std::string> departments;
};

const std::vector<DemoNode>& demoNodes() {
  using L = schema::Level;
  static const std::vector<std::string> joint = {"culture", "hrss", "rural", "finance", "market", "land"};
  static const std::vector<DemoNode> nodes = {
      {"14", "山西省", "", L::PROVINCE, {"culture"}},
      {"1409", "忻州市", "14", L::PREFECTURE, {"culture", "hrss", "rural"}},
      {"140902", "忻府区", "1409", L::COUNTY, joint},
      {"140902001", "秀容街道", "140902", L::TOWNSHIP, {"culture"}},
      {"65", "新疆维吾尔自治区", "", L::PROVINCE, {"culture"}},
      {"6542", "塔城地区", "65", L::PREFECTURE, {"culture", "hrss", "rural"}},
      {"654201", "塔城市", "6542", L::COUNTY, {"culture", "hrss", "rural"}},
      {"654201001", "和平街道", "654201", L::TOWNSHIP, {"culture"}},
  };
  return nodes;
}

// demoWarningComment is DEMO_WARNING with every line after the first made a '#' comment too.
std::string demoWarningComment() {
  std::string warning = DEMO_WARNING;
  for (std::size_t at = 0; (at = warning.find('\n', at)) != std::string::npos; at += 3) warning.replace(at, 1, "\n# ");
  return warning;
}

std::string originOf(const std::string& code) { return code.empty() ? ROOT_ORIGIN : "hreg.example/" + code; }

// demoSeed derives a key's seed from its label: reproducible, and published.
crypto::Seed demoSeed(const std::string& label) {
  auto h = crypto::sha256(asBytes("hreg demo federation v1 / " + label));
  crypto::Seed seed;
  std::copy(h.begin(), h.end(), seed.begin());
  return seed;
}

class Writer {
 public:
  explicit Writer(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_ / "keys");
    std::filesystem::create_directories(dir_ / "decisions");
    std::filesystem::create_directories(dir_ / "nodes");
  }
  void file(const std::filesystem::path& relative, const std::string& text) {
    std::ofstream out(dir_ / relative, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) fail(fmt::format("cannot write {}", (dir_ / relative).string()));
  }
  // key writes a raw Ed25519 key's seed and returns the key.
  crypto::KeyPair key(const std::string& label) {
    auto seed = demoSeed(label);
    auto pair = crypto::KeyPair::fromSeed(seed);
    std::string name = label;
    std::replace(name.begin(), name.end(), ' ', '-');
    file("keys/" + name + ".key", fmt::format("# {}\n# {}\nseed = \"{}\"\npublic_key = \"{}\"\n",
                                              "DEMO ONLY: a published key of the demo federation.", label,
                                              toHex(seed), toHex(pair.publicKey())));
    return pair;
  }
  note::SignerKey checkpointKey(const std::string& code) {
    auto signer = note::SignerKey::fromSeed(originOf(code), note::KeyType::ED25519,
                                            demoSeed("checkpoint " + (code.empty() ? "root" : code)));
    file("keys/checkpoint-" + (code.empty() ? "root" : code) + ".key",
         fmt::format("# DEMO ONLY: the published checkpoint key of {}.\n{}\n", originOf(code), signer.toString()));
    return signer;
  }
  void decision(const std::string& logCode, const std::string& what, const log::FillBody& fill,
                const std::vector<const crypto::KeyPair*>& signers) {
    Bytes bytes = log::signedDecision(originOf(logCode), START, fill, signers);
    file(fmt::format("decisions/{:03}-{}.decision", ++count_, what),
         fmt::format("# hreg decision. DEMO ONLY: signed with the published keys of the demo federation.\n"
                     "# log: {}\n# {}\n{}\n", originOf(logCode), what, toBase64(bytes)));
  }

 private:
  std::filesystem::path dir_;
  int count_ = 0;
};

// writeNodeConfigs writes nodes/<code>.toml: ready-to-run hreg-node configs of the demo federation
// on loopback, the root node on port 47100 and each node ten ports further (its API one above).
void writeNodeConfigs(Writer& w, const trust::TrustAnchor& root) {
  struct Placed {
    std::string code, parent;
    std::uint16_t port;
  };
  std::vector<Placed> placed = {{"root", "", 47100}};
  std::uint16_t port = 47110;
  for (const DemoNode& node : demoNodes()) {
    placed.push_back({node.code, node.parent.empty() ? "root" : node.parent, port});
    port = static_cast<std::uint16_t>(port + 10);
  }
  auto find = [&](const std::string& code) -> const Placed& {
    return *std::find_if(placed.begin(), placed.end(), [&](const Placed& p) { return p.code == code; });
  };
  const std::string warning = demoWarningComment();
  for (const Placed& p : placed) {
    std::string origin = originOf(p.code == "root" ? "" : p.code);
    std::string text = fmt::format(
        "# {}\n# hreg-node config of {} (docs/operations.md explains every key).\n"
        "# Start it with: hreg-node --config configs/demo/nodes/{}.toml\n\n"
        "[node]\norigin = \"{}\"\ndata_dir = \"/tmp/hreg-demo/{}\"  # the node's LMDB store\n"
        "checkpoint_key_file = \"../keys/checkpoint-{}.key\"\ntrust_root = \"../trust-root.toml\"\n\n"
        "[peer]\nlisten = \"127.0.0.1:{}\"\n\n[api]\nlisten = \"127.0.0.1:{}\"\n",
        warning, origin, p.code, origin, p.code, p.code, p.port, p.port + 1);
    if (!p.parent.empty()) {
      const Placed& parent = find(p.parent);
      std::string parentOrigin = originOf(parent.code == "root" ? "" : parent.code);
      std::string key = parent.code == "root"
                            ? note::makeVerifierKey(parentOrigin, note::KeyType::ED25519, root.checkpointKey)
                                  .value()
                                  .toString()
                            : note::SignerKey::fromSeed(parentOrigin, note::KeyType::ED25519,
                                                        demoSeed("checkpoint " + parent.code))
                                  .verifier()
                                  .toString();
      text += fmt::format("\n[parent]\norigin = \"{}\"\naddress = \"127.0.0.1:{}\"\nkey = \"{}\"\n", parentOrigin,
                          parent.port, key);
    }
    text += "\n# The demo's decisions are dated 2026-01-01: the demo clock starts just after (tests and demo only).\n"
            "[clock]\nstart = 1767225900\n";
    w.file("nodes/" + p.code + ".toml", text);
  }
}

capnp::Data::Reader data(const crypto::PublicKey& k) { return capnp::Data::Reader(k.data(), k.size()); }

}  // namespace

// publishCalendars has the root publish every national calendar in `calendars` as its policy version 1
// (docs/rules.md, "Working days"): the demo's deadlines then count holidays and make-up days.
void publishCalendars(Writer& w, const std::filesystem::path& calendars, const std::vector<crypto::KeyPair>& rootKeys) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(calendars))
    for (const auto& entry : std::filesystem::directory_iterator(calendars))
      if (entry.path().filename().string().starts_with("CN-") && entry.path().extension() == ".toml")
        files.push_back(entry.path());
  if (files.empty())
    fail(fmt::format("no national calendar (CN-<year>.toml) in {}; pass --calendar configs/calendar", calendars.string()));
  std::sort(files.begin(), files.end());
  std::vector<rules::CalendarLayer> layers;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto layer = rules::parseNationalCalendarFile(text, f.filename().string());
    if (!layer) fail(layer.error().detail);
    layers.push_back(layer.value());
  }
  w.decision("", "policy-root-calendar", [&](schema::Body::Builder body) {
    auto policy = body.initPolicy();
    policy.setVersion(1);
    policy.setEffective(START);
    auto setting = policy.initSettings(1)[0];
    setting.setKey("calendar.national");
    setting.setMandatory(true);
    auto years = setting.initValue().initCalendar(static_cast<unsigned>(layers.size()));
    for (unsigned i = 0; i < layers.size(); ++i) {
      const rules::CalendarLayer& layer = layers[i];
      years[i].setYear(static_cast<std::uint16_t>(layer.year));
      std::vector<std::string> days;
      for (const auto& block : layer.holidays)
        for (const rules::Date& d : block.days) days.push_back(rules::formatDate(d));
      auto holidays = years[i].initHolidays(static_cast<unsigned>(days.size()));
      for (unsigned j = 0; j < days.size(); ++j) holidays.set(j, days[j]);
      auto workdays = years[i].initWorkdays(static_cast<unsigned>(layer.workdays.size()));
      for (unsigned j = 0; j < layer.workdays.size(); ++j) workdays.set(j, rules::formatDate(layer.workdays[j]));
    }
  }, {&rootKeys[0], &rootKeys[1]});
}

void writeDemoFederation(const std::filesystem::path& dir, const std::filesystem::path& calendars) {
  Writer w(dir);
  std::vector<crypto::KeyPair> rootKeys;
  for (int i = 1; i <= 3; ++i) rootKeys.push_back(w.key(fmt::format("root {}", i)));
  trust::TrustAnchor root{1, {}, 2, ROOT_ORIGIN, w.checkpointKey("").keyPair().publicKey(), START};
  for (const auto& k : rootKeys) root.keys.push_back(k.publicKey());
  w.file("trust-root.toml", trust::formatTrustRootFile(root, std::string(DEMO_WARNING) +
                                                                  "\n\nThe federation's trust root, version 1: 2 of "
                                                                  "these 3 keys charter the provinces."));
  std::map<std::string, std::vector<crypto::KeyPair>> authority;
  std::string description = "# " + demoWarningComment() + "\n# Every node and official of the demo federation.\n";
  for (const DemoNode& node : demoNodes()) {
    for (int i = 1; i <= 3; ++i) authority[node.code].push_back(w.key(fmt::format("authority {} {}", node.code, i)));
    auto checkpoint = w.checkpointKey(node.code);
    const auto& keys = authority[node.code];
    std::vector<const crypto::KeyPair*> signers;
    if (node.parent.empty()) signers = {&rootKeys[0], &rootKeys[1]};
    else signers = {&authority[node.parent][0], &authority[node.parent][1]};
    w.decision(node.parent, fmt::format("charter-{}", node.code), [&](schema::Body::Builder body) {
      auto c = body.initCharter();
      c.setCode(node.code);
      c.setLevel(node.level);
      c.setName(node.name);
      c.setOrigin(originOf(node.code));
      c.setCheckpointKey(data(checkpoint.keyPair().publicKey()));
      auto list = c.initAuthorityKeys(3);
      for (unsigned i = 0; i < 3; ++i) list.set(i, data(keys[i].publicKey()));
      c.setAuthorityThreshold(2);
      c.setValidFrom(START);
    }, signers);
    description += fmt::format("\n[[node]]\ncode = \"{}\"\nname = \"{}\"\nlevel = \"{}\"\nparent = \"{}\"\n"
                               "origin = \"{}\"\ncheckpoint_key = \"{}\"\nauthority_threshold = 2\n"
                               "authority_keys = [\"{}\", \"{}\", \"{}\"]\n",
                               node.code, node.name, trust::levelName(node.level), node.parent, originOf(node.code),
                               checkpoint.verifier().toString(), toHex(keys[0].publicKey()),
                               toHex(keys[1].publicKey()), toHex(keys[2].publicKey()));
  }
  for (const DemoNode& node : demoNodes())
    for (const std::string& department : node.departments) {
      auto official = w.key(fmt::format("official {} {}", node.code, department));
      // One official per department holds every role, so that the demo walks whole procedures with
      // few keys; a real office grants clerk, reviewer and approver to different people.
      std::string person = fmt::format("{} {} official (demo)", node.name, department);
      w.decision(node.code, fmt::format("grant-{}-{}", node.code, department), [&](schema::Body::Builder body) {
        auto g = body.initGrant();
        g.setPerson(person);
        g.setDepartment(department);
        auto roles = g.initRoles(3);
        roles.set(0, "clerk");
        roles.set(1, "reviewer");
        roles.set(2, "approver");
        g.setKey(data(official.publicKey()));
        g.setValidFrom(START);
      }, {&authority[node.code][0], &authority[node.code][1]});
      description += fmt::format("\n[[official]]\nnode = \"{}\"\nperson = \"{}\"\ndepartment = \"{}\"\n"
                                 "roles = [\"clerk\", \"reviewer\", \"approver\"]\nkey = \"{}\"\nkey_file = \"keys/official-{}-{}.key\"\n",
                                 node.code, person, department, toHex(official.publicKey()), node.code, department);
    }
  publishCalendars(w, calendars, rootKeys);
  w.file("federation.toml", description);
  writeNodeConfigs(w, root);
}

namespace {

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(fmt::format("cannot read {}; run the demo from the repository (scripts/demo) or pass --configs",
                            path.string()));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

trust::TrustAnchor DemoFederation::root() const {
  auto root = trust::parseTrustRootFile(readFile(dir_ / "trust-root.toml"));
  if (!root) fail(fmt::format("{}: {}", (dir_ / "trust-root.toml").string(), root.error().detail));
  return root.value();
}

std::vector<std::pair<std::string, Bytes>> DemoFederation::decisions() const {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir_ / "decisions")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::string, Bytes>> out;
  for (const auto& f : files) {
    std::istringstream lines(readFile(f));
    std::string origin;
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("# log: ")) {
        origin = line.substr(7);
      } else if (!line.empty() && line[0] != '#') {
        auto bytes = fromBase64(line);
        if (!bytes || origin.empty()) fail(fmt::format("{}: a '# log:' line, then base64", f.string()));
        out.emplace_back(origin, std::move(*bytes));
      }
    }
  }
  return out;
}

crypto::KeyPair DemoFederation::key(const std::string& file) const {
  std::istringstream lines(readFile(dir_ / "keys" / file));
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("seed = \"")) {
      auto seed = fromHex(line.substr(8, 64));
      if (!seed || seed->size() != crypto::SEED_BYTES) break;
      crypto::Seed s;
      std::copy(seed->begin(), seed->end(), s.begin());
      return crypto::KeyPair::fromSeed(s);
    }
  fail(fmt::format("{}: no seed = \"<64 hex digits>\" line", (dir_ / "keys" / file).string()));
}

note::SignerKey DemoFederation::checkpointKey(const std::string& origin) const {
  std::string code = origin.substr(origin.find('/') + 1);
  auto path = dir_ / "keys" / ("checkpoint-" + code + ".key");
  std::istringstream lines(readFile(path));
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("PRIVATE+KEY+"))
      if (auto key = note::SignerKey::parse(line)) return std::move(key).value();
  fail(fmt::format("{}: no PRIVATE+KEY+ line", path.string()));
}

void addDemoFederationCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo-federation",
                                 "Write the demo federation (trust root, charters, grants, DEMO keys) to a directory");
  cmd->footer("Example: hreg demo-federation --out configs/demo");
  auto out = std::make_shared<std::string>();
  auto calendars = std::make_shared<std::string>("configs/calendar");
  cmd->add_option("--out", *out, "directory to write (created if missing)")->required();
  cmd->add_option("--calendar", *calendars, "the national calendars the root publishes as policy")->capture_default_str();
  cmd->callback([out, calendars] {
    writeDemoFederation(*out, *calendars);
    fmt::print("wrote the demo federation to {} (DEMO ONLY: its private keys are published)\n", *out);
  });
}

}  // namespace hreg::cli
