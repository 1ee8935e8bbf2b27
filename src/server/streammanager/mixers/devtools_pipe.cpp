#include "server/streammanager/mixers/devtools_pipe.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

namespace confhost {

namespace {
// A reply bigger than this is not one the server asked for (its commands answer in a few hundred bytes).
constexpr std::size_t kMaxMessageBytes = 4 << 20;
}  // namespace

Expected<std::shared_ptr<DevToolsPipe>> DevToolsPipe::create(boost::asio::io_context& io) {
  int commands[2], replies[2];  // [0] read end, [1] write end
  if (pipe2(commands, O_CLOEXEC) != 0) return Error{"devtools", std::string("pipe failed: ") + strerror(errno)};
  if (pipe2(replies, O_CLOEXEC) != 0) {
    ::close(commands[0]);
    ::close(commands[1]);
    return Error{"devtools", std::string("pipe failed: ") + strerror(errno)};
  }
  return std::shared_ptr<DevToolsPipe>(new DevToolsPipe(io, commands[1], replies[0], commands[0], replies[1]));
}

DevToolsPipe::DevToolsPipe(boost::asio::io_context& io, int toBrowser, int fromBrowser, int childRead, int childWrite)
    : io_(io), toBrowser_(io, toBrowser), fromBrowser_(io, fromBrowser), childRead_(childRead), childWrite_(childWrite) {}

DevToolsPipe::~DevToolsPipe() { closeChildEnds(); }

void DevToolsPipe::closeChildEnds() {
  if (childRead_ >= 0) ::close(childRead_);
  if (childWrite_ >= 0) ::close(childWrite_);
  childRead_ = childWrite_ = -1;
}

void DevToolsPipe::start() { readSome(); }

void DevToolsPipe::readSome() {
  std::weak_ptr<DevToolsPipe> weak = shared_from_this();
  fromBrowser_.async_read_some(boost::asio::buffer(buffer_), [weak](boost::system::error_code ec, std::size_t n) {
    auto self = weak.lock();
    if (!self || self->closed_) return;
    if (ec) return self->failAll("the browser closed its DevTools pipe (" + ec.message() + ")");
    for (std::size_t i = 0; i < n; ++i) {
      if (self->buffer_[i] != '\0') {
        self->partial_.push_back(self->buffer_[i]);
        continue;
      }
      std::string text;
      text.swap(self->partial_);
      self->deliver(text);
      if (self->closed_) return;
    }
    if (self->partial_.size() > kMaxMessageBytes) return self->failAll("a DevTools message over 4 MiB");
    self->readSome();
  });
}

void DevToolsPipe::deliver(const std::string& text) {
  const nlohmann::json message = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object() || !message.contains("id") || !message["id"].is_number_integer()) return;  // an event
  auto it = pending_.find(message["id"].get<std::int64_t>());
  if (it == pending_.end()) return;
  auto [method, reply] = std::move(it->second);
  pending_.erase(it);
  if (message.contains("error")) {
    const nlohmann::json& e = message["error"];
    const std::string why = e.is_object() && e.contains("message") && e["message"].is_string()
                                ? e["message"].get<std::string>() : e.dump();
    reply(Error{method, why});
  } else {
    reply(message.contains("result") ? message["result"] : nlohmann::json::object());
  }
}

void DevToolsPipe::send(const std::string& method, nlohmann::json params, const std::string& sessionId, Reply reply) {
  if (closed_) {
    boost::asio::post(io_, [reply, method]() { reply(Error{method, "the DevTools pipe is closed"}); });
    return;
  }
  const std::int64_t id = nextId_++;
  nlohmann::json message = {{"id", id}, {"method", method}, {"params", std::move(params)}};
  if (!sessionId.empty()) message["sessionId"] = sessionId;
  pending_[id] = {method, std::move(reply)};
  outbox_.push_back(message.dump() + std::string(1, '\0'));
  if (!writing_) writeNext();
}

void DevToolsPipe::writeNext() {
  if (outbox_.empty() || closed_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  std::weak_ptr<DevToolsPipe> weak = shared_from_this();
  boost::asio::async_write(toBrowser_, boost::asio::buffer(outbox_.front()), [weak](boost::system::error_code ec, std::size_t) {
    auto self = weak.lock();
    if (!self || self->closed_) return;
    if (ec) return self->failAll("writing to the browser's DevTools pipe failed (" + ec.message() + ")");
    self->outbox_.pop_front();
    self->writeNext();
  });
}

void DevToolsPipe::failAll(const std::string& why) {
  closed_ = true;
  boost::system::error_code ec;
  toBrowser_.close(ec);
  fromBrowser_.close(ec);
  auto pending = std::move(pending_);
  pending_.clear();
  outbox_.clear();
  for (auto& [id, entry] : pending) entry.second(Error{entry.first, why});
}

void DevToolsPipe::close() {
  if (!closed_) failAll("the DevTools pipe is closed");
}

}  // namespace confhost
