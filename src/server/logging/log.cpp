#include "server/logging/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace confhost {
namespace {
LogLevel gLevel = LogLevel::Info;

const char* levelName(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "DEBUG";
    case LogLevel::Info: return "INFO ";
    case LogLevel::Warn: return "WARN ";
    case LogLevel::Error: return "ERROR";
  }
  return "?    ";
}
}  // namespace

void setLogLevel(LogLevel level) { gLevel = level; }
bool logEnabled(LogLevel level) { return level >= gLevel; }

void logLine(LogLevel level, std::string_view component, std::string_view message) {
  if (!logEnabled(level)) return;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  // stderr is unbuffered: a line is never split or lost when the process is killed.
  std::fprintf(stderr, "%s %s %.*s: %.*s\n", stamp, levelName(level), static_cast<int>(component.size()),
               component.data(), static_cast<int>(message.size()), message.data());
}

}  // namespace confhost
