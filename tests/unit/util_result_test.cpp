#include "digger/util/result.hpp"

#include <catch2/catch.hpp>

#include <string>

using digger::util::Error;
using digger::util::ErrorKind;
using digger::util::Result;

namespace {

Result<int> digits(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return Error{"not a number: '" + text + "'"};
  }
  return std::stoi(text);
}

Result<void> positive(int value) {
  if (value <= 0) {
    return Error{"not positive", ErrorKind::refused};
  }
  return {};
}

Result<int> doubled_positive(const std::string& text) {
  int value = 0;
  DIGGER_TRY_ASSIGN(value, digits(text));
  DIGGER_TRY(positive(value));
  return value * 2;
}

} // namespace

TEST_CASE("Result: TRY passes the first failure through, kind included", "[util]") {
  auto ok = doubled_positive("21");
  REQUIRE(ok);
  CHECK(*ok == 42);

  auto bad = doubled_positive("x1");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "not a number: 'x1'");
  CHECK(bad.failure().kind == ErrorKind::invalid);

  auto zero = doubled_positive("0");
  REQUIRE_FALSE(zero);
  CHECK(zero.error() == "not positive");
  CHECK(zero.failure().kind == ErrorKind::refused);
}

TEST_CASE("Result<void>: success without a value", "[util]") {
  CHECK(positive(1).ok());
  CHECK_FALSE(positive(-1).ok());
}
