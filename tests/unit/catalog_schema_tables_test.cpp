#include <catch2/catch.hpp>

#include "schema_tables.hpp"
#include "sqlite.hpp"

using namespace digger::catalog;

namespace {

constexpr std::string_view things_template = "CREATE TABLE {name} (\n  id   INTEGER PRIMARY KEY,\n "
                                             " kind TEXT NOT NULL {rule}{more_columns}\n);";

// A catalog-like table with rows, an index and a view reading it.
Database things_database() {
  Database db(":memory:", Database::Access::read_write_create);
  db.exec(table_definition(things_template, "things", check("kind IN ('a', 'b')"), ""));
  db.exec("CREATE INDEX things_by_kind ON things (kind);"
          "CREATE VIEW b_things AS SELECT id FROM things WHERE kind = 'b';"
          "INSERT INTO things (id, kind) VALUES (3, 'a'), (8, 'b');");
  return db;
}

} // namespace

TEST_CASE("table_definition fills a table template's holes", "[catalog][schema]") {
  CHECK(table_definition(things_template, "things_v2", check("kind = 'a'"), ",\n  note BLOB") ==
        "CREATE TABLE things_v2 (\n  id   INTEGER PRIMARY KEY,\n  kind TEXT NOT NULL CHECK (kind = "
        "'a'),\n  note BLOB\n);");
}

TEST_CASE("rebuild_table_sql changes a constraint keeping rows, indexes and views",
          "[catalog][schema]") {
  Database db = things_database();
  db.exec(rebuild_table_sql({
      .table = "things",
      .scratch = "things_v2",
      .table_template = things_template,
      .rule = check("kind IN ('a', 'b', 'c')"),
      .indexes = "CREATE INDEX things_by_kind ON things (kind);",
      .views_read_it = true,
  }));
  CHECK(db.query_int("SELECT COUNT(*) FROM things WHERE id IN (3, 8)") == 2);
  db.exec("INSERT INTO things (kind) VALUES ('c')");
  CHECK_THROWS_AS(db.exec("INSERT INTO things (kind) VALUES ('d')"), CatalogError);
  CHECK(db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'things_by_kind'") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'things_v2'") == 0);
  CHECK(db.query_int("SELECT id FROM b_things") == 8);
}

TEST_CASE("rebuild_table_sql with a column list leaves added columns at their defaults",
          "[catalog][schema]") {
  Database db = things_database();
  db.exec("DROP VIEW b_things");
  db.exec(rebuild_table_sql({
      .table = "things",
      .scratch = "things_v2",
      .table_template = things_template,
      .rule = check("kind IN ('a', 'b')"),
      .more_columns = ",\n  note TEXT NOT NULL DEFAULT 'none'",
      .copied_columns = "id, kind",
  }));
  CHECK(db.query_int("SELECT COUNT(*) FROM things WHERE note = 'none'") == 2);
}

TEST_CASE("join_statements puts one statement a line", "[catalog][schema]") {
  CHECK(join_statements({"SELECT 1;", "SELECT 2;"}) == "SELECT 1;\nSELECT 2;\n");
}
