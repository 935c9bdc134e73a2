#pragma once

// The text names of an enum's values (in reports, JSON, the catalog, flags): one table per enum
// serves both directions, so that writing a name and reading it back cannot drift apart.
//
//   constexpr util::EnumNames<Colour, Colour::blue> colour_names{{"red", "dark-green", "blue"}};
//
// The enum's values are 0..last in declaration order (no `= n`), and the table names each of
// them in that order: a table with a name too many or too few does not compile. A plain list of
// names, not {value, name} pairs, because clang-format packs a list of strings into a few lines
// where it would put each pair on a line of its own.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace digger::util {

template <class Enum, Enum last>
class EnumNames {
public:
  static constexpr std::size_t size = static_cast<std::size_t>(last) + 1;

  template <std::size_t N>
  requires(N == size) consteval EnumNames(const std::string_view (&names)[N]) {
    for (std::size_t i = 0; i < N; ++i) {
      names_[i] = names[i];
    }
  }

  // The name of `value`; `fallback` for one past `last` (a cast from a stray int).
  constexpr std::string_view name_of(Enum value, std::string_view fallback = {}) const {
    const auto index = static_cast<std::size_t>(value);
    return index < size ? names_[index] : fallback;
  }

  // The value named `name` (exactly, case included); nullopt for an unknown name.
  constexpr std::optional<Enum> value_of(std::string_view name) const {
    for (std::size_t i = 0; i < size; ++i) {
      if (names_[i] == name) {
        return static_cast<Enum>(i);
      }
    }
    return std::nullopt;
  }

private:
  std::array<std::string_view, size> names_{};
};

} // namespace digger::util
