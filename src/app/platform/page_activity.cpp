#include "app/platform/page_activity.hpp"

namespace confhost::page_activity {

namespace {
bool gStateChanged = true;
bool gInput = false;
bool gStats = false;
void (*gWake)() = nullptr;
}  // namespace

void markStateChanged() {
  gStateChanged = true;
  if (gWake) gWake();
}
void markInput() {
  gInput = true;
  if (gWake) gWake();
}
void markStats() { gStats = true; }

bool takeStats() {
  const bool was = gStats;
  gStats = false;
  return was;
}

void setWakeHandler(void (*wake)()) { gWake = wake; }

bool takeStateChanged() {
  const bool was = gStateChanged;
  gStateChanged = false;
  return was;
}

bool takeInput() {
  const bool was = gInput;
  gInput = false;
  return was;
}

}  // namespace confhost::page_activity
