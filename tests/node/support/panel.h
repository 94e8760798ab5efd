#pragma once
// What the expert-panel tests share, through real nodes of the Xinzhou chain: a workshop recommended
// to the prefecture 1409 (001 art. 5) and that prefecture's expert pool, and naming an entry by the
// receipt its submission returned.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/log/signing.h"
#include "tests/node/support/federation.h"

namespace hreg::testing {

// setEntryRef makes `ref` name the entry a submission's receipt names: its origin, index and leaf hash.
inline void setEntryRef(schema::EntryRef::Builder ref, const nlohmann::json& receipt) {
  ref.setOrigin(receipt.value("origin", ""));
  ref.setIndex(receipt.value("index", std::uint64_t{0}));
  Bytes leaf = fromHex(receipt.value("leaf_hash", "")).value_or(Bytes{});
  ref.setLeafHash(capnp::Data::Reader(leaf.data(), leaf.size()));
}

// acceptedAt has the demo `officials` sign a decision of the log of `code` at `at` and submits it
// until accepted: its receipt, or null (the failure recorded).
inline nlohmann::json acceptedAt(Federation& federation, const std::string& code, Timestamp at,
                                 const std::vector<std::string>& officials, const log::FillBody& fill) {
  Response r;
  EXPECT_TRUE(federation.submitUntilAccepted(originOf(code), federation.signedBy(code, at, officials, fill),
                                             CONVERGENCE, &r))
      << r.describe();
  return r.status == 200 ? r.json() : nlohmann::json();
}

// PanelReady is what a prefecture's draw needs: its expert pool's ids and the pool entry's receipt.
struct PanelReady {
  std::vector<std::string> pool;
  nlohmann::json poolEntry;
};

// readyForPanel records the county 140902's application of `applicant` for the prefecture's level at
// `at` and its recommendation a minute later, then the prefecture 1409's pool of seven experts with
// senior titles, and waits until the prefecture holds the recommendation.
inline PanelReady readyForPanel(Federation& federation, const std::string& applicant, Timestamp at) {
  PanelReady ready;
  acceptedAt(federation, "140902", at, {"140902-culture"}, [&](schema::Body::Builder body) {
    auto a = body.initApplication();
    a.setSubject(applicant);
    a.setLevel(schema::Level::PREFECTURE);
    a.initFacts().setName("忻州面塑工坊");
    a.setReceivedAt(at);
  });
  const nlohmann::json recommended =
      acceptedAt(federation, "140902", at + 60, {"140902-culture", "140902-hrss", "140902-rural"},
                 [&](schema::Body::Builder body) {
                   auto r = body.initRecommendation();
                   r.setSubject(applicant);
                   r.setLevel(schema::Level::PREFECTURE);
                 });
  const std::uint64_t recommendation = recommended.value("index", std::uint64_t{0});
  for (int i = 1; i <= 7; ++i) ready.pool.push_back(fmt::format("1409-E-{:04}", i));
  ready.poolEntry = acceptedAt(federation, "1409", at + 120, {"1409-culture"}, [&](schema::Body::Builder body) {
    auto p = body.initExpertPool();
    p.setVersion(1);
    p.setName("忻州市非遗工坊评审专家库");
    auto experts = p.initExperts(static_cast<unsigned>(ready.pool.size()));
    for (unsigned i = 0; i < ready.pool.size(); ++i) {
      experts[i].setId(ready.pool[i]);
      experts[i].setName(fmt::format("专家{}", i + 1));
      experts[i].setSeniorTitle("副研究馆员");
      experts[i].setYearsOfWork(12);
    }
  });
  EXPECT_TRUE(waitUntil(
      [&] {
        auto held = federation.node("1409").heldLog(originOf("140902"));
        return held && held->value("size", std::uint64_t{0}) > recommendation;
      },
      CONVERGENCE, "the prefecture holds the county's recommendation", [] { return std::string(); }));
  return ready;
}

}  // namespace hreg::testing
