#include "app/consoles/host_command.hpp"

#include <string_view>

namespace confhost {
namespace {

Expected<std::string> stringField(const nlohmann::json& command, const char* key, bool required = true) {
  auto it = command.find(key);
  if (it == command.end()) {
    if (required) return Error{key, "missing"};
    return std::string();
  }
  if (!it->is_string()) return Error{key, "must be a string"};
  return it->get<std::string>();
}

Expected<int> intField(const nlohmann::json& command, const char* key) {
  auto it = command.find(key);
  if (it == command.end()) return Error{key, "missing"};
  if (!it->is_number_integer()) return Error{key, "must be an integer"};
  return it->get<int>();
}

}  // namespace

Expected<std::vector<HostCommand>> parseHostCommand(const nlohmann::json& command) {
  if (!command.is_object()) return Error{"", "a command must be a JSON object such as {\"cmd\": \"addToConference\", \"name\": \"alice\"}"};
  auto cmd = stringField(command, "cmd");
  if (!cmd) return cmd.error();
  const std::string& c = *cmd;

  // The commands that name one stream.
  if (c == "addToConference" || c == "exclude" || c == "removeFromConference" || c == "makePresenter" ||
      c == "ban" || c == "move") {
    auto name = stringField(command, "name");
    if (!name) return name.error();
    if (c == "addToConference") return std::vector<HostCommand>{host::AddToConference{*name}};
    if (c == "exclude") return std::vector<HostCommand>{host::Exclude{*name}};
    if (c == "removeFromConference") return std::vector<HostCommand>{host::RemoveFromConference{*name}};
    if (c == "makePresenter") return std::vector<HostCommand>{host::MakePresenter{*name}};
    if (c == "ban") return std::vector<HostCommand>{host::Ban{*name}};
    auto index = intField(command, "index");
    if (!index) return index.error();
    return std::vector<HostCommand>{host::Move{*name, *index}};
  }
  if (c == "selectComposition") {
    auto event = stringField(command, "event");
    if (!event) return event.error();
    return std::vector<HostCommand>{host::SelectComposition{*event}};
  }
  if (c == "destroyComposition") {
    auto event = stringField(command, "event", /*required=*/false);
    if (!event) return event.error();
    return std::vector<HostCommand>{host::DestroyComposition{*event}};
  }
  if (c == "editForm" || c == "createComposition") {
    nlohmann::json fields = command;
    fields.erase("cmd");
    std::vector<HostCommand> commands;
    if (!fields.empty()) {
      CompositionForm probe;  // refuse a bad field before anything is applied
      if (auto s = applyFormFields(probe, fields); !s) return s.error();
      commands.push_back(EditCompositionForm{fields});
    }
    if (c == "createComposition") commands.push_back(SubmitCompositionForm{});
    return commands;
  }
  if (c == "key") {
    auto name = stringField(command, "key");
    if (!name) return name.error();
    auto key = keyNamed(*name);
    if (!key) return key.error();
    bool shift = false;
    if (auto it = command.find("shift"); it != command.end()) {
      if (!it->is_boolean()) return Error{"shift", "must be true or false"};
      shift = it->get<bool>();
    }
    return std::vector<HostCommand>{PressKey{{*key, shift}}};
  }
  if (c == "dismissError") return std::vector<HostCommand>{host::DismissError{}};
  if (c == "reconnect") return std::vector<HostCommand>{ReconnectNow{}};
  return Error{"cmd", "unknown command '" + c + "'"};
}

Status applyFormFields(CompositionForm& form, const nlohmann::json& fields) {
  if (!fields.is_object()) return Error{"", "form fields must be a JSON object"};
  CompositionForm next = form;
  for (const auto& [key, value] : fields.items()) {
    std::string* text = key == "event"        ? &next.event
                        : key == "preset"     ? &next.preset
                        : key == "scope"      ? &next.scope
                        : key == "streamName" ? &next.streamName
                        : key == "region"     ? &next.region
                        : key == "digest"     ? &next.digest
                                              : nullptr;
    int* number = key == "width"       ? &next.width
                  : key == "height"    ? &next.height
                  : key == "framerate" ? &next.framerate
                  : key == "bitrate"   ? &next.bitrate
                                       : nullptr;
    if (text) {
      if (!value.is_string()) return Error{key, "must be a string"};
      *text = value.get<std::string>();
    } else if (number) {
      if (!value.is_number_integer()) return Error{key, "must be an integer"};
      *number = value.get<int>();
    } else {
      return Error{key, "unknown form field"};
    }
  }
  form = std::move(next);
  return {};
}

nlohmann::json toJson(const CompositionForm& form) {
  return {{"event", form.event},       {"preset", form.preset},     {"scope", form.scope},
          {"streamName", form.streamName}, {"width", form.width}, {"height", form.height},
          {"framerate", form.framerate}, {"bitrate", form.bitrate}, {"region", form.region},
          {"digest", form.digest}};
}

}  // namespace confhost
