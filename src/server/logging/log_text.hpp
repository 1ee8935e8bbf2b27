#pragma once
// Builds one log line with stream syntax: logInfo("janus", LogText() << "started pid " << pid).
#include <sstream>
#include <string>

namespace confhost {

class LogText {
 public:
  template <class T>
  LogText& operator<<(const T& value) {
    out_ << value;
    return *this;
  }
  operator std::string() const { return out_.str(); }  // NOLINT(google-explicit-constructor)

 private:
  std::ostringstream out_;
};

}  // namespace confhost
