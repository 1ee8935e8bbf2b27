#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/composition/layout.hpp"

using namespace confhost;

namespace {

struct Canvas {
  float w, h;
};
const Canvas kCanvases[] = {{1280, 720}, {720, 1280}, {1000, 1000}, {333, 777}, {640, 360}, {1920, 200}};

constexpr float kEps = 0.01f;

bool inside(const Rect& r, float w, float h) {
  return r.x >= -kEps && r.y >= -kEps && r.right() <= w + kEps && r.bottom() <= h + kEps;
}
bool overlap(const Rect& a, const Rect& b) {
  return a.x < b.right() - kEps && b.x < a.right() - kEps && a.y < b.bottom() - kEps &&
         b.y < a.bottom() - kEps;
}
std::string describe(const Canvas& c, int n, int presenter) {
  return std::to_string(static_cast<int>(c.w)) + "x" + std::to_string(static_cast<int>(c.h)) +
         " n=" + std::to_string(n) + " presenter=" + std::to_string(presenter);
}

void checkCommonRules(LayoutPreset preset, const Canvas& c, int n, int presenter) {
  INFO(toString(preset).data() << " " << describe(c, n, presenter));
  const auto rects = layout(preset, c.w, c.h, n, presenter);
  REQUIRE(rects.size() == static_cast<size_t>(std::max(n, 0)));
  for (size_t i = 0; i < rects.size(); ++i) {
    INFO("tile " << i);
    CHECK(inside(rects[i], c.w, c.h));
    CHECK(rects[i].w >= 1.0f);
    CHECK(rects[i].h >= 1.0f);
    // tiles keep the canvas's aspect ratio
    CHECK(std::abs(rects[i].w / rects[i].h - c.w / c.h) < 0.01f * (c.w / c.h));
    for (size_t j = i + 1; j < rects.size(); ++j) CHECK_FALSE(overlap(rects[i], rects[j]));
  }
}

}  // namespace

TEST_CASE("every preset keeps tiles inside the canvas, apart, non-empty and in shape for 0..16 tiles") {
  for (auto preset : {LayoutPreset::Focused, LayoutPreset::Grid})
    for (const auto& c : kCanvases)
      for (int n = 0; n <= 16; ++n)
        for (int p : {-1, 0, n / 2, n - 1, n, 99}) checkCommonRules(preset, c, n, p);
}

TEST_CASE("focused: the presenter is the biggest tile, on top of the others") {
  for (const auto& c : kCanvases)
    for (int n = 2; n <= 16; ++n)
      for (int p = 0; p < n; ++p) {
        INFO(describe(c, n, p));
        const auto rects = layout(LayoutPreset::Focused, c.w, c.h, n, p);
        for (int i = 0; i < n; ++i) {
          if (i == p) continue;
          CHECK(rects[static_cast<size_t>(p)].area() > rects[static_cast<size_t>(i)].area());
          CHECK(rects[static_cast<size_t>(p)].bottom() <= rects[static_cast<size_t>(i)].y + kEps);
        }
      }
}

TEST_CASE("focused: the others form one row below in conference-list order, left to right") {
  for (const auto& c : kCanvases)
    for (int n = 3; n <= 16; ++n) {
      const int p = n / 2;
      INFO(describe(c, n, p));
      const auto rects = layout(LayoutPreset::Focused, c.w, c.h, n, p);
      float lastX = -1;
      float rowY = -1;
      for (int i = 0; i < n; ++i) {
        if (i == p) continue;
        const Rect& r = rects[static_cast<size_t>(i)];
        CHECK(r.x > lastX);
        lastX = r.x;
        if (rowY < 0) rowY = r.y;
        CHECK(std::abs(r.y - rowY) < kEps);
      }
    }
}

TEST_CASE("focused: the presenter takes most of the canvas") {
  const auto two = layout(LayoutPreset::Focused, 1280, 720, 2, 0);
  CHECK(two[0].h >= 0.6f * 720);
  const auto one = layout(LayoutPreset::Focused, 1280, 720, 1, 0);
  CHECK(one[0].w >= 0.9f * 1280);
  CHECK(one[0].h >= 0.9f * 720);
}

TEST_CASE("focused: presenterIndex -1 or out of range makes the first stream the presenter") {
  const auto first = layout(LayoutPreset::Focused, 1280, 720, 4, 0);
  for (int p : {-1, 4, 100, -7}) {
    const auto rects = layout(LayoutPreset::Focused, 1280, 720, 4, p);
    for (size_t i = 0; i < rects.size(); ++i) {
      CHECK(rects[i].x == doctest::Approx(first[i].x));
      CHECK(rects[i].y == doctest::Approx(first[i].y));
      CHECK(rects[i].w == doctest::Approx(first[i].w));
    }
  }
}

TEST_CASE("grid: equal tiles, row-major in list order, near-square on a square canvas") {
  const auto rects = layout(LayoutPreset::Grid, 1000, 1000, 9, 4);
  REQUIRE(rects.size() == 9);
  for (size_t i = 0; i < 9; ++i) {
    CHECK(rects[i].w == doctest::Approx(rects[0].w));
    CHECK(rects[i].x == doctest::Approx(rects[i % 3].x));
    CHECK(rects[i].y == doctest::Approx(rects[(i / 3) * 3].y));
  }
  CHECK(rects[1].x > rects[0].x);
  CHECK(rects[3].y > rects[0].y);
  for (const auto& c : kCanvases)
    for (int n = 2; n <= 16; ++n) {
      INFO(describe(c, n, 0));
      const auto g = layout(LayoutPreset::Grid, c.w, c.h, n, 0);
      for (int i = 1; i < n; ++i) {
        const Rect& a = g[static_cast<size_t>(i - 1)];
        const Rect& b = g[static_cast<size_t>(i)];
        // next tile is either to the right on the same row or on a lower row
        CHECK(((std::abs(a.y - b.y) < kEps && b.x > a.x) || b.y > a.y + kEps));
      }
    }
}

TEST_CASE("grid: a tall canvas stacks tiles rather than squeezing them side by side") {
  const auto rects = layout(LayoutPreset::Grid, 720, 1280, 2, 0);
  REQUIRE(rects.size() == 2);
  CHECK(rects[1].y > rects[0].bottom() - kEps);
}

TEST_CASE("an empty or invalid canvas gives no tiles") {
  CHECK(layout(LayoutPreset::Focused, 0, 720, 3, 0).empty());
  CHECK(layout(LayoutPreset::Grid, 1280, -1, 3, 0).empty());
  CHECK(layout(LayoutPreset::Focused, NAN, 720, 3, 0).empty());
  CHECK(layout(LayoutPreset::Focused, 1280, 720, -2, 0).empty());
}

TEST_CASE("letterbox fits the source's shape centred inside the tile") {
  const Rect tile{100, 50, 400, 300};
  const Rect wide = letterbox(tile, 1280, 720);  // bars above and below
  CHECK(wide.w == doctest::Approx(400));
  CHECK(wide.h == doctest::Approx(225));
  CHECK(wide.x == doctest::Approx(100));
  CHECK(wide.y == doctest::Approx(50 + 37.5));
  const Rect tall = letterbox(tile, 720, 1280);  // bars left and right
  CHECK(tall.h == doctest::Approx(300));
  CHECK(tall.w == doctest::Approx(168.75));
  CHECK(tall.x == doctest::Approx(100 + (400 - 168.75) / 2));
  const Rect odd = letterbox(tile, 333, 777);
  CHECK(odd.w / odd.h == doctest::Approx(333.0 / 777.0));
  CHECK(odd.h == doctest::Approx(300));
  CHECK(inside({odd.x - tile.x, odd.y - tile.y, odd.w, odd.h}, tile.w, tile.h));
}

TEST_CASE("letterbox of an unknown source size is the whole tile") {
  const Rect tile{1, 2, 30, 40};
  const Rect r = letterbox(tile, 0, 0);
  CHECK(r.x == tile.x);
  CHECK(r.w == tile.w);
  CHECK(letterbox(tile, -5, 10).h == tile.h);
}

TEST_CASE("parseLayoutPreset accepts focused and grid and names anything else") {
  CHECK((parseLayoutPreset("focused").value() == LayoutPreset::Focused));
  CHECK((parseLayoutPreset("grid").value() == LayoutPreset::Grid));
  const auto bad = parseLayoutPreset("mosaic");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == "layout: must be \"focused\" or \"grid\", got \"mosaic\"");
  CHECK(std::string(toString(LayoutPreset::Grid)) == "grid");
  CHECK(std::string(toString(LayoutPreset::Focused)) == "focused");
}
