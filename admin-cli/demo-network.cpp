// `hreg demo`: the README's first command. The demo federation (configs/demo: two provinces, each
// province -> prefecture -> county -> township, under one root) runs as real hreg-node processes on
// loopback; officials then use the hreg commands exactly as docs/user-guide.md shows, each one run as
// its own process and echoed ("$ hreg ..."), with the demo's published keys sealed in keystores:
//   1. a Xinzhou paper-cutting workshop goes through the procedure of 000 §2(5): application and
//      preliminary review at the township, six departments' findings and the joint review result at
//      the county (five signatures are not enough, the sixth is added), the notice, its working-day
//      deadline over the National Day holiday, and the certification;
//   2. a Tacheng workshop brought in from the former scheme goes through a revocation with an appeal;
//   3. an official in Tacheng asks for the Xinzhou workshop's proof bundle and checks it offline
//      against the trust root; a tampered copy is refused;
// then every node is stopped cleanly. Every step must end as the story says, or the demo fails.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <functional>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "admin-cli/commands.h"
#include "admin-cli/decision-file.h"
#include "admin-cli/federation-runner.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "ledger/rules/calendar.h"
#include "ledger/rules/date.h"
#include "ledger/rules/office-policy.h"

extern char** environ;

namespace hreg::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// CLOCK_START is the demo's "today", 2026-11-16 10:00 in Beijing (02:00 UTC), when the Tacheng official
// checks the Xinzhou workshop. The nodes share one clock the demo moves (FederationRunner::setClock),
// so the story's dates, deadlines and holidays come out the same on every run and every machine.
constexpr Timestamp CLOCK_START = 1'794'794'400;
// DEMO_DECISIONS_AT is when the demo federation's charters and grants reach their logs: five minutes
// after they were dated (2026-01-01T00:00Z; admin-cli/demo-federation.cpp). The clock then follows
// the story, each decision sequenced ten minutes after it was made.
constexpr Timestamp DEMO_DECISIONS_AT = 1'767'225'900;
// PASSPHRASE seals the demo's keystores (DEMO ONLY: printed here on purpose).
constexpr const char* PASSPHRASE = "demo passphrase";

const std::string XINZHOU_WORKSHOP = "140902001-W-0001";
const std::string TACHENG_WORKSHOP = "654201-W-0001";

struct DemoOptions {
  std::string configs = "configs/demo";
  std::string workDir;     // default: a new directory under the system's temporary directory
  std::string nodeBinary;  // default: hreg-node beside hreg, or in the build tree
  bool keep = false;
};

// findNodeBinary: hreg-node beside this hreg, in the build tree's node/ next to admin-cli/, or on PATH.
fs::path findNodeBinary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate : {self.parent_path() / "hreg-node", self.parent_path().parent_path() / "node" / "hreg-node"})
      if (fs::exists(candidate, ec)) return candidate;
  }
  if (const char* path = std::getenv("PATH")) {
    std::string dirs = path;
    for (std::size_t start = 0; start <= dirs.size();) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      fs::path candidate = fs::path(dirs.substr(start, end - start)) / "hreg-node";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      start = end + 1;
    }
  }
  throw tlog::UsageError("cannot find hreg-node (beside hreg, in the build tree, or on PATH); pass --node-binary");
}

// Ran is one hreg command's outcome.
struct Ran {
  int exitCode = -1;
  std::string output;  // stdout and stderr, interleaved as written
  [[nodiscard]] json parsed() const {
    auto j = json::parse(output, nullptr, false);
    return j.is_discarded() ? json() : j;
  }
};

// Story runs the demo: the federation, the officials' commands, and the narration.
class Story {
 public:
  Story(const DemoOptions& options, fs::path work)
      : configs_(fs::absolute(options.configs)), work_(std::move(work)) {
    fs::create_directories(work_ / "keys");
  }

  void run(FederationRunner& federation) {
    federation_ = &federation;
    chapter("1. The federation: nine offices on this machine");
    fmt::print("   Root, then 山西省 14 -> 忻州市 1409 -> 忻府区 140902 -> 秀容街道 140902001,\n"
               "   and 新疆维吾尔自治区 65 -> 塔城地区 6542 -> 塔城市 654201 -> 和平街道 654201001.\n"
               "   Each runs hreg-node with its own LMDB log; children replicate up for filing (备案),\n"
               "   parents' policy comes down. The nodes share a clock the demo moves along with its story,\n"
               "   from 1 January 2026 to 16 November 2026.\n");
    federation.start();
    fmt::print("   The leaders' charters and grants, and the national working-day calendars, go in first:\n");
    federation.seed();
    fmt::print("   ... {} decisions appended.\n\n", federation.demo().decisions().size());
    importKeys();
    tachengImport();
    xinzhou();
    tachengRevocation();
    federation.setClock(CLOCK_START);
    acrossTheCountry();
  }

 private:
  // ---- narration and commands ----
  void chapter(const std::string& title) { fmt::print("\n== {} ==\n", title); }
  void say(const std::string& text) { fmt::print("\n   {}\n", text); }

  // Echo says how much of a command the reader sees: all its output, the command and the line that
  // matters (what `sign` did and what is still missing, the first line, or the first fields of a
  // --json answer: briefJson), or nothing.
  enum class Echo { FULL, BRIEF, NONE };

  // BRIEF_JSON_WIDTH is how wide briefJson's line may grow before it stops adding fields.
  static constexpr std::size_t BRIEF_JSON_WIDTH = 100;

  // briefJson is one line of a --json answer for Echo::BRIEF: its first one-line fields in the order
  // printed, as long as they fit BRIEF_JSON_WIDTH, then "..." for the rest; nothing when `output` is
  // not a JSON object.
  static std::optional<std::string> briefJson(const std::string& output) {
    auto answer = nlohmann::ordered_json::parse(output, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) return std::nullopt;
    std::string line;
    bool all = true;
    for (const auto& [key, value] : answer.items()) {
      std::string field = fmt::format("\"{}\": {}", key, value.dump());
      bool oneLine = !value.is_structured() && field.find("\\n") == std::string::npos;
      if (!oneLine || line.size() + field.size() + 2 > BRIEF_JSON_WIDTH) {
        all = false;
        break;
      }
      line += (line.empty() ? "" : ", ") + field;
    }
    return fmt::format("{{{}{}}}", line, all ? "" : ", ...");
  }

  // hreg runs `hreg ARGS` in the work directory as its own process, echoes the command and its output,
  // and requires the exit code `expect`.
  Ran hreg(const std::vector<std::string>& args, Echo echo = Echo::FULL, int expect = EXIT_OK) {
    std::string line = "$ hreg";
    for (const std::string& a : args) line += " " + (a.find_first_of(" {}\"[]") == std::string::npos ? a : "'" + a + "'");
    if (echo != Echo::NONE) fmt::print("{}\n", line);
    std::fflush(stdout);
    Ran ran = runSelf(args);
    if (echo != Echo::NONE) {
      std::vector<std::string_view> lines;
      for (std::size_t start = 0; start < ran.output.size();) {
        std::size_t end = ran.output.find('\n', start);
        if (end == std::string::npos) end = ran.output.size();
        lines.push_back(std::string_view(ran.output).substr(start, end - start));
        start = end + 1;
      }
      std::size_t from = 0, to = lines.size();
      std::optional<std::string> brief = echo == Echo::BRIEF ? briefJson(ran.output) : std::nullopt;
      if (brief) {
        fmt::print("    {}\n", *brief);
        to = 0;
      } else if (echo == Echo::BRIEF) {
        to = std::min<std::size_t>(1, lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i)
          if (lines[i].starts_with("signed ") && lines[i].find(" as ") != std::string_view::npos) from = i, to = lines.size();
      }
      for (std::size_t i = from; i < to; ++i) fmt::print("    {}\n", lines[i]);
    }
    if (ran.exitCode != expect)
      fail(fmt::format("the demo expected `{}` to exit {}, it exited {}:\n{}", line.substr(2), expect, ran.exitCode,
                       ran.output));
    return ran;
  }

  Ran runSelf(const std::vector<std::string>& args) {
    std::vector<std::string> argvText{"/proc/self/exe"};
    argvText.insert(argvText.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argvText) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envText;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string_view v(*e);
      if (v.starts_with("HREG_PASSPHRASE=") || v.starts_with("HREG_TRUST=") || v.starts_with("HREG_NODE=")) continue;
      envText.emplace_back(v);
    }
    envText.push_back(std::string("HREG_PASSPHRASE=") + PASSPHRASE);
    envText.push_back("HREG_TRUST=" + (configs_ / "trust-root.toml").string());
    std::vector<char*> envp;
    for (std::string& e : envText) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string dir = work_.string();

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) fail(fmt::format("pipe: {}", std::strerror(errno)));
    pid_t pid = ::fork();
    if (pid < 0) fail(fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
      int in = ::open("/dev/null", O_RDONLY);
      if (in < 0 || ::chdir(dir.c_str()) != 0) ::_exit(127);
      ::dup2(in, 0);
      ::dup2(pipeFds[1], 1);
      ::dup2(pipeFds[1], 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(pipeFds[1]);
    Ran ran;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      ran.output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipeFds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    ran.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    while (!ran.output.empty() && ran.output.back() == '\n') ran.output.pop_back();
    return ran;
  }

  // ---- helpers for the officials' steps ----
  std::string node(const std::string& code) { return federation_->apiEndpoint(code); }
  static std::string origin(const std::string& code) { return "hreg.example/" + code; }
  static std::string key(const std::string& who) { return "keys/" + who + ".key"; }

  // submit sends a decision file at the date it was made, and returns its entry reference {origin,
  // index, leafHash}, as `hreg submit --json` gives it once it has checked the node's receipt (the
  // inclusion proof, and the entry read back: the decision sent, at that index, with that leaf hash).
  json submit(const std::string& file, const std::string& code, Echo echo) {
    advanceTo(file);
    Ran ran = hreg({"submit", file, "--node", node(code), "--json"}, echo);
    json receipt = ran.parsed();
    if (!receipt.is_object() || receipt.value("origin", "") != origin(code) || !receipt["index"].is_number_unsigned() ||
        !receipt["leafHash"].is_string() || !receipt.value("proofChecked", false) ||
        !receipt.value("entryChecked", false))
      fail(fmt::format("`hreg submit {} --json` did not give a checked entry of {}:\n{}", file, origin(code),
                       ran.output));
    return {{"origin", receipt["origin"]}, {"index", receipt["index"]}, {"leafHash", receipt["leafHash"]}};
  }

  // advanceTo moves the federation's clock to ten minutes after the decision in `file` was made, as
  // if the official walked it to the office's terminal: the node sequences it on the day it is dated.
  void advanceTo(const std::string& file) {
    auto decision = readDecisionFile(work_ / file);
    if (!decision) fail(decision.error().detail);
    Timestamp made = decision.value().decision.reader().getDecision().getHeader().getTime();
    if (made + 600 > federation_->clock()) federation_->setClock(made + 600);
  }

  static std::string setJson(const std::string& field, const json& value) { return field + "=" + value.dump(); }

  void importKeys() {
    chapter("2. Officials' keys");
    say("Each official keeps an Ed25519 key sealed with a passphrase (Argon2id, XChaCha20-Poly1305).\n"
        "   The demo imports its published DEMO seeds; a real official runs `hreg keygen`.");
    const std::vector<std::pair<std::string, std::string>> officials = {
        {"140902001-culture", "秀容街道 culture 李文"}, {"140902-culture", "忻府区 culture 王芳"},
        {"140902-hrss", "忻府区 hrss 赵强"},            {"140902-rural", "忻府区 rural 刘洋"},
        {"140902-finance", "忻府区 finance 陈静"},      {"140902-market", "忻府区 market 杨帆"},
        {"140902-land", "忻府区 land 黄磊"},            {"654201-culture", "塔城市 culture 阿依古丽"},
        {"654201-hrss", "塔城市 hrss 马明"},            {"654201-rural", "塔城市 rural 努尔兰"}};
    bool first = true;
    for (const auto& [who, label] : officials) {
      hreg({"key", "import", "--seed-file", (configs_ / "keys" / ("official-" + who + ".key")).string(), "-o",
            key(who), "--label", label},
           first ? Echo::BRIEF : Echo::NONE);
      first = false;
    }
    fmt::print("   ... and {} more keys the same way.\n", officials.size() - 1);
    hreg({"key", "show", key("140902-culture")});
    say("Signing happens offline, so each office keeps the list of its colleagues' keys from its node\n"
        "   (the grants its leaders signed); `hreg show` and `hreg sign` name the signers from it:");
    for (const std::string code : {"654201", "140902", "140902001"})
      hreg({"officials", "--node", node(code), "-o", officialsFile(code)}, code == "654201" ? Echo::FULL : Echo::NONE);
    fmt::print("   ... and the same for 忻府区 140902 and 秀容街道 140902001.\n");
  }

  static std::string officialsFile(const std::string& code) { return "officials-" + code + ".json"; }

  // officePolicy is the policy in force at `code`'s office as its officials file records it (saved
  // by `hreg officials -o` in chapter 2): the periods in working days and the calendar to count them
  // on, which `hreg show` counts a decision's deadlines by.
  rules::OfficePolicy officePolicy(const std::string& code) {
    const fs::path file = work_ / officialsFile(code);
    std::ifstream in(file);
    json saved = json::parse(in, nullptr, false);
    if (!saved.is_object() || !saved.contains("policy"))
      fail(fmt::format("{} holds no office policy (\"policy\")", file.string()));
    auto policy = rules::officePolicyFromJson(saved["policy"]);
    if (!policy) fail(fmt::format("{}: {}", file.string(), policy.error().detail));
    return std::move(policy).value();
  }

  // workingDays is the period `setting` ("notice.working-days") of an office's policy.
  static int workingDays(const rules::OfficePolicy& policy, const std::string& setting) {
    auto found = policy.periods.find(setting);
    if (found == policy.periods.end()) fail(fmt::format("the policy {} has no {}", policy.version, setting));
    return static_cast<int>(found->second);
  }

  // sign has `who` ("140902-culture") sign `file` with the office's list of officials.
  void sign(const std::string& file, const std::string& who, Echo echo = Echo::BRIEF) {
    std::string code = who.substr(0, who.find('-'));
    hreg({"sign", file, "--key", key(who), "--officials", officialsFile(code), "--yes"}, echo);
  }

  // ---- Xinzhou ----
  void xinzhou() {
    chapter("4. Xinzhou, September: a paper-cutting workshop is certified (000 §2(5))");
    const std::string township = "140902001", county = "140902";
    say("The township's culture clerk receives the application and drafts it from a form (application.toml):");
    std::ofstream(work_ / "application.toml") << "level = \"county\"\nreceivedAt = \"2026-09-14T09:30\"\n\n"
                                                 "[facts]\nname = \"忻府区秀容剪纸传习工坊\"\n"
                                                 "address = \"山西省忻州市忻府区秀容街道北关村\"\n"
                                                 "mainBusiness = \"剪纸制作、培训与销售\"\n"
                                                 "siteArea = 1200\nemployees = 12\npovertyAlleviatedEmployees = 5\n"
                                                 "legalRepresentative = \"张秀英\"\n"
                                                 "crafts = [\"忻州剪纸\"]\n";
    hreg({"draft", "application", "--log", origin(township), "--subject", XINZHOU_WORKSHOP, "--from",
          "application.toml", "--time", "2026-09-14T09:30", "-o", "application.decision"},
         Echo::BRIEF);
    sign("application.decision", "140902001-culture");
    json application = submit("application.decision", township, Echo::BRIEF);

    say("Two days later the township inspects the site and passes the preliminary review:");
    hreg({"draft", "preliminary-review", "--log", origin(township), "--subject", XINZHOU_WORKSHOP, "--set",
          "outcome=pass", "--set", "siteInspected=true", "--set", "inspectedAt=2026-09-15T15:00", "--set",
          setJson("application", application), "--time", "2026-09-16T10:00", "-o", "preliminary.decision"},
         Echo::BRIEF);
    sign("preliminary.decision", "140902001-culture");
    json preliminary = submit("preliminary.decision", township, Echo::BRIEF);

    say("The township's log replicates up to the county, which now holds the application:");
    federation_->waitReplicated(county, origin(township), preliminary["index"].get<std::uint64_t>() + 1);
    fmt::print("   {} holds {} entries of {}.\n", origin(county),
               federation_->sizeHeld(county, origin(township)), origin(township));

    say("Joint review at the county: each of six departments records its finding, signed by its reviewer.");
    json findings = json::array();
    int day = 21;
    for (const std::string department : {"culture", "hrss", "rural", "finance", "market", "land"}) {
      std::string file = "finding-" + department + ".decision";
      Echo echo = department == "culture" ? Echo::BRIEF : Echo::NONE;
      hreg({"draft", "joint-review-finding", "--log", origin(county), "--subject", XINZHOU_WORKSHOP, "--set",
            "department=" + department, "--set", "outcome=pass", "--set", setJson("reviewed", preliminary), "--time",
            fmt::format("2026-09-{}T10:00", day), "-o", file},
           echo);
      sign(file, "140902-" + department, echo);
      findings.push_back(submit(file, county, echo));
      if (department == "hrss") ++day;
    }
    fmt::print("   ... hrss, rural, finance, market and land the same way.\n");

    say("The joint review result needs a reviewer of every one of the six departments. The file passes\n"
        "   from office to office with no network; five have signed when it is first submitted:");
    hreg({"draft", "joint-review-result", "--log", origin(county), "--subject", XINZHOU_WORKSHOP, "--set",
          "outcome=pass", "--set", setJson("findings", findings), "--time", "2026-09-24T16:00", "-o",
          "joint-review.decision"},
         Echo::BRIEF);
    for (const std::string department : {"culture", "hrss", "rural", "finance", "market"})
      sign("joint-review.decision", "140902-" + department, department == "market" ? Echo::BRIEF : Echo::NONE);
    advanceTo("joint-review.decision");
    hreg({"submit", "joint-review.decision", "--node", node(county)}, Echo::FULL, EXIT_REFUSED);
    say("Refused, and the file is kept. `hreg show` says who signed and what is missing:");
    hreg({"show", "joint-review.decision", "--officials", officialsFile(county)});
    say("The land official signs, and the result goes in:");
    sign("joint-review.decision", "140902-land");
    json jointReview = submit("joint-review.decision", county, Echo::BRIEF);

    say("The county publishes the notice (公示) on Monday 28 September:");
    hreg({"draft", "notice", "--log", origin(county), "--set", setJson("subjects", json::array({XINZHOU_WORKSHOP})),
          "--set", "level=county", "--set", "publishedAt=2026-09-28T09:00", "--set",
          "url=https://www.sxxf.gov.cn/gs/2026-0928", "--set", setJson("basis", json::array({jointReview})),
          "--time", "2026-09-28T09:00", "-o", "notice.decision"},
         Echo::BRIEF);
    sign("notice.decision", "140902-culture");
    json notice = submit("notice.decision", county, Echo::BRIEF);

    // The notice's close, counted as `hreg show` counts it: on the periods and calendar of the policy
    // in force at the county, as its officials file records it.
    const rules::OfficePolicy policy = officePolicy(county);
    const int noticeDays = workingDays(policy, "notice.working-days");
    rules::Deadline closes = policy.calendar.deadlineAfter(publishedAt("notice.decision"), noticeDays);
    rules::Date certifiedOn = rules::addDays(closes.lastDay, 1);
    while (!policy.calendar.isWorkingDay(certifiedOn).working) certifiedOn = rules::addDays(certifiedOn, 1);
    say(fmt::format("The notice runs {} working days, as the county's policy ({}) sets. Counted on the\n"
                    "   State Council's 2026 calendar, the National Day holiday (1–7 October) does not count\n"
                    "   and Saturday 10 October (a make-up working day) does:\n"
                    "   the notice closes at the end of {}. No objection came in; the workshop is certified\n"
                    "   on {}. A certification before the close would be refused.",
                    noticeDays, policy.version, rules::formatDate(closes.lastDay), rules::formatDate(certifiedOn)));
    std::string when = rules::formatDate(certifiedOn) + "T10:00";
    hreg({"draft", "certification", "--log", origin(county), "--subject", XINZHOU_WORKSHOP, "--set", "level=county",
          "--set", "name=忻府区秀容剪纸传习工坊", "--set", "plaque=忻府非遗工坊-2026-001", "--set",
          setJson("notice", notice), "--time", when, "-o", "certification.decision"},
         Echo::BRIEF);
    sign("certification.decision", "140902-culture");
    submit("certification.decision", county, Echo::FULL);

    say("Anyone asks the county for the workshop's status; hreg checks the answer against the trust root\n"
        "   before it shows anything (ages are counted to this machine's real date):");
    hreg({"status", XINZHOU_WORKSHOP, "--node", node(county)});
    hreg({"history", XINZHOU_WORKSHOP, "--node", node(county)});
    say("A visitor who has only the plaque's number asks by it; hreg accepts the answer only if a proven\n"
        "   certification of the workshop gives that number:");
    hreg({"status", "--plaque", "忻府非遗工坊-2026-001", "--node", node(county)});
  }

  // publishedAt is when the notice in decision file `file` says it was published.
  Timestamp publishedAt(const std::string& file) {
    auto decision = readDecisionFile(work_ / file);
    if (!decision) fail(decision.error().detail);
    auto body = decision.value().decision.reader().getDecision().getBody();
    if (body.which() != schema::Body::NOTICE) fail(fmt::format("{} is not a notice", file));
    return body.getNotice().getPublishedAt();
  }

  // ---- Tacheng ----
  void tachengImport() {
    chapter("3. Tacheng, March: a former poverty-alleviation workshop joins the scheme");
    const std::string county = "654201";
    say("塔城市 brings a former poverty-alleviation workshop into the scheme (纳入). The culture official\n"
        "   drafts the decision; `hreg draft` shows every field as it will be signed:");
    hreg({"draft", "legacy-import", "--log", origin(county), "--subject", TACHENG_WORKSHOP, "--set", "level=county",
          "--set", "formerName=塔城市非遗扶贫就业工坊（刺绣）", "--set", "decision=塔市文旅〔2026〕3号", "--set",
          "facts.name=塔城市巴克图刺绣工坊", "--set", "facts.employees=9", "--set",
          "facts.povertyAlleviatedEmployees=6", "--set", "plaque=塔城非遗工坊-2026-007", "--time",
          "2026-03-02T11:00", "-o", "import.decision"});
    say("Culture and rural revitalization sign it, each on their own machine:");
    sign("import.decision", "654201-culture");
    sign("import.decision", "654201-rural");
    say("Submitted, the node checks every signature against the grants and the policy, appends it, and\n"
        "   answers with a signed checkpoint and an inclusion proof, which hreg checks. The demo asks for\n"
        "   --json: later decisions cite this entry by the origin, index and leaf hash it gives:");
    imported_ = submit("import.decision", county, Echo::FULL);
  }

  void tachengRevocation() {
    chapter("5. Tacheng, October: a revocation, an appeal, and its refusal (001 art. 10)");
    const std::string county = "654201";
    say("The workshop has stopped employing local workers (ground 3). Culture, HR&SS and rural propose\n"
        "   the revocation and serve it in writing on 19 October; the appeal window opens:");
    hreg({"draft", "revocation-proposal", "--log", origin(county), "--subject", TACHENG_WORKSHOP, "--set", "ground=3",
          "--set", "reasons=2026年第三季度起未带动当地就业", "--set", setJson("certification", imported_), "--set",
          "servedAt=2026-10-19T15:00", "--time", "2026-10-19T11:00", "-o", "proposal.decision"},
         Echo::BRIEF);
    for (const std::string department : {"culture", "hrss", "rural"})
      sign("proposal.decision", "654201-" + department, department == "rural" ? Echo::BRIEF : Echo::NONE);
    json proposal = submit("proposal.decision", county, Echo::BRIEF);

    const rules::OfficePolicy policy = officePolicy(county);
    say(fmt::format("The workshop appeals in writing two days later, within its {} working days:",
                    workingDays(policy, "appeal.working-days")));
    hreg({"draft", "appeal", "--log", origin(county), "--subject", TACHENG_WORKSHOP, "--set",
          setJson("proposal", proposal), "--set", "receivedAt=2026-10-21T10:00", "--set",
          "reasons=已恢复生产，新招聘本地绣娘4名", "--time", "2026-10-21T10:30", "-o", "appeal.decision"},
         Echo::BRIEF);
    sign("appeal.decision", "654201-culture");
    json appeal = submit("appeal.decision", county, Echo::BRIEF);

    say(fmt::format("The re-examination does not uphold it ({} working days allowed); the revocation becomes\n"
                    "   final. Each is signed by culture, HR&SS and rural:",
                    workingDays(policy, "appeal.review-working-days")));
    hreg({"draft", "appeal-decision", "--log", origin(county), "--subject", TACHENG_WORKSHOP, "--set",
          setJson("appeal", appeal), "--set", "upheld=false", "--set", "answer=经核查，新招聘人员尚未签订劳动合同",
          "--time", "2026-10-30T16:00", "-o", "appeal-decision.decision"},
         Echo::BRIEF);
    for (const std::string department : {"culture", "hrss", "rural"})
      sign("appeal-decision.decision", "654201-" + department, Echo::NONE);
    json appealDecision = submit("appeal-decision.decision", county, Echo::BRIEF);
    hreg({"draft", "revocation", "--log", origin(county), "--subject", TACHENG_WORKSHOP, "--set",
          setJson("proposal", proposal), "--set", setJson("appealDecision", appealDecision), "--set", "ground=3",
          "--set", "plaqueRecovered=true", "--time", "2026-11-02T10:00", "-o", "revocation.decision"},
         Echo::BRIEF);
    for (const std::string department : {"culture", "hrss", "rural"})
      sign("revocation.decision", "654201-" + department, Echo::NONE);
    submit("revocation.decision", county, Echo::BRIEF);
    hreg({"history", TACHENG_WORKSHOP, "--node", node(county)});
  }

  // ---- Across the country ----
  void acrossTheCountry() {
    chapter("6. November, from Tacheng, 3,000 km away: is the Xinzhou workshop really certified?");
    say("Every log is filed upward, so the federation root holds Xinzhou's. A Tacheng official asks it for\n"
        "   the workshop's proof bundle, then checks it offline against the trust root alone:");
    federation_->waitReplicated(ROOT_CODE, origin("140902"), federation_->sizeHeld("140902", origin("140902")));
    federation_->waitReplicated(ROOT_CODE, origin("140902001"), federation_->sizeHeld("140902001", origin("140902001")));
    const std::string trust = (configs_ / "trust-root.toml").string();
    hreg({"proof", XINZHOU_WORKSHOP, "--node", node(ROOT_CODE), "-o", "xinzhou-proof.json"});
    hreg({"verify", "xinzhou-proof.json", "--trust", trust});

    say("A copy altered on the way (one byte of the certification's entry) is refused:");
    tamper(work_ / "xinzhou-proof.json", work_ / "tampered-proof.json");
    hreg({"verify", "tampered-proof.json", "--trust", trust}, Echo::FULL, EXIT_REFUSED);

    say("A node that hides the Tacheng workshop's revocation (its entry and its listing both taken out,\n"
        "   so every signature and proof left still holds) is caught: the county's checkpoint signs its\n"
        "   subject map, which still counts the revocation, and its parent cosigned that map:");
    federation_->waitReplicated(ROOT_CODE, origin("654201"), federation_->sizeHeld("654201", origin("654201")));
    hreg({"proof", TACHENG_WORKSHOP, "--node", node(ROOT_CODE), "-o", "tacheng-proof.json"});
    hideNewest(work_ / "tacheng-proof.json", work_ / "hidden-revocation.json");
    hreg({"verify", "hidden-revocation.json", "--trust", trust}, Echo::FULL, EXIT_REFUSED);

    say("The plaque's QR code carries what a phone needs to fetch and check the bundle:");
    hreg({"qr", XINZHOU_WORKSHOP, "--node", node(ROOT_CODE), "--png", "plaque.png"});

    say("Replication health as the Xinzhou county's operator sees it:");
    hreg({"peers", "--node", node("140902")});
  }

  // tamper copies a proof bundle with one byte changed in the entry of its newest decision (the
  // certification), inside the part the officials signed.
  static void tamper(const fs::path& from, const fs::path& to) {
    std::ifstream in(from);
    json bundle = json::parse(in, nullptr, false);
    if (!bundle.is_object() || !bundle["decisions"].is_array() || bundle["decisions"].empty())
      fail(fmt::format("{} is not a proof bundle with decisions", from.string()));
    const json& newest = bundle["decisions"].back();
    for (json& log : bundle["logs"]) {
      if (log.value("origin", "") != newest.value("origin", "")) continue;
      for (json& entry : log["entries"]) {
        if (entry.value("index", std::uint64_t{0}) != newest.value("index", std::uint64_t{0})) continue;
        auto bytes = fromBase64(entry.value("entry", ""));
        if (!bytes || bytes->size() < 200) break;
        (*bytes)[bytes->size() / 2] ^= 0x01;
        entry["entry"] = toBase64(*bytes);
        std::ofstream(to) << bundle.dump(2) << "\n";
        return;
      }
    }
    fail(fmt::format("{} does not hold the entry of its newest decision", from.string()));
  }

  // hideNewest copies a proof bundle without its newest decision: out of the list and out of its
  // log's extract, as a node answering would leave out a revocation.
  static void hideNewest(const fs::path& from, const fs::path& to) {
    std::ifstream in(from);
    json bundle = json::parse(in, nullptr, false);
    if (!bundle.is_object() || !bundle["decisions"].is_array() || bundle["decisions"].empty())
      fail(fmt::format("{} is not a proof bundle with decisions", from.string()));
    const json newest = bundle["decisions"].back();
    bundle["decisions"].erase(bundle["decisions"].size() - 1);
    for (json& log : bundle["logs"])
      if (log.value("origin", "") == newest.value("origin", "")) {
        json kept = json::array();
        for (json& entry : log["entries"])
          if (entry.value("index", std::uint64_t{0}) != newest.value("index", std::uint64_t{0})) kept.push_back(entry);
        log["entries"] = kept;
      }
    std::ofstream(to) << bundle.dump(2) << "\n";
  }

  fs::path configs_, work_;
  FederationRunner* federation_ = nullptr;
  json imported_;  // the Tacheng workshop's legacy import
};

int runDemo(const DemoOptions& options) {
  auto started = std::chrono::steady_clock::now();
  fs::path work;
  if (options.workDir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "hreg-demo-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail(fmt::format("cannot make a work directory: {}", std::strerror(errno)));
    work = pattern;
  } else {
    work = fs::absolute(options.workDir);
    if (fs::exists(work) && !fs::is_empty(work))
      throw tlog::UsageError(fmt::format("{} is not empty; name a new directory with --work-dir", work.string()));
    fs::create_directories(work);
  }
  fs::path configs = fs::absolute(options.configs);
  if (!fs::exists(configs / "trust-root.toml"))
    throw tlog::UsageError(fmt::format("{} holds no demo federation; run from the repository or pass --configs",
                                       configs.string()));
  fmt::print("hreg demo: the demo federation on this machine, officials at work, proofs checked offline.\n"
             "DEMO ONLY: its keys are published in {}; never use them for anything real.\n"
             "Work directory: {}\n",
             (configs / "keys").string(), work.string());

  RunnerOptions runner;
  runner.configs = configs;
  runner.workDir = work / "nodes";
  runner.nodeBinary = options.nodeBinary.empty() ? findNodeBinary() : fs::path(options.nodeBinary);
  runner.clockStart = DEMO_DECISIONS_AT;
  runner.movableClock = true;
  runner.progress = [](const std::string& what) { fmt::print("   {}\n", what); };
  FederationRunner federation(runner, {ROOT_CODE, "14", "1409", "140902", "140902001", "65", "6542", "654201",
                                       "654201001"});
  Story story(options, work / "officials");
  try {
    story.run(federation);
  } catch (...) {
    fmt::print(stderr, "\nhreg demo: stopped on an error; the nodes' logs are in {} (kept)\n",
               (work / "nodes").string());
    federation.stop();
    throw;
  }
  fmt::print("\n== 7. Stopping every node (SIGTERM, children first) ==\n");
  auto unclean = federation.stop();
  if (!unclean.empty()) {
    fmt::print(stderr, "hreg demo: these nodes did not stop cleanly: {}; their logs are in {}\n",
               fmt::join(unclean, ", "), (work / "nodes").string());
    return EXIT_FAULT;
  }
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
  fmt::print("   all nine nodes stopped cleanly. The demo took {} s.\n", seconds);
  if (options.keep || !options.workDir.empty()) {
    fmt::print("   The files are kept in {}.\n", work.string());
  } else {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  return EXIT_OK;
}

}  // namespace

void addNetworkDemoCommand(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  auto* cmd = app.add_subcommand("demo", "Run the demo federation on loopback and walk two workshops through it");
  cmd->add_option("--configs", options->configs, "the demo federation (hreg demo-federation writes it)")
      ->capture_default_str();
  cmd->add_option("--work-dir", options->workDir, "where the nodes' stores, keys and files go (kept); default: a "
                                                  "new temporary directory, removed at the end");
  cmd->add_option("--node-binary", options->nodeBinary, "the hreg-node to run (default: beside hreg)");
  cmd->add_flag("--keep", options->keep, "keep the temporary work directory");
  tlog::withExample(*cmd, "hreg demo   (from the repository: scripts/demo builds and runs it)");
  cmd->callback(tlog::runCommand([options] { return runDemo(*options); }));
}

}  // namespace hreg::cli
