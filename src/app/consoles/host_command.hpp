#pragma once
// What the host view asks for: the buttons emit these, and window.confhost.command(obj) parses JSON into
// the very same type, so a test drives the one code path a person's clicks take.
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

#include "core/composition/composition_form.hpp"
#include "core/protocol/expected.hpp"
#include "core/sessions/host_keyboard.hpp"
#include "core/sessions/host_session.hpp"

namespace confhost {

// Validate the Create Composition form and, when valid, send createComposition built from it.
struct SubmitCompositionForm {};
// Set form fields as typing into them would (automation; the view edits the form in place).
struct EditCompositionForm { nlohmann::json fields; };
// Close both sockets and open them again now (skips the backoff wait).
struct ReconnectNow {};
// A key of the host keyboard (core/sessions/host_keyboard.hpp), as pressed or as the modal's buttons press it.
struct PressKey { KeyPress key; };
// The Destroy button: ask first, as the D key does.
struct AskToDestroy {};

using HostCommand = std::variant<host::DestroyComposition, host::SelectComposition, host::AddToConference,
                                 host::Exclude, host::RemoveFromConference, host::MakePresenter, host::Move,
                                 host::Ban, host::DismissError, SubmitCompositionForm, EditCompositionForm,
                                 ReconnectNow, PressKey, AskToDestroy>;

// {"cmd": "addToConference", "name": "alice"} and friends:
//   addToConference | exclude | removeFromConference | makePresenter | ban   {name}
//   move {name, index} | selectComposition {event} | destroyComposition {event?}
//   createComposition {form fields?: applied first, then submitted} → EditCompositionForm + Submit
//   editForm {fields...} | dismissError | reconnect
//   key {key: left|right|up|down|enter|escape|a|r|p|x|d|?, shift?: bool} (the host keyboard)
// Errors name the field: "cmd: unknown command 'foo'", "name: missing", "index: must be an integer".
Expected<std::vector<HostCommand>> parseHostCommand(const nlohmann::json& command);

// Applies {"event": "...", "width": 640, ...} to the form; unknown keys or wrong types are an Error
// naming the key, and then nothing is changed.
Status applyFormFields(CompositionForm& form, const nlohmann::json& fields);

// The form as JSON (the same keys applyFormFields takes), for window.confhost.state().form.
nlohmann::json toJson(const CompositionForm& form);

}  // namespace confhost
