#include <catch2/catch.hpp>

#include "catalog_test_support.hpp"
#include "sqlite.hpp"

using namespace digger::catalog;
using digger::catalog::test::TempDir;

TEST_CASE("Statement binds by index and name and reads typed columns", "[catalog][sqlite]") {
  Database db(":memory:", Database::Access::read_write_create);
  db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT)");
  Statement insert = db.prepare("INSERT INTO t VALUES (?1, ?2, :s, :b, :n)");
  insert.bind(1, std::int64_t{-5000000000}).bind(2, 2.5).bind(":s", std::string("héllo"));
  insert.bind(":b", Bytes{std::string_view("a\0b", 3)}).bind(":n", nullptr).run();

  Statement select = db.prepare("SELECT i, d, s, b, n, typeof(b), typeof(s) FROM t");
  REQUIRE(select.step());
  CHECK(select.column_int(0) == -5000000000);
  CHECK(select.column_double(1) == 2.5);
  CHECK(select.column_text(2) == "héllo");
  CHECK(select.column_bytes(3) == std::string("a\0b", 3));
  CHECK(select.column_is_null(4));
  CHECK_FALSE(select.column_optional_bytes(4).has_value());
  CHECK(select.column_text(5) == "blob");
  CHECK(select.column_text(6) == "text");
  CHECK(select.column_name(0) == "i");
  CHECK_FALSE(select.step());
}

TEST_CASE("Bytes are TEXT when plain UTF-8, BLOB otherwise", "[catalog][sqlite]") {
  CHECK(is_plain_text("plain /etc/cron.d/x"));
  CHECK(is_plain_text("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK_FALSE(is_plain_text(std::string_view("a\0b", 3)));
  CHECK_FALSE(is_plain_text("\xff"));
  CHECK_FALSE(is_plain_text("\xc0\xaf"));         // overlong '/'
  CHECK_FALSE(is_plain_text("\xed\xa0\x80"));     // a UTF-16 surrogate
  CHECK_FALSE(is_plain_text("\xe2\x82"));         // cut short
  CHECK_FALSE(is_plain_text("\xf4\x90\x80\x80")); // past U+10FFFF
  // Long ASCII runs are skipped a word at a time: a bad byte anywhere in or after one counts.
  const std::string ascii(37, 'a');
  CHECK(is_plain_text(ascii));
  for (std::size_t at = 0; at < ascii.size(); ++at) {
    std::string with_nul = ascii, with_ff = ascii, with_utf8 = ascii;
    with_nul[at] = '\0';
    with_ff[at] = '\xff';
    with_utf8.replace(at, 1, "\xc3\xa9");
    CHECK_FALSE(is_plain_text(with_nul));
    CHECK_FALSE(is_plain_text(with_ff));
    CHECK(is_plain_text(with_utf8));
  }
}

TEST_CASE("Transaction rolls back unless committed", "[catalog][sqlite]") {
  Database db(":memory:", Database::Access::read_write_create);
  db.exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1)");
  }
  CHECK(db.query_int("SELECT COUNT(*) FROM t") == 0);
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (2)");
    transaction.commit();
  }
  CHECK(db.query_int("SELECT COUNT(*) FROM t") == 1);
}

TEST_CASE("SQLite errors surface as one-line CatalogError", "[catalog][sqlite]") {
  Database db(":memory:", Database::Access::read_write_create);
  CHECK_THROWS_AS(db.exec("SELECT * FROM missing_table"), CatalogError);
  CHECK_THROWS_WITH(db.prepare("SELEC 1"), Catch::Contains("syntax error"));
  Statement statement = db.prepare("SELECT ?1");
  CHECK_THROWS_WITH(statement.bind(":nope", 1), Catch::Contains(":nope"));

  TempDir dir;
  CHECK_THROWS_AS(Database(dir.file("absent.db"), Database::Access::read_only), CatalogError);
}

TEST_CASE("a failed step leaves the statement reusable", "[catalog][sqlite]") {
  Database db(":memory:", Database::Access::read_write_create);
  db.exec("CREATE TABLE t (x INTEGER UNIQUE)");
  Statement insert = db.prepare("INSERT INTO t VALUES (?1)");
  insert.bind(1, 1).run();
  CHECK_THROWS_WITH(insert.bind(1, 1).run(), Catch::Contains("UNIQUE"));
  insert.bind(1, 2).run();
  CHECK(db.query_int("SELECT SUM(x) FROM t") == 3);
}
