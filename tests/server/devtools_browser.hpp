#pragma once
// A stand-in for Chromium started with --remote-debugging-pipe, for the warm mixer node tests: it records
// the URL on its command line (its last argument before the pipe flag) and answers the three DevTools
// commands a warm node is sent over fds 3/4 (Target.getTargets, Target.attachToTarget, Page.navigate),
// recording each navigation. `failNavigation` makes Page.navigate answer with an errorText, as Chromium
// does for a page that cannot load. Written in Python: the messages are NUL-ended JSON.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace confhost::test {

class DevToolsBrowser {
 public:
  explicit DevToolsBrowser(bool failNavigation = false) {
    char tmpl[] = "/tmp/confhost-devtools-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    path_ = dir_ + "/browser.py";
    std::ofstream(path_) << R"(#!/usr/bin/python3
import json, os, sys, time
args = [a for a in sys.argv[1:] if a != '--remote-debugging-pipe']
with open(')" << dir_ << R"(/urls.txt', 'a') as f:
    f.write(args[-1] + '\n')
if '--remote-debugging-pipe' not in sys.argv:
    time.sleep(600)
    sys.exit(0)
fail = )" << (failNavigation ? "True" : "False") << R"(
inp, out = os.fdopen(3, 'rb', 0), os.fdopen(4, 'wb', 0)
buf = b''
while True:
    chunk = inp.read(4096)
    if not chunk:
        time.sleep(600)
        sys.exit(0)
    buf += chunk
    while b'\0' in buf:
        text, buf = buf.split(b'\0', 1)
        m = json.loads(text)
        r = {}
        if m['method'] == 'Target.getTargets':
            r = {'targetInfos': [{'targetId': 'T1', 'type': 'browser'}, {'targetId': 'P1', 'type': 'page', 'url': args[-1]}]}
        elif m['method'] == 'Target.attachToTarget':
            r = {'sessionId': 'S-' + m['params']['targetId']}
        elif m['method'] == 'Page.navigate':
            with open(')" << dir_ << R"(/navigations.txt', 'a') as f:
                f.write(m.get('sessionId', '') + ' ' + m['params']['url'] + '\n')
            r = {'frameId': 'F1', 'errorText': 'net::ERR_CONNECTION_REFUSED'} if fail else {'frameId': 'F1'}
        out.write(json.dumps({'id': m['id'], 'result': r}).encode() + b'\0')
)";
    chmod(path_.c_str(), 0755);
  }
  ~DevToolsBrowser() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  DevToolsBrowser(const DevToolsBrowser&) = delete;
  DevToolsBrowser& operator=(const DevToolsBrowser&) = delete;

  const std::string& path() const { return path_; }
  // Every URL a browser was started with, and every navigation ("<sessionId> <url>"), in order.
  std::vector<std::string> launches() const { return lines("urls.txt"); }
  std::vector<std::string> navigations() const { return lines("navigations.txt"); }

  // Waits (bounded) until `file` has at least `count` lines; throws naming what never came.
  void waitFor(const char* what, std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string file = std::string(what) == "launches" ? "urls.txt" : "navigations.txt";
    while (lines(file).size() < count) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error(std::string("fewer than ") + std::to_string(count) + " " + what);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the files are written by another process
    }
  }

 private:
  std::vector<std::string> lines(const std::string& file) const {
    std::vector<std::string> out;
    std::ifstream in(dir_ + "/" + file);
    std::string line;
    while (std::getline(in, line))
      if (!in.eof()) out.push_back(line);
    return out;
  }
  std::string dir_, path_;
};

}  // namespace confhost::test
