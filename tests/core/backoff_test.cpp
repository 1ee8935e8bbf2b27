#include <doctest/doctest.h>

#include "core/sessions/socket/backoff.hpp"

using confhost::Backoff;

TEST_CASE("backoff base delays double from 0.5 s and stop at 8 s") {
  Backoff b;
  std::mt19937 rng(7);
  std::vector<int64_t> bases;
  for (int i = 0; i < 7; ++i) {
    bases.push_back(b.baseDelayMs());
    b.next(rng);
  }
  CHECK(bases == std::vector<int64_t>{500, 1000, 2000, 4000, 8000, 8000, 8000});
}

TEST_CASE("backoff jitter shortens each delay by at most 20 % and never exceeds the cap") {
  Backoff b;
  std::mt19937 rng(42);
  for (int i = 0; i < 200; ++i) {
    int64_t base = b.baseDelayMs();
    int64_t d = b.next(rng);
    CHECK(d <= base);
    CHECK(d >= base * 8 / 10);
    CHECK(d <= 8000);
  }
}

TEST_CASE("backoff jitter is deterministic for a given seed and varies between seeds") {
  auto run = [](uint32_t seed) {
    Backoff b;
    std::mt19937 rng(seed);
    std::vector<int64_t> out;
    for (int i = 0; i < 6; ++i) out.push_back(b.next(rng));
    return out;
  };
  CHECK(run(1) == run(1));
  CHECK(run(1) != run(2));
}

TEST_CASE("backoff reset returns to the initial delay") {
  Backoff b;
  std::mt19937 rng(3);
  b.next(rng);
  b.next(rng);
  b.next(rng);
  CHECK(b.attempts() == 3);
  b.reset();
  CHECK(b.attempts() == 0);
  CHECK(b.baseDelayMs() == 500);
  CHECK(b.next(rng) <= 500);
}

TEST_CASE("backoff without jitter gives the exact sequence") {
  Backoff b(500, 8000, 0.0);
  std::mt19937 rng(1);
  CHECK(b.next(rng) == 500);
  CHECK(b.next(rng) == 1000);
  CHECK(b.next(rng) == 2000);
}
