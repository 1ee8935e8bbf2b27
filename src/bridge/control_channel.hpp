#pragma once
// The bridge's end of the control channel: newline-delimited text read from one descriptor without
// blocking (a watch on the default GMainContext), written to another. Lines longer than kMaxLine are
// dropped whole and reported, so a peer that sends garbage costs at most kMaxLine bytes of memory.
#include <glib.h>

#include <functional>
#include <string>

namespace confhost::bridge {

class ControlChannel {
 public:
  using OnLine = std::function<void(const std::string& line)>;
  using OnOversized = std::function<void()>;
  using OnClosed = std::function<void()>;

  ControlChannel(int readFd, int writeFd, OnLine onLine, OnOversized onOversized, OnClosed onClosed);
  ~ControlChannel();
  ControlChannel(const ControlChannel&) = delete;
  ControlChannel& operator=(const ControlChannel&) = delete;

  // Blocking write of one line (events are small and the server reads continuously). False when the
  // peer is gone.
  bool send(const std::string& line);

 private:
  bool readable();

  int readFd_, writeFd_;
  OnLine onLine_;
  OnOversized onOversized_;
  OnClosed onClosed_;
  std::string buffer_;
  bool skippingOversized_ = false;
  guint watch_ = 0;
};

}  // namespace confhost::bridge
