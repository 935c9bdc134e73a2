#pragma once

// The catalog's RAII wrappers over the SQLite C API: internal to the catalog stage and its
// tests (docs/catalog.md, "Who owns the SQL").

#include "digger/catalog/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace digger::catalog {

// Bytes that came from a remote host (paths, commands, raw lines). Bound as TEXT when they are
// valid UTF-8 without NUL, so the sqlite3 shell shows them plainly, and as BLOB otherwise, so
// they round-trip byte-exact either way. Read them back with Statement::column_bytes.
struct Bytes {
  std::string_view data;
};

// Bytes that are binary by nature (the first bytes of a program): always bound as BLOB, so a
// reader can treat the column one way whatever the file held.
struct Blob {
  std::string_view data;
};

class Statement;

// One connection (RAII over sqlite3*). Not thread-safe: one thread at a time.
class Database {
public:
  enum class Access { read_only, read_write_create };

  Database(const std::string& path, Access access);
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows the caller needs.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  // First column of the first row as an integer (PRAGMA user_version, COUNT(*), ...).
  std::int64_t query_int(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const; // rows changed by the last INSERT, UPDATE or DELETE
  void set_busy_timeout(int milliseconds);
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

private:
  void close() noexcept;
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement (RAII over sqlite3_stmt*). Parameters are 1-based as in SQLite,
// columns 0-based. Text is copied when bound, so arguments need not outlive the call.
class Statement {
public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, std::int64_t{value ? 1 : 0}); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text); // always TEXT
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, Bytes bytes); // TEXT or BLOB, see Bytes
  Statement& bind(int index, Blob blob);   // always BLOB
  Statement& bind(int index, std::nullptr_t);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, nullptr);
  }
  // ":name", "@name" or "$name" exactly as written in the SQL.
  template <class T>
  Statement& bind(std::string_view name, const T& value) {
    return bind(parameter_index(name), value);
  }
  int parameter_index(std::string_view name) const;
  // Binds `values` to ?1, ?2, ... in order.
  template <class... Values>
  Statement& bind_all(const Values&... values) {
    [[maybe_unused]] int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  // From now on text and blobs are bound without a copy: the caller keeps every bound value
  // alive until the statement has been stepped and reset (run() does both). For hot INSERTs.
  Statement& borrow_bound_values() {
    borrow_ = true;
    return *this;
  }

  // True when a row is available; false when the statement is done.
  bool step();
  // Steps a statement that must not return rows, then resets it for reuse.
  void run();
  void reset(); // also clears the bindings

  int column_count() const;
  bool column_is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;  // "" for NULL
  std::string column_bytes(int column) const; // exact bytes of TEXT or BLOB; "" for NULL
  std::optional<std::string> column_optional_bytes(int column) const;
  std::string column_name(int column) const;

private:
  void check(int rc, std::string_view what) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool borrow_ = false; // see borrow_bound_values
};

// BEGIN IMMEDIATE on construction (takes the write lock up front, so a busy catalog fails at
// the start rather than half-way); ROLLBACK on destruction unless commit() was called.
class Transaction {
public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

private:
  Database& db_;
  bool done_ = false;
};

// Newlines and other control characters become spaces: error messages stay on one line.
std::string one_line(std::string_view text);

// True when the bytes can be stored as TEXT without loss (valid UTF-8, no NUL).
bool is_plain_text(std::string_view bytes);

} // namespace digger::catalog
