#include <doctest/doctest.h>

#include <string>

#include "core/pacing/frame_clock.hpp"
#include "core/pacing/frame_pacer.hpp"

using namespace confhost;

namespace {

std::string reason(DrawReason r) { return toString(r); }

FramePacer startedPacer(FramePacerLimits limits = {}) {
  FramePacer p(limits);
  REQUIRE(reason(p.shouldDraw(0, {})) == "state");  // the first frame
  for (int i = 1; i <= limits.settleFrames; ++i) REQUIRE(reason(p.shouldDraw(i * 16.0, {})) == "settle");
  return p;
}

int drawsOver(FramePacer& p, double fromMs, double toMs, FrameSignals signals) {
  int draws = 0;
  for (double t = fromMs; t < toMs; t += 1000.0 / 60) draws += p.shouldDraw(t, signals) != DrawReason::None;
  return draws;
}

}  // namespace

TEST_CASE("an idle console draws only its heartbeat, every 5 s") {
  FramePacer p = startedPacer();
  CHECK(drawsOver(p, 100, 20100, {}) == 4);  // 20 s
}

TEST_CASE("new statistics draw at most once a second") {
  FramePacer p = startedPacer();
  const int draws = drawsOver(p, 100, 10100, {false, false, true});  // fresh stats every frame, 10 s
  CHECK(draws >= 9);
  CHECK(draws <= 10);
}

TEST_CASE("input draws at once, then the settle frames, then stops") {
  FramePacer p = startedPacer();
  CHECK(reason(p.shouldDraw(500, {})) == "none");
  CHECK(reason(p.shouldDraw(516, {true, false, false})) == "input");
  CHECK(reason(p.shouldDraw(532, {})) == "settle");
  CHECK(reason(p.shouldDraw(548, {})) == "settle");
  CHECK(reason(p.shouldDraw(564, {})) == "none");
}

TEST_CASE("continuous input draws every animation frame") {
  FramePacer p = startedPacer();
  CHECK(drawsOver(p, 100, 1095, {true, false, false}) == 60);  // 60 animation frames
}

TEST_CASE("a state change draws at once") {
  FramePacer p = startedPacer();
  CHECK(reason(p.shouldDraw(300, {false, true, false})) == "state");
}

TEST_CASE("state changes are capped by the state interval and none is lost") {
  FramePacerLimits limits;
  limits.stateIntervalMs = 250;
  limits.settleFrames = 0;
  FramePacer p = startedPacer(limits);
  CHECK(reason(p.shouldDraw(300, {false, true, false})) == "state");
  CHECK(reason(p.shouldDraw(316, {false, true, false})) == "none");
  CHECK(reason(p.shouldDraw(400, {})) == "none");
  CHECK(reason(p.shouldDraw(550, {})) == "state");  // the kept change, once its interval passed
}

TEST_CASE("the mixer clock keeps its cadence and never bursts after a late frame") {
  FrameClock clock(30);
  int ticks = 0;
  for (double t = 0; t < 1000; t += 1000.0 / 60) ticks += clock.due(t);
  CHECK(ticks == 30);
  CHECK(clock.due(5000));   // late by seconds
  CHECK_FALSE(clock.due(5001));
  CHECK(clock.untilNextMs(5001) > 15);
}

TEST_CASE("a framerate below 1 is treated as 1 fps") {
  FrameClock clock(0);
  CHECK(clock.intervalMs() == doctest::Approx(1000.0));
}
