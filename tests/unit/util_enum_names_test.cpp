// Enum names (util/enum_names.hpp): one table serves a stage's x_name() and its inverse.
#include "digger/util/enum_names.hpp"

#include <catch2/catch.hpp>

#include <optional>

namespace {

enum class Colour { red, dark_green, blue };

constexpr digger::util::EnumNames<Colour, Colour::blue> colour_names{{"red", "dark-green", "blue"}};

} // namespace

TEST_CASE("EnumNames::name_of: the name in declaration order, else the fallback",
          "[util][enum_names]") {
  CHECK(colour_names.name_of(Colour::red) == "red");
  CHECK(colour_names.name_of(Colour::dark_green, "colour") == "dark-green");
  CHECK(colour_names.name_of(Colour::blue) == "blue");
  CHECK(colour_names.name_of(static_cast<Colour>(3)).empty());
  CHECK(colour_names.name_of(static_cast<Colour>(-1), "colour") == "colour");
  static_assert(colour_names.name_of(Colour::blue) == "blue"); // usable in constant expressions
}

TEST_CASE("EnumNames::value_of: the value of an exact name, nullopt for any other",
          "[util][enum_names]") {
  CHECK(colour_names.value_of("red") == Colour::red);
  CHECK(colour_names.value_of("dark-green") == Colour::dark_green);
  CHECK(colour_names.value_of("Blue") == std::nullopt);
  CHECK(colour_names.value_of("dark_green") == std::nullopt);
  CHECK(colour_names.value_of("") == std::nullopt);
}

TEST_CASE("EnumNames: name_of and value_of round-trip every value", "[util][enum_names]") {
  for (const auto colour : {Colour::red, Colour::dark_green, Colour::blue}) {
    CHECK(colour_names.value_of(colour_names.name_of(colour)) == colour);
  }
}
