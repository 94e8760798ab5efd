// Lookups across regions through real nodes (node/lookup.h): the two provinces of the demo federation
// as nine hreg-node processes. A Tacheng township asks about Xinzhou workshops, which only the
// Xinzhou chain and the root's node hold; its question climbs 654201 -> 6542 -> 65 -> root and the
// answer comes back checked from the trust root at every hop. The Tacheng township's session with its
// parent runs through a man in the middle (tests/node/support/peer-proxy.h) holding both ends' keys:
// it withholds entries (a stale replica), forges an answer, or leaves a decision out of one.
#include <gtest/gtest.h>

#include <capnp/message.h>

#include "ledger/log/signing.h"
#include "ledger/rules/subject.h"
#include "node/config.h"
#include "tests/admin-cli/run-hreg.h"
#include "tests/node/support/federation.h"
#include "tests/node/support/peer-proxy.h"

namespace hreg::testing {
namespace {

using nlohmann::json;

const std::vector<std::string> BOTH_PROVINCES{ROOT, "14", "1409", "140902", "140902001",
                                              "65", "6542", "654201", "654201001"};
const std::string XINZHOU_TOWNSHIP = "140902001";
const std::string XINZHOU_COUNTY = "140902";
const std::string TACHENG_TOWNSHIP = "654201001";
const std::string TACHENG_COUNTY = "654201";
// Xinzhou workshops, one per test, so that no answer comes from an earlier test's cache.
const std::string REVIEWED = "140902001-W-0001";  // application, preliminary review, joint review finding
const std::string FORGED = "140902001-W-0002";    // application
const std::string HIDDEN = "140902001-W-0003";    // application, preliminary review
const std::string MIDDLE = "140902001-W-0004";    // application
const std::string TACHENG = "654201001-W-0001";   // application, preliminary review; then a finding
constexpr Timestamp T = DEMO_CLOCK_START + 60;

note::SignerKey checkpointKey(const std::string& code) {
  auto key = node::loadSignerKey(demoDir() / "keys" / ("checkpoint-" + code + ".key"));
  if (!key) throw std::runtime_error(key.error().detail);
  return std::move(key).value();
}

// route is the route of nodes from the Tacheng township up to `to`, as the answer names them.
json routeUpTo(const std::vector<std::string>& codes) {
  json route = json::array();
  for (const std::string& code : codes) route.push_back(originOf(code));
  return route;
}

// withBundle is a SubjectAnswer frame like `frame` whose bundle is `bundle` instead.
Bytes withBundle(schema::wire::Frame::Reader frame, const std::string& bundle) {
  capnp::MallocMessageBuilder message;
  message.setRoot(frame);
  message.getRoot<schema::wire::Frame>().getSubjectAnswer().setBundle(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(bundle.data()), bundle.size()));
  return protocol::encodeFrame(message);
}

// refusedAnswer is a SubjectAnswer to `query` refusing it as a parent that cannot ask further would.
Bytes refusedAnswer(schema::wire::SubjectQuery::Reader query, const std::string& reason, const std::string& detail) {
  capnp::MallocMessageBuilder message;
  auto a = message.initRoot<schema::wire::Frame>().initSubjectAnswer();
  a.setId(query.getId());
  a.initRoute(1).set(0, originOf(TACHENG_COUNTY));
  a.initRefused().setReason(reason);
  a.getRefused().setDetail(detail);
  return protocol::encodeFrame(message);
}

// forgeName turns the paper-cutting workshop of the subject's first decision into an embroidery
// one (剪纸 -> 刺绣, as many UTF-8 bytes) in the bundle's copy of that entry: canonical bytes still,
// but not the ones the officials signed and the log holds.
void forgeName(rules::SubjectBundle& bundle) {
  const std::string name = "剪纸", forged = "刺绣";
  const Bytes from(name.begin(), name.end()), to(forged.begin(), forged.end());
  for (auto& log : bundle.logs)
    if (log.origin == bundle.decisions.front().origin)
      for (auto& e : log.entries)
        if (e.index == bundle.decisions.front().index) {
          auto at = std::search(e.entry.begin(), e.entry.end(), from.begin(), from.end());
          if (at == e.entry.end()) throw std::runtime_error("no 剪纸 in the entry");
          std::copy(to.begin(), to.end(), at);
        }
}

// BundleChange changes the bundle of an answer about one subject in transit.
using BundleChange = std::function<void(rules::SubjectBundle&)>;

// changingAnswersAbout is a hook that passes every frame on, except the parent's answers about
// `subject`, whose bundle it changes with `change` (and re-encodes as JSON).
FrameHook changingAnswersAbout(const std::string& subject, BundleChange change) {
  return [subject, change](Toward toward, schema::wire::Frame::Reader frame, const Bytes& bytes) -> Relay {
    if (toward != Toward::CHILD || !frame.isSubjectAnswer() || !frame.getSubjectAnswer().isBundle())
      return Relay{bytes, {}};
    auto data = frame.getSubjectAnswer().getBundle();
    auto bundle = rules::subjectBundleFromJson(std::string(reinterpret_cast<const char*>(data.begin()), data.size()));
    if (!bundle || bundle.value().subject != subject) return Relay{bytes, {}};
    change(bundle.value());
    return Relay{withBundle(frame, rules::toJson(bundle.value()).dump()), {}};
  };
}

class Routing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    federation = std::make_unique<Federation>(BOTH_PROVINCES);
    // The Tacheng township's session with its county, and the county's with its prefecture, go
    // through a man in the middle each.
    proxy = throughProxy(TACHENG_TOWNSHIP, TACHENG_COUNTY);
    uplink = throughProxy(TACHENG_COUNTY, "6542");

    ASSERT_TRUE(federation->start());
    ASSERT_TRUE(federation->seed());
    // The root's calendar policy is its last entry: wait until it has come down to both townships.
    std::size_t rootEntries = 0;
    for (const auto& [origin, bytes] : federation->demo().decisions()) rootEntries += origin == originOf(ROOT);
    for (const std::string& code : {XINZHOU_TOWNSHIP, TACHENG_TOWNSHIP})
      ASSERT_TRUE(waitUntil(
          [&] {
            auto held = federation->node(code).heldLog(originOf(ROOT));
            return held && held->value("size", std::size_t{0}) == rootEntries;
          },
          CONVERGENCE, code + " holds the whole root log"));

    application(XINZHOU_TOWNSHIP, REVIEWED, T);
    application(XINZHOU_TOWNSHIP, FORGED, T + 10);
    application(XINZHOU_TOWNSHIP, HIDDEN, T + 20);
    application(TACHENG_TOWNSHIP, TACHENG, T + 30);
    application(XINZHOU_TOWNSHIP, MIDDLE, T + 40);
    preliminaryReview(XINZHOU_TOWNSHIP, REVIEWED, T + 60);
    preliminaryReview(XINZHOU_TOWNSHIP, HIDDEN, T + 70);
    preliminaryReview(TACHENG_TOWNSHIP, TACHENG, T + 80);
    submit(XINZHOU_COUNTY, "140902-culture", T + 120, [](schema::Body::Builder body) {
      auto f = body.initJointReviewFinding();
      f.setSubject(REVIEWED);
      f.setDepartment("culture");
      f.setOutcome(schema::ReviewOutcome::PASS);
    });
    // Everything is filed up to the root before the tests ask.
    for (const auto& [subject, decisions] : std::map<std::string, std::size_t>{{REVIEWED, 3}, {FORGED, 1}, {HIDDEN, 2}, {MIDDLE, 1}})
      ASSERT_TRUE(waitUntil(
          [&, subject = subject, decisions = decisions] {
            auto r = federation->node(ROOT).get("/v1/subject?id=" + subject);
            return r.status == 200 && r.json()["decisions"].size() == decisions;
          },
          CONVERGENCE, "the root holds the decisions about " + subject));
  }

  static void TearDownTestSuite() {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
    federation.reset();
    proxy.reset();
    uplink.reset();
  }

  void TearDown() override {
    proxy->setHook(passThrough);
    uplink->setHook(passThrough);
  }

  // throughProxy puts a man in the middle of the session of the node `code` with its parent: it
  // rewrites the node's config (not started yet) to connect to the proxy instead.
  static std::unique_ptr<PeerProxy> throughProxy(const std::string& code, const std::string& parent) {
    auto p = std::make_unique<PeerProxy>(checkpointKey(parent), checkpointKey(code),
                                         federation->node(parent).peerPort());
    NodeProcess& node = federation->node(code);
    std::string config = readText(node.configFile());
    std::string address = "address = \"127.0.0.1:" + std::to_string(federation->node(parent).peerPort()) + "\"";
    auto at = config.find(address);
    if (at == std::string::npos) throw std::runtime_error("no parent address in " + config);
    config.replace(at, address.size(), "address = \"127.0.0.1:" + std::to_string(p->port()) + "\"");
    writeText(node.configFile(), config);
    return p;
  }

  // submit has the demo official `who` sign a decision and appends it at the node `code`.
  static void submit(const std::string& code, const std::string& who, Timestamp at, const log::FillBody& fill) {
    auto key = federation->demo().key("official-" + who + ".key");
    Bytes decision = log::signedDecision(originOf(code), at, fill, {&key});
    ASSERT_TRUE(federation->submitUntilAccepted(originOf(code), decision));
  }
  static void application(const std::string& code, const std::string& subject, Timestamp at) {
    submit(code, code + "-culture", at, [&](schema::Body::Builder body) {
      auto a = body.initApplication();
      a.setSubject(subject);
      a.setLevel(schema::Level::COUNTY);
      a.initFacts().setName("剪纸传习工坊 " + subject);
      a.setReceivedAt(at);
    });
  }
  static void preliminaryReview(const std::string& code, const std::string& subject, Timestamp at) {
    submit(code, code + "-culture", at, [&](schema::Body::Builder body) {
      auto r = body.initPreliminaryReview();
      r.setSubject(subject);
      r.setOutcome(schema::ReviewOutcome::PASS);
      r.setSiteInspected(true);
    });
  }

  // ask is GET /v1/subject at the Tacheng township.
  static Response ask(const std::string& subject) {
    return federation->node(TACHENG_TOWNSHIP).get("/v1/subject?id=" + subject);
  }
  static std::string tachengTownshipApi() {
    return "127.0.0.1:" + std::to_string(federation->node(TACHENG_TOWNSHIP).apiPort());
  }

  static inline std::unique_ptr<Federation> federation;
  static inline std::unique_ptr<PeerProxy> proxy;   // between the Tacheng township and its county
  static inline std::unique_ptr<PeerProxy> uplink;  // between the Tacheng county and its prefecture
  const trust::TrustAnchor root = cli::DemoFederation(demoDir()).root();
};

TEST_F(Routing, ATachengTownshipGetsAXinzhouWorkshopsProofThroughTheRootCheckedAtEveryHop) {
  auto r = ask(REVIEWED);
  ASSERT_EQ(r.status, 200) << r.describe();
  json answer = r.json();
  EXPECT_EQ(answer["route"], routeUpTo({TACHENG_TOWNSHIP, TACHENG_COUNTY, "6542", "65", ROOT}))
      << "no node of Xinjiang holds Xinzhou's logs; the root's node holds every filed log";
  EXPECT_EQ(answer["answeredBy"], originOf(ROOT));
  EXPECT_EQ(answer["cached"], false);
  EXPECT_TRUE(answer["stale"].is_null()) << answer["stale"];
  ASSERT_TRUE(answer["asOf"].is_number()) << "the township's log is cosigned by its county and above";
  // Each node's clock starts at DEMO_CLOCK_START when its process starts, parents first: the
  // township's runs a few seconds behind its cosigners', and the age may come out that much below 0.
  EXPECT_GE(answer["ageSeconds"].get<Timestamp>(), -10);

  // The answer is the bundle of docs/formats.md: anyone checks it from the trust root alone.
  auto bundle = rules::subjectBundleFromJson(r.body);
  ASSERT_TRUE(bundle) << bundle.error().detail;
  ASSERT_EQ(bundle.value().decisions.size(), 3u);
  auto report = rules::checkSubject(root, bundle.value(), T + 3600);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report.value().status.stage, rules::Stage::JOINT_REVIEW);
  std::optional<Timestamp> witnessed;
  for (const rules::ProvenLog& l : report.value().logs)
    if (l.checkpoint.origin == originOf(XINZHOU_TOWNSHIP) || l.checkpoint.origin == originOf(XINZHOU_COUNTY))
      witnessed = witnessed ? std::min(*witnessed, l.newestCosignature) : l.newestCosignature;
  EXPECT_EQ(answer["asOf"].get<Timestamp>(), witnessed) << "the older of the two logs' newest cosignatures";

  // Asked again, the township answers from its cache, with the same route and the same asOf.
  auto again = ask(REVIEWED);
  ASSERT_EQ(again.status, 200) << again.describe();
  EXPECT_EQ(again.json()["cached"], true);
  EXPECT_EQ(again.json()["cachedBy"], originOf(TACHENG_TOWNSHIP));
  EXPECT_EQ(again.json()["route"], answer["route"]);
  EXPECT_EQ(again.json()["asOf"], answer["asOf"]);

  // An official in Tacheng asks with hreg, through the township's node.
  Cli cli;
  std::string trust = (demoDir() / "trust-root.toml").string();
  auto status = cli.run({"status", REVIEWED, "--node", tachengTownshipApi(), "--trust", trust});
  ASSERT_EQ(status.exitCode, 0) << status.err << status.out;
  EXPECT_NE(status.out.find("stage        joint-review"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("answered by  hreg.example/root"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("route        hreg.example/654201001 -> hreg.example/654201 -> hreg.example/6542 -> "
                            "hreg.example/65 -> hreg.example/root"),
            std::string::npos)
      << status.out;
  auto asJson = cli.run({"status", REVIEWED, "--node", tachengTownshipApi(), "--trust", trust, "--json"});
  ASSERT_EQ(asJson.exitCode, 0) << asJson.err << asJson.out;
  EXPECT_EQ(asJson.json()["stage"], "joint-review");
  EXPECT_EQ(asJson.json()["route"], answer["route"]);

  // A workshop nobody recorded: the root's node says so, and the answer comes back down.
  auto unknown = ask("140902001-W-9999");
  EXPECT_EQ(unknown.status, 404) << unknown.describe();
  EXPECT_EQ(unknown.reason(), "index-out-of-range");
  EXPECT_EQ(unknown.json()["route"], routeUpTo({TACHENG_TOWNSHIP, TACHENG_COUNTY, "6542", "65", ROOT}));
}

TEST_F(Routing, AForgedAnswerFromTheParentIsRefusedNamingItAndNothingOfItIsKept) {
  // The "parent" turns the paper-cutting workshop into an embroidery one on its way to the township.
  auto forged = std::make_shared<std::optional<rules::SubjectBundle>>();
  proxy->setHook(changingAnswersAbout(FORGED, [forged](rules::SubjectBundle& bundle) {
    forgeName(bundle);
    *forged = bundle;
  }));
  auto r = ask(FORGED);
  EXPECT_EQ(r.status, 502) << r.describe();
  json error = r.json()["error"];
  ASSERT_TRUE(forged->has_value()) << "the proxy saw the answer";
  auto expected = rules::checkSubject(root, forged->value(), T + 3600);
  ASSERT_FALSE(expected);
  EXPECT_EQ(error.value("reason", ""), reasonName(expected.error().reason))
      << "the refusal rules::checkSubject gives the forged bundle: " << r.body;
  EXPECT_EQ(error["from"], originOf(TACHENG_COUNTY)) << r.body;
  EXPECT_NE(error.value("detail", "").find("the answer hreg.example/654201 sent"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("\"logs\""), std::string::npos) << "nothing of the forged bundle is shown: " << r.body;

  // The township kept nothing of it: with an honest parent again, the genuine answer comes, from the
  // cache of the county, which had checked it before the man in the middle changed it.
  proxy->setHook(passThrough);
  auto honest = ask(FORGED);
  ASSERT_EQ(honest.status, 200) << honest.describe();
  EXPECT_EQ(honest.json()["cachedBy"], originOf(TACHENG_COUNTY)) << honest.body.substr(honest.body.find("\"route\""));
  auto bundle = rules::subjectBundleFromJson(honest.body);
  ASSERT_TRUE(bundle);
  EXPECT_TRUE(rules::checkSubject(root, bundle.value(), T + 3600));
}

TEST_F(Routing, ANodeInTheMiddleChecksWhatItForwardsAndPassesOnOnlyTheRefusal) {
  // The prefecture's answer is altered on its way to the Tacheng county, which checks it and refuses.
  uplink->setHook(changingAnswersAbout(MIDDLE, forgeName));
  auto r = ask(MIDDLE);
  EXPECT_EQ(r.status, 502) << r.describe();
  json error = r.json()["error"];
  EXPECT_NE(error.value("reason", ""), "") << r.body;
  EXPECT_EQ(error["from"], originOf(TACHENG_COUNTY)) << "the township's parent refused: " << r.body;
  EXPECT_NE(error.value("detail", "").find("the answer hreg.example/6542 sent"), std::string::npos)
      << "naming the node whose answer did not hold: " << r.body;
  EXPECT_EQ(r.body.find("\"logs\""), std::string::npos) << r.body;
}

TEST_F(Routing, AGenuineAnswerThatLeavesADecisionOutIsRefusedAsSubjectMismatch) {
  // Every signature and proof still holds; the preliminary review is only no longer listed.
  proxy->setHook(changingAnswersAbout(HIDDEN, [](rules::SubjectBundle& bundle) {
    ASSERT_EQ(bundle.decisions.size(), 2u);
    bundle.decisions.pop_back();
  }));
  auto r = ask(HIDDEN);
  EXPECT_EQ(r.status, 502) << r.describe();
  EXPECT_EQ(r.reason(), "subject-mismatch") << r.body;
  EXPECT_EQ(r.json()["error"]["from"], originOf(TACHENG_COUNTY)) << r.body;

  // hreg, asking through the township, gets the refusal, not a status.
  Cli cli;
  auto status = cli.run({"status", HIDDEN, "--node", tachengTownshipApi(), "--trust",
                         (demoDir() / "trust-root.toml").string(), "--json"});
  EXPECT_NE(status.exitCode, 0) << status.out;
  EXPECT_NE(status.out.find("subject-mismatch"), std::string::npos) << status.out << status.err;
}

TEST_F(Routing, AnAnswerThatHidesADecisionWhollyIsRefusedAsIncomplete) {
  // The decision is taken out of the list and out of its log's extract: every signature, every
  // inclusion proof and the list still agree. Only the log's subject map, which its checkpoint
  // signs and its parent cosigned, still counts the hidden decision.
  proxy->setHook(changingAnswersAbout(HIDDEN, [](rules::SubjectBundle& bundle) {
    ASSERT_EQ(bundle.decisions.size(), 2u);
    rules::Position hidden = bundle.decisions.back();
    bundle.decisions.pop_back();
    for (trust::LogExtract& log : bundle.logs)
      if (log.origin == hidden.origin)
        std::erase_if(log.entries, [&](const trust::ProvenEntry& e) { return e.index == hidden.index; });
  }));
  auto r = ask(HIDDEN);
  EXPECT_EQ(r.status, 502) << r.describe();
  EXPECT_EQ(r.reason(), "incomplete") << r.body;
  EXPECT_NE(r.json()["error"].value("detail", "").find("leaves decisions out"), std::string::npos) << r.body;
  EXPECT_EQ(r.json()["error"]["from"], originOf(TACHENG_COUNTY)) << r.body;
}

TEST_F(Routing, AReplicaBehindWhatTheParentAnnouncedSaysHowStaleItIs) {
  // The county's entries stop reaching the township (its Heads still come), and the parent cannot
  // answer lookups: the township answers about its own workshop from its copies, and says how stale.
  auto countyHolds = federation->node(TACHENG_COUNTY).heldLog(originOf(TACHENG_COUNTY));
  ASSERT_TRUE(countyHolds);
  const std::uint64_t held = countyHolds->value("size", std::uint64_t{0});
  ASSERT_TRUE(waitUntil(
      [&] {
        auto copy = federation->node(TACHENG_TOWNSHIP).heldLog(originOf(TACHENG_COUNTY));
        return copy && copy->value("size", std::uint64_t{0}) == held;
      },
      CONVERGENCE, "the township holds the whole county log"));
  proxy->setHook([](Toward toward, schema::wire::Frame::Reader frame, const Bytes& bytes) -> Relay {
    if (toward == Toward::CHILD && frame.isEntries() &&
        std::string(frame.getEntries().getOrigin().cStr()) == originOf(TACHENG_COUNTY))
      return Relay{std::nullopt, {}};
    if (toward == Toward::PARENT && frame.isSubjectQuery())
      return Relay{std::nullopt, {refusedAnswer(frame.getSubjectQuery(), "unavailable",
                                                "hreg.example/654201 cannot reach its parent")}};
    return Relay{bytes, {}};
  });
  submit(TACHENG_COUNTY, "654201-culture", T + 150, [](schema::Body::Builder body) {
    auto f = body.initJointReviewFinding();
    f.setSubject(TACHENG);
    f.setDepartment("culture");
    f.setOutcome(schema::ReviewOutcome::PASS);
  });

  Response r;
  json stale;
  ASSERT_TRUE(waitUntil(
      [&] {
        r = ask(TACHENG);
        stale = r.status == 200 ? r.json()["stale"] : json();
        return stale.is_object();
      },
      CONVERGENCE, "the township knows its copy of the county's log is behind", [&] { return r.describe(); }));
  json answer = r.json();
  EXPECT_EQ(answer["route"], routeUpTo({TACHENG_TOWNSHIP})) << "made from the township's own copies";
  EXPECT_EQ(answer["decisions"].size(), 2u) << "the county's finding has not reached the township";
  ASSERT_EQ(stale["lags"].size(), 1u) << stale;
  EXPECT_EQ(stale["lags"][0]["origin"], originOf(TACHENG_COUNTY));
  EXPECT_EQ(stale["lags"][0]["held"], held);
  EXPECT_EQ(stale["lags"][0]["announced"], held + 1);
  EXPECT_EQ(stale["lags"][0]["behind"], 1);
  EXPECT_GE(stale["lags"][0]["secondsBehind"].get<Timestamp>(), 0);
  EXPECT_NE(stale.value("detail", "").find("cannot reach its parent"), std::string::npos) << stale;
  auto bundle = rules::subjectBundleFromJson(r.body);
  ASSERT_TRUE(bundle);
  EXPECT_TRUE(rules::checkSubject(root, bundle.value(), T + 3600)) << "stale, but what it shows is proven";

  Cli cli;
  auto status = cli.run({"status", TACHENG, "--node", tachengTownshipApi(), "--trust",
                         (demoDir() / "trust-root.toml").string()});
  ASSERT_EQ(status.exitCode, 0) << status.err << status.out;
  EXPECT_NE(status.out.find("STALE        hreg.example/654201001's copy of hreg.example/654201 holds " +
                            std::to_string(held) + " entries, 1 behind"),
            std::string::npos)
      << status.out;

  // The parent honest again (and the session anew): the township catches up and is fresh.
  proxy->setHook(passThrough);
  proxy->disconnect();
  ASSERT_TRUE(waitUntil(
      [&] {
        r = ask(TACHENG);
        return r.status == 200 && r.json()["stale"].is_null() && r.json()["decisions"].size() == 3;
      },
      CONVERGENCE, "the township holds the county's finding", [&] { return r.describe(); }));
}

}  // namespace
}  // namespace hreg::testing
