#include "app/platform/page_activity.hpp"

namespace confhost::page_activity {

namespace {
bool gStateChanged = true;
bool gInput = false;
}  // namespace

void markStateChanged() { gStateChanged = true; }
void markInput() { gInput = true; }

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
