#include <catch2/catch.hpp>

#include "rows.hpp"

using namespace digger::catalog;

namespace {

struct Everything {
  std::string text, bytes;
  std::optional<std::string> none, some;
  std::int64_t big = 0;
  std::optional<std::int64_t> no_number, number;
  int small = 0;
  bool yes = false, no = true;
  std::vector<std::string> lines;
  std::map<std::string, std::string> labels;
};

} // namespace

TEST_CASE("ColumnReader reads each column by its field's type", "[catalog][sqlite]") {
  Database db(":memory:", Database::Access::read_write_create);
  Statement select =
      db.prepare("SELECT 'skipped', 'héllo', X'6100FF', NULL, '', 5000000000, NULL, -7, 42, 1, 0, "
                 "'one' || char(10) || 'two', '{\"env\":\"prod\",\"n\":3}'");
  REQUIRE(select.step());
  Everything e;
  ColumnReader(select).skip().read(e.text, e.bytes, e.none, e.some, e.big, e.no_number, e.number,
                                   e.small, e.yes, e.no, e.lines, e.labels);
  CHECK(e.text == "héllo");
  CHECK(e.bytes == std::string("a\0\xff", 3));
  CHECK_FALSE(e.none.has_value());
  CHECK(e.some == std::optional<std::string>(""));
  CHECK(e.big == 5000000000);
  CHECK_FALSE(e.no_number.has_value());
  CHECK(e.number == std::optional<std::int64_t>(-7));
  CHECK(e.small == 42);
  CHECK(e.yes);
  CHECK_FALSE(e.no);
  CHECK(e.lines == std::vector<std::string>{"one", "two"});
  CHECK(e.labels == std::map<std::string, std::string>{{"env", "prod"}, {"n", "3"}});
}

TEST_CASE("collect_rows binds ?1.. in order and reads every row", "[catalog][sqlite]") {
  Database db(":memory:", Database::Access::read_write_create);
  db.exec("CREATE TABLE t (name TEXT, n INTEGER)");
  Statement insert = db.prepare("INSERT INTO t VALUES (?1, ?2)");
  insert.bind_all("a", 1).run();
  insert.bind_all(std::string("b"), std::int64_t{2}).run();
  insert.bind_all("c", std::optional<std::int64_t>()).run();

  auto read = [](const Statement& row) {
    std::pair<std::string, std::optional<std::int64_t>> pair;
    ColumnReader(row).read(pair.first, pair.second);
    return pair;
  };
  auto rows = collect_rows(db, "SELECT name, n FROM t WHERE name >= ?1 ORDER BY name", read, "b");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::pair<std::string, std::optional<std::int64_t>>{"b", 2});
  CHECK(rows[1].first == "c");
  CHECK_FALSE(rows[1].second.has_value());

  int seen = 0;
  for_each_row(db, "SELECT * FROM t", [&](const Statement&) { ++seen; });
  CHECK(seen == 3);
  CHECK(collect_rows(db, "SELECT name, n FROM t WHERE n = ?1", read, 99).empty());
}
