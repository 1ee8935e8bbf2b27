// The platform shim: create the GLFW window on the page's canvas, start ImGui's GLFW and
// OpenGL3 (WebGL2) backends, and run one App frame per animation frame. DPI: the canvas backing store
// is sized to its CSS size x devicePixelRatio each frame and ImGui works in those device pixels, with the
// font rasterised and the style scaled by the same ratio (sharp text on any screen).
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "app/app.hpp"
#include "app/platform/browser_page.hpp"
#include "app/platform/key_presses.hpp"
#include "app/platform/page_activity.hpp"
#include "app/platform/media/video_overlay.hpp"
#include "app/views/theme.hpp"
#include "core/pacing/frame_pacer.hpp"

namespace {

struct Platform {
  GLFWwindow* window = nullptr;
  confhost::App* app = nullptr;
  float scale = 0.0f;  // the devicePixelRatio the fonts and style were built for
  std::string stateText, settingsText, commandText, routeText;  // keep automation answers alive
  confhost::FramePacer pacer;
  int loopIntervalMs = 0;  // 0: animation frames
  double lastDrawAt = 0;
  bool idle = false;       // nothing drawn for a while: the loop polls on a slow timer
};

// An idle console polls its clocks 4 times a second instead of on every animation frame: an animation
// frame loop keeps the browser producing frames (and SwiftShader compositing them) even when nothing is
// drawn. Input and events do not wait for the poll: they wake the loop at once (wake()). What the poll
// serves is only the sessions' own clocks (reconnect backoff, timeouts), for which 250 ms is exact enough.
constexpr int kIdleLoopIntervalMs = 250;
constexpr double kIdleAfterMs = 300;
Platform gPlatform;

// Backing store = CSS size x ratio; GLFW's own resize would request fullscreen when the size equals the
// screen's, so the canvas is sized directly and ImGui is told the size.
bool fitCanvas(int& width, int& height, float ratio) {
  double cssWidth = 0, cssHeight = 0;
  emscripten_get_element_css_size("#canvas", &cssWidth, &cssHeight);
  width = std::max(1, static_cast<int>(std::lround(cssWidth * ratio)));
  height = std::max(1, static_cast<int>(std::lround(cssHeight * ratio)));
  int current[2] = {0, 0};
  emscripten_get_canvas_element_size("#canvas", &current[0], &current[1]);
  if (current[0] == width && current[1] == height) return false;
  emscripten_set_canvas_element_size("#canvas", width, height);
  return true;
}

void markInput(GLFWwindow*) { confhost::page_activity::markInput(); }

// Installed before ImGui's GLFW backend, which chains to them: every input event asks for a frame.
void watchInput(GLFWwindow* window) {
  glfwSetCursorPosCallback(window, [](GLFWwindow* w, double, double) { markInput(w); });
  glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int, int, int) { markInput(w); });
  glfwSetScrollCallback(window, [](GLFWwindow* w, double, double) { markInput(w); });
  glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int, int action, int mods) {
    confhost::key_presses::record(key, action, mods);
    markInput(w);
  });
  glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int) { markInput(w); });
  glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int) { markInput(w); });
  glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int) { markInput(w); });
}

void applyLoopTiming(int intervalMs) {
  if (intervalMs == gPlatform.loopIntervalMs) return;
  gPlatform.loopIntervalMs = intervalMs;
  if (intervalMs > 0) emscripten_set_main_loop_timing(EM_TIMING_SETTIMEOUT, intervalMs);
  else emscripten_set_main_loop_timing(EM_TIMING_RAF, 1);
}

void rebuildForScale(float scale) {
  confhost::theme::apply(scale);
  confhost::theme::loadFonts(scale);
  if (gPlatform.scale != 0.0f) {  // after the first frame the backend owns a font texture already
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  gPlatform.scale = scale;
}

// A frame is drawn only when the pacer says so (core/pacing/frame_pacer.hpp): the roles' clocks tick on
// every loop turn, but ImGui and its software-rendered WebGL cost CPU only when the picture may have
// changed. A new video frame is not such a change: the browser composites the tile's video element
// itself (app/platform/media/video_overlay.hpp).
void frame(void*) {
  const float ratio = confhost::browser::devicePixelRatio();
  int width = 0, height = 0;
  if (fitCanvas(width, height, ratio)) confhost::page_activity::markInput();
  if (ratio != gPlatform.scale) {
    rebuildForScale(ratio);
    confhost::page_activity::markInput();
  }

  glfwPollEvents();
  confhost::App& app = *gPlatform.app;
  const double now = emscripten_get_now();
  app.update(now);
  // The roles' loop cadence (the mixer runs on a timer at its composite's rate, not animation frames).
  const int roleInterval = app.loopIntervalMs();
  applyLoopTiming(roleInterval > 0 ? roleInterval : gPlatform.idle ? kIdleLoopIntervalMs : 0);
  gPlatform.pacer.setLimits(app.pacerLimits());
  confhost::FrameSignals signals;
  signals.input = confhost::page_activity::takeInput();
  signals.stateChanged = confhost::page_activity::takeStateChanged();
  signals.newStats = confhost::page_activity::takeStats();
  if (gPlatform.pacer.shouldDraw(now, signals) == confhost::DrawReason::None) {
    gPlatform.idle = now - gPlatform.lastDrawAt > kIdleAfterMs;
    return;
  }
  gPlatform.lastDrawAt = now;

  confhost::video_overlay::beginFrame();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
  io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  ImGui::NewFrame();
  app.drawUi();
  ImGui::Render();

  glViewport(0, 0, width, height);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  confhost::video_overlay::endFrame();
}

// Input or an event: back to animation frames at once.
void wake() {
  if (!gPlatform.idle) return;
  gPlatform.idle = false;
  if (gPlatform.app && gPlatform.app->loopIntervalMs() == 0) applyLoopTiming(0);
}

}  // namespace

// ---- called from web/confhost_glue.js ------------------------------------------------------------
extern "C" {

EMSCRIPTEN_KEEPALIVE void confhost_on_hash_changed() {
  confhost::page_activity::markStateChanged();
  if (gPlatform.app) gPlatform.app->onHashChanged();
}

EMSCRIPTEN_KEEPALIVE void confhost_on_http_response(const char* json) {
  confhost::page_activity::markStateChanged();
  if (gPlatform.app) gPlatform.app->http().deliver(json);
}

EMSCRIPTEN_KEEPALIVE void confhost_on_rtc_event(int handle, const char* json) {
  if (gPlatform.app) gPlatform.app->rtc().deliver(handle, json);
}

EMSCRIPTEN_KEEPALIVE const char* confhost_automation_state() {
  gPlatform.stateText = gPlatform.app ? gPlatform.app->automationState().dump() : "{}";
  return gPlatform.stateText.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* confhost_automation_settings() {
  gPlatform.settingsText = gPlatform.app ? gPlatform.app->automationSettings().dump() : "{}";
  return gPlatform.settingsText.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* confhost_automation_route() {
  gPlatform.routeText = gPlatform.app ? gPlatform.app->routeName() : "";
  return gPlatform.routeText.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* confhost_automation_command(const char* json) {
  confhost::page_activity::markStateChanged();
  gPlatform.commandText = gPlatform.app ? gPlatform.app->automationCommand(json).dump()
                                        : R"({"ok":false,"error":"the console is not running"})";
  return gPlatform.commandText.c_str();
}

}  // extern "C"

int main() {
  if (!glfwInit()) {
    std::fprintf(stderr, "glfwInit failed\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  int width = 0, height = 0;
  const float ratio = confhost::browser::devicePixelRatio();
  fitCanvas(width, height, ratio);
  gPlatform.window = glfwCreateWindow(width, height, "Conference Host", nullptr, nullptr);
  if (!gPlatform.window) {
    std::fprintf(stderr, "glfwCreateWindow failed: WebGL2 unavailable?\n");
    return 1;
  }
  glfwMakeContextCurrent(gPlatform.window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is code; nothing to persist
  // A blinking cursor would need a frame every half second while a field has focus; a steady one none.
  io.ConfigInputTextCursorBlink = false;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  watchInput(gPlatform.window);
  confhost::video_overlay::install();
  confhost::page_activity::setWakeHandler(wake);
  ImGui_ImplGlfw_InitForOpenGL(gPlatform.window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  rebuildForScale(ratio);

  gPlatform.app = new confhost::App();  // lives as long as the page
  confhost::browser::watchHashChanges();
  confhost::browser::installAutomationHook();
  emscripten_set_main_loop_arg(frame, nullptr, 0, false);
  return 0;
}
