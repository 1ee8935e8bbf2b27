#pragma once
// One line per significant event: "2026-11-28T22:45:01Z INFO  conference: host socket opened ...".
// Per-message traffic is logged only at Debug so a busy room does not flood the terminal.
#include <string_view>

namespace confhost {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void setLogLevel(LogLevel level);
bool logEnabled(LogLevel level);
void logLine(LogLevel level, std::string_view component, std::string_view message);

inline void logDebug(std::string_view c, std::string_view m) { logLine(LogLevel::Debug, c, m); }
inline void logInfo(std::string_view c, std::string_view m) { logLine(LogLevel::Info, c, m); }
inline void logWarn(std::string_view c, std::string_view m) { logLine(LogLevel::Warn, c, m); }
inline void logError(std::string_view c, std::string_view m) { logLine(LogLevel::Error, c, m); }

}  // namespace confhost
