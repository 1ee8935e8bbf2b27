#pragma once
// What a server-side mixer browser is launched with, for the integration tests: a stand-in for
// Chromium (--mixer-browser <path()>) that records the URL it was given (its last argument) and then
// waits to be stopped, as a browser would. The server's real MixerNodes launches and kills it, so the
// tests see exactly the URL a real mixer page would load, secret included.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace confhost::test {

class RecordingBrowser {
 public:
  RecordingBrowser() {
    char tmpl[] = "/tmp/confhost-browser-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    path_ = dir_ + "/browser.sh";
    std::ofstream(path_) << "#!/bin/sh\nfor last; do :; done\nprintf '%s\\n' \"$last\" >> " << dir_
                         << "/urls.txt\nexec sleep 600\n";
    chmod(path_.c_str(), 0755);
  }
  ~RecordingBrowser() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  RecordingBrowser(const RecordingBrowser&) = delete;
  RecordingBrowser& operator=(const RecordingBrowser&) = delete;

  const std::string& path() const { return path_; }

  // The URL mixer `mixerId` was launched with; waits for the launch (bounded), throws when it never comes.
  std::string urlOf(const std::string& mixerId, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::ifstream in(dir_ + "/urls.txt");
      std::string line;
      while (std::getline(in, line))
        if (!in.eof() && line.find("mixerId=" + mixerId + "&") != std::string::npos) return line;
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("mixer " + mixerId + " was not launched");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the file: the launch is async
    }
  }

  // The value of `name` in `url`'s query ("" when absent).
  static std::string param(const std::string& url, const std::string& name) {
    for (const char sep : {'?', '&'}) {
      const auto at = url.find(sep + name + "=");
      if (at == std::string::npos) continue;
      const auto from = at + name.size() + 2;
      return url.substr(from, url.find('&', from) - from);
    }
    return "";
  }

 private:
  std::string dir_, path_;
};

}  // namespace confhost::test
