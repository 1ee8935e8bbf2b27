#pragma once
// std::visit over a variant of events or effects with one lambda per alternative.
namespace confhost {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace confhost
