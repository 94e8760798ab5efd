// crash-writer STORE_DIR: appends batches of signed decisions to the log in STORE_DIR forever,
// reporting "begin N" before each batch and "committed N" after it. crash-test kills it.
#include <cstdio>
#include <string>

#include "ledger/log/own-log.h"
#include "tests/ledger/store/crash-keys.h"
#include "tests/support/decisions.h"

int main(int argc, char** argv) {
  using namespace hreg;
  if (argc != 2) {
    std::fprintf(stderr, "usage: crash-writer STORE_DIR\n");
    return 2;
  }
  store::Store store({argv[1]});
  FakeClock clock(1'780'000'000);
  log::OwnLog own(store, testing::crashCheckpointKey(), clock);
  auto official = testing::crashOfficialKey();
  for (;;) {
    std::vector<Bytes> decisions;
    for (std::size_t i = 0; i < testing::CRASH_BATCH; ++i)
      decisions.push_back(testing::grantDecision(own.origin(), clock.now(), official.publicKey(),
                                                 "official " + std::to_string(own.size() + i), {&official}));
    std::vector<ByteView> views(decisions.begin(), decisions.end());
    std::printf("begin %llu\n", static_cast<unsigned long long>(own.size()));
    std::fflush(stdout);
    auto outcome = own.append(views);
    for (auto& r : outcome.results)
      if (!r) {
        std::fprintf(stderr, "refused: %s\n", r.error().detail.c_str());
        return 1;
      }
    std::printf("committed %llu\n", static_cast<unsigned long long>(own.size()));
    std::fflush(stdout);
    clock.advance(1);
  }
}
