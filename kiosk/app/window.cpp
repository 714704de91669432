#include "kiosk/app/window.h"

#define GLFW_INCLUDE_GLEXT  // GL_R8, GL_TEXTURE_SWIZZLE_RGBA
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>

#include <cstdint>
#include <cstdio>

namespace cmetrack::kiosk {
namespace {

window_events* sink = nullptr;  // one window per process
GLuint atlas_texture = 0;        // the font atlas as we upload it (0: the backend's own)

// Whether textures can be swizzled (OpenGL 3.3, or ARB_texture_swizzle).
bool has_swizzle(GLFWwindow* w) {
  const int major = glfwGetWindowAttrib(w, GLFW_CONTEXT_VERSION_MAJOR);
  const int minor = glfwGetWindowAttrib(w, GLFW_CONTEXT_VERSION_MINOR);
  return major > 3 || (major == 3 && minor >= 3) || glfwExtensionSupported("GL_ARB_texture_swizzle");
}

// Uploads ImGui's font atlas, then frees ImGui's CPU copy of it. The
// OpenGL3 backend uploads it as RGBA (white, coverage in alpha): 16 MiB for
// the kiosk's 2048x2048 atlas, held by the driver (with Mesa's software
// renderer, in this process). Where the context can swizzle, it goes up as
// one channel instead (GL_R8, read as (1, 1, 1, coverage)): 4 MiB, drawn the
// same.
void upload_font_atlas(GLFWwindow* w) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  if (atlas_texture) {
    glDeleteTextures(1, &atlas_texture);
    atlas_texture = 0;
  }
  if (!has_swizzle(w)) {
    ImGui_ImplOpenGL3_CreateFontsTexture();
  } else {
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    atlas->GetTexDataAsAlpha8(&pixels, &width, &height);
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    glGenTextures(1, &atlas_texture);
    glBindTexture(GL_TEXTURE_2D, atlas_texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
    atlas->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(atlas_texture)));
  }
  atlas->ClearTexData();
}

void on_glfw_error(int code, const char* text) { fmt::print(stderr, "cmetrack-kiosk: GLFW error {}: {}\n", code, text); }

// Keys go to the wedge classifier, not to ImGui: the screens take no typed
// text, and a scanner's keystrokes must not reach a widget.
void on_char(GLFWwindow*, unsigned codepoint) { sink->on_text(codepoint); }
void on_key(GLFWwindow*, int key, int, int action, int) {
  if (action == GLFW_PRESS && (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER)) sink->on_enter();
}
void on_mouse_button(GLFWwindow* w, int button, int action, int mods) {
  ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
  sink->on_pointer();
}
void on_cursor_pos(GLFWwindow*, double, double) { sink->on_pointer(); }
void on_cursor_enter(GLFWwindow* w, int entered) {
  ImGui_ImplGlfw_CursorEnterCallback(w, entered);
  sink->on_pointer();
}
void on_scroll(GLFWwindow* w, double x, double y) { ImGui_ImplGlfw_ScrollCallback(w, x, y); }
void on_focus(GLFWwindow* w, int focused) {
  ImGui_ImplGlfw_WindowFocusCallback(w, focused);
  sink->on_pointer();
}
void on_refresh(GLFWwindow*) { sink->on_pointer(); }
void on_scale(GLFWwindow*, float, float) { sink->on_scale_changed(); }

// OpenGL 3.0 (GLSL 130) where the driver has it, as Mesa's llvmpipe does
// under Xvfb; else a 3.2 core context (GLSL 150).
GLFWwindow* create_window(const window_options& o, const char*& glsl) {
  GLFWmonitor* monitor = o.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
  int width = o.width, height = o.height;
  if (monitor) {
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    width = mode->width;
    height = mode->height;
    glfwWindowHint(GLFW_RED_BITS, mode->redBits);
    glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
    glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
    glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glsl = "#version 130";
  if (GLFWwindow* w = glfwCreateWindow(width, height, o.title.c_str(), monitor, nullptr)) return w;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 2);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glsl = "#version 150";
  return glfwCreateWindow(width, height, o.title.c_str(), monitor, nullptr);
}

}  // namespace

result<std::unique_ptr<kiosk_window>> kiosk_window::open(const window_options& options, window_events& events) {
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit())
    return failure("cannot open the kiosk's window: GLFW found no display (is DISPLAY set? use --headless "
                   "without one)");
  const char* glsl = nullptr;
  GLFWwindow* w = create_window(options, glsl);
  if (!w) {
    glfwTerminate();
    return failure("cannot create the kiosk's window: no OpenGL 3.0 or 3.2 context on this display");
  }
  sink = &events;
  glfwMakeContextCurrent(w);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing written next to the kiosk
  io.LogFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().FrameRounding = 12.0f;
  ImGui_ImplGlfw_InitForOpenGL(w, false);  // our callbacks below forward to it
  ImGui_ImplOpenGL3_Init(glsl);
  // Now rather than on the first frame, while the atlas holds only ImGui's
  // small default font: begin_frame uploads the kiosk's fonts themselves.
  ImGui_ImplOpenGL3_CreateDeviceObjects();

  glfwSetCharCallback(w, on_char);
  glfwSetKeyCallback(w, on_key);
  glfwSetMouseButtonCallback(w, on_mouse_button);
  glfwSetCursorPosCallback(w, on_cursor_pos);
  glfwSetCursorEnterCallback(w, on_cursor_enter);
  glfwSetScrollCallback(w, on_scroll);
  glfwSetWindowFocusCallback(w, on_focus);
  glfwSetWindowRefreshCallback(w, on_refresh);
  glfwSetWindowContentScaleCallback(w, on_scale);
  return std::unique_ptr<kiosk_window>(new kiosk_window(w));
}

kiosk_window::~kiosk_window() {
  if (atlas_texture) glDeleteTextures(1, &atlas_texture);
  atlas_texture = 0;
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
  sink = nullptr;
}

bool kiosk_window::should_close() const { return glfwWindowShouldClose(window_) != 0; }

void kiosk_window::wait(double seconds) {
  if (seconds <= 0) glfwPollEvents();
  else glfwWaitEventsTimeout(seconds);
}

void kiosk_window::wake() { glfwPostEmptyEvent(); }

float kiosk_window::content_scale() const {
  float x = 1, y = 1;
  glfwGetWindowContentScale(window_, &x, &y);
  return x > 0 ? x : 1.0f;
}

void kiosk_window::refresh_fonts() { upload_font_atlas(window_); }

void kiosk_window::begin_frame() {
  // The atlas holds pixels only between a (re)build of the fonts and its
  // upload: ImGui keeps no copy once the texture has them.
  if (ImFontAtlas* atlas = ImGui::GetIO().Fonts; atlas->TexPixelsAlpha8 || atlas->TexPixelsRGBA32)
    upload_font_atlas(window_);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void kiosk_window::render(ui::rgb background) {
  ImGui::Render();
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(background.r / 255.0f, background.g / 255.0f, background.b / 255.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void kiosk_window::swap() { glfwSwapBuffers(window_); }

void kiosk_window::framebuffer_size(int& width, int& height) const { glfwGetFramebufferSize(window_, &width, &height); }

}  // namespace cmetrack::kiosk
