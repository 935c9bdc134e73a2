#pragma once

// Running a query and reading its rows into the catalog's records: internal to the catalog
// stage and its tests. Every typed query is the same loop (prepare, bind ?1.., step, read the
// columns in order); it is written here once, so a query file holds only its SQL and the
// fields its columns go to.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sqlite.hpp"

namespace digger::catalog {

// Reads a row's columns, in order from `first`, into fields; each field's type says how:
// - std::string: the exact bytes of TEXT or BLOB ("" for NULL);
// - std::optional<std::string>, std::optional<std::int64_t>: NULL is none;
// - std::int64_t, int; bool: not 0;
// - std::vector<std::string>: a list stored one item per line (docs/catalog.md#lists);
// - std::map<std::string, std::string>: hosts.labels_json (stored_text.hpp).
class ColumnReader {
public:
  explicit ColumnReader(const Statement& row, int first = 0) : row_(row), next_(first) {}

  template <class... Fields>
  ColumnReader& read(Fields&... fields) {
    (read_one(fields), ...);
    return *this;
  }
  // The columns some readers leave alone (an id only the query needs).
  ColumnReader& skip(int columns = 1) {
    next_ += columns;
    return *this;
  }

private:
  void read_one(std::string& field);
  void read_one(std::optional<std::string>& field);
  void read_one(std::int64_t& field);
  void read_one(std::optional<std::int64_t>& field);
  void read_one(int& field);
  void read_one(bool& field);
  void read_one(std::vector<std::string>& lines);
  void read_one(std::map<std::string, std::string>& labels);

  const Statement& row_;
  int next_;
};

// Runs `sql` with `parameters` bound to ?1, ?2, ... and calls `visit` with each row.
template <class Visit, class... Parameters>
void for_each_row(Database& db, std::string_view sql, Visit&& visit,
                  const Parameters&... parameters) {
  Statement statement = db.prepare(sql);
  statement.bind_all(parameters...);
  while (statement.step()) {
    visit(std::as_const(statement));
  }
}

// Every row of `sql` (parameters as for for_each_row), each made by `read`.
template <class Read, class... Parameters>
auto collect_rows(Database& db, std::string_view sql, Read&& read,
                  const Parameters&... parameters) {
  std::vector<std::invoke_result_t<Read&, const Statement&>> rows;
  for_each_row(
      db, sql, [&](const Statement& row) { rows.push_back(read(row)); }, parameters...);
  return rows;
}

} // namespace digger::catalog
