#pragma once
// parallelFor runs work(i) for i in [0, n) on `threads` threads (the caller's included), in chunks.
// No pool outlives the call, so nothing is process-global. Exceptions from work() are rethrown.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hreg::log {

template <class Work>
void parallelFor(std::size_t n, unsigned threads, Work&& work) {
  if (threads <= 1 || n < 64) {
    for (std::size_t i = 0; i < n; ++i) work(i);
    return;
  }
  constexpr std::size_t CHUNK = 32;
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex errorMutex;
  auto run = [&] {
    try {
      for (std::size_t start; (start = next.fetch_add(CHUNK)) < n;)
        for (std::size_t i = start; i < std::min(n, start + CHUNK); ++i) work(i);
    } catch (...) {
      std::lock_guard lock(errorMutex);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(run);
  run();
  for (auto& h : helpers) h.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace hreg::log
