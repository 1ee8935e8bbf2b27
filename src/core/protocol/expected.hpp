#pragma once
// The one result type. A value or a human-readable error; `Status` (= Expected<void>) for checks that
// return nothing. Core code never throws across its API: every parse, check and refused command returns
// one of these so the caller can show the reason and change nothing.
//   if (auto s = validateName("room", room); !s) return s.error();
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace confhost {

struct Error {
  std::string field;   // which input was wrong ("streamName", "mixers[0].width", "" when not one field)
  std::string reason;  // what is wrong with it ("missing", "must be a string", ...)
  int janusCode = 0;   // the origin media server's (Janus's) error code, e.g. 436; 0 when not from Janus
  // "streamName: must match ^[/0-9A-Za-z_-]{1,255}$" — the sentence the UI and the server show.
  std::string message() const {
    std::string text = field.empty() ? reason : field + ": " + reason;
    return janusCode ? text + " (Janus error " + std::to_string(janusCode) + ")" : text;
  }
};

template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Expected(Error error) : v_(std::move(error)) {}        // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class Expected<void> {
 public:
  Expected() = default;                                  // ok
  Expected(Error error) : error_(std::move(error)) {}    // NOLINT(google-explicit-constructor)
  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

using Status = Expected<void>;

}  // namespace confhost
