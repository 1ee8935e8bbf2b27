#include "bridge/control_channel.hpp"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "core/media/whep_bridge_protocol.hpp"

namespace confhost::bridge {

ControlChannel::ControlChannel(int readFd, int writeFd, OnLine onLine, OnOversized onOversized, OnClosed onClosed)
    : readFd_(readFd), writeFd_(writeFd), onLine_(std::move(onLine)), onOversized_(std::move(onOversized)),
      onClosed_(std::move(onClosed)) {
  fcntl(readFd_, F_SETFL, fcntl(readFd_, F_GETFL) | O_NONBLOCK);
  GIOChannel* channel = g_io_channel_unix_new(readFd_);
  watch_ = g_io_add_watch(
      channel, static_cast<GIOCondition>(G_IO_IN | G_IO_HUP | G_IO_ERR),
      [](GIOChannel*, GIOCondition, gpointer self) -> gboolean {
        return static_cast<ControlChannel*>(self)->readable() ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
      },
      this);
  g_io_channel_unref(channel);
}

ControlChannel::~ControlChannel() {
  if (watch_) g_source_remove(watch_);
}

bool ControlChannel::readable() {
  char chunk[16384];
  for (;;) {
    const ssize_t n = read(readFd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n <= 0) {
      watch_ = 0;
      if (onClosed_) onClosed_();
      return false;
    }
    for (ssize_t i = 0; i < n; ++i) {
      const char c = chunk[i];
      if (c == '\n') {
        if (!skippingOversized_ && onLine_) onLine_(buffer_);
        buffer_.clear();
        skippingOversized_ = false;
      } else if (!skippingOversized_) {
        buffer_.push_back(c);
        if (buffer_.size() > kMaxLine) {
          buffer_.clear();
          buffer_.shrink_to_fit();
          skippingOversized_ = true;
          if (onOversized_) onOversized_();
        }
      }
    }
  }
}

bool ControlChannel::send(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = write(writeFd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {  // the socket is non-blocking for reads
      pollfd p{writeFd_, POLLOUT, 0};
      if (poll(&p, 1, 5000) <= 0) return false;
      continue;
    }
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace confhost::bridge
