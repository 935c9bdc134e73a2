// Writes the report fixture catalog (tests/unit/report_fixture.hpp) to argv[1], optionally an
// empty catalog (schema, no scan) to argv[2]: the golden-file suite runs digger-scan on them.

#include <cstdio>
#include <exception>

#include "../unit/report_fixture.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FIXTURE.db [EMPTY.db]\n", argv[0]);
    return 2;
  }
  try {
    digger::report::test::write_fixture_catalog(argv[1]);
    if (argc > 2) {
      digger::catalog::Catalog::open(argv[2]);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
