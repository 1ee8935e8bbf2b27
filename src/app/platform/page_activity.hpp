#pragma once
// What happened on the page since the console last looked: the adapters that deliver events (sockets,
// fetch, RTC, input) mark it, the frame loop takes it to decide whether to draw (core/pacing).
namespace confhost::page_activity {

void markStateChanged();  // an event reached a session, the route or the automation hook
void markInput();         // mouse, keyboard, scroll, canvas resize
void markStats();         // media statistics refreshed (drawn at most once a second)
bool takeStateChanged();  // and clear
bool takeInput();         // and clear
bool takeStats();         // and clear
// Called on every mark: the frame loop, slowed down while idle, speeds up again at once.
void setWakeHandler(void (*wake)());

}  // namespace confhost::page_activity
