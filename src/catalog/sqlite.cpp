#include "sqlite.hpp"

#include "digger/catalog/catalog.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <utility>

namespace digger::catalog {

std::string_view sqlite_library_version() {
  return sqlite3_libversion();
}

namespace {

std::string error_text(sqlite3* db, int rc) {
  return one_line(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

// SQLITE_STATIC: SQLite reads the caller's bytes in place (no copy, no allocation).
sqlite3_destructor_type lifetime(bool borrowed) {
  return borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT;
}

} // namespace

std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  return line;
}

bool is_plain_text(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Most of what hosts send is ASCII without NUL: skip it eight bytes at a time.
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    while (i + 8 <= bytes.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, bytes.data() + i, 8);
      if (((word | ((word - ones) & ~word)) & highs) != 0) {
        break; // a byte >= 0x80 or a NUL in this word
      }
      i += 8;
    }
    while (i < bytes.size() && static_cast<unsigned char>(bytes[i]) - 1u < 0x7Fu) {
      ++i;
    }
    if (i == bytes.size()) {
      break;
    }
    auto lead = static_cast<unsigned char>(bytes[i]);
    if (lead == 0) {
      return false;
    }
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > bytes.size()) {
      return false;
    }
    std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(bytes[i + k]);
      if ((next >> 6) != 0x2) {
        return false;
      }
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    static constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < min_for_length[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    i += length;
  }
  return true;
}

// ---------------------------------------------------------------- Database

Database::Database(const std::string& path, Access access) : path_(path) {
  // Memory statistics take a global mutex on every allocation; Digger never reads them. Only
  // possible before SQLite initializes, so once, before the first connection.
  static const bool memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)memstatus_off;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= access == Access::read_only ? SQLITE_OPEN_READONLY
                                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = error_text(db_, rc);
    close();
    throw CatalogError(fmt::format("{}: cannot open the catalog: {}", path, message));
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  close();
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

void Database::close() noexcept {
  if (db_ != nullptr) {
    // close_v2 defers the real close until every statement is finalized, so a Statement that
    // outlives its Database (a bug) cannot crash.
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

void Database::exec(std::string_view sql) {
  std::string text(sql);
  char* raw_error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &raw_error);
  std::string message = raw_error != nullptr ? raw_error : "";
  sqlite3_free(raw_error);
  if (rc != SQLITE_OK) {
    if (message.empty()) {
      message = error_text(db_, rc);
    }
    throw CatalogError(fmt::format("{}: {}", path_, one_line(message)));
  }
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw CatalogError(fmt::format("{}: {}", path_, error_text(db_, rc)));
  }
  return Statement(db_, stmt);
}

std::int64_t Database::query_int(std::string_view sql) {
  Statement statement = prepare(sql);
  if (!statement.step()) {
    throw CatalogError(fmt::format("{}: query returned no row: {}", path_, sql));
  }
  return statement.column_int(0);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

void Database::set_busy_timeout(int milliseconds) {
  sqlite3_busy_timeout(db_, milliseconds);
}

// ---------------------------------------------------------------- Statement

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)),
      borrow_(other.borrow_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    borrow_ = other.borrow_;
  }
  return *this;
}

void Statement::check(int rc, std::string_view what) const {
  if (rc != SQLITE_OK) {
    const char* file = sqlite3_db_filename(db_, "main");
    throw CatalogError(
        fmt::format("{}: {}: {}", file != nullptr ? file : "catalog", what, error_text(db_, rc)));
  }
}

Statement& Statement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check(sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), lifetime(borrow_), SQLITE_UTF8),
        "bind");
  return *this;
}

Statement& Statement::bind(int index, Bytes bytes) {
  if (is_plain_text(bytes.data)) {
    return bind(index, bytes.data);
  }
  check(sqlite3_bind_blob64(stmt_, index, bytes.data.data(), bytes.data.size(), lifetime(borrow_)),
        "bind");
  return *this;
}

Statement& Statement::bind(int index, Blob blob) {
  check(sqlite3_bind_blob64(stmt_, index, blob.data.data(), blob.data.size(), lifetime(borrow_)),
        "bind");
  return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
  check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

int Statement::parameter_index(std::string_view name) const {
  int index = sqlite3_bind_parameter_index(stmt_, std::string(name).c_str());
  if (index == 0) {
    throw CatalogError(fmt::format("no SQL parameter named {}", name));
  }
  return index;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  sqlite3_reset(stmt_); // clears the statement's error state for reuse
  check(rc, "query failed");
  return false;
}

void Statement::run() {
  try {
    while (step()) {
    }
  } catch (...) {
    sqlite3_clear_bindings(stmt_);
    throw;
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::column_bytes(int column) const {
  // column_blob on a TEXT value returns its bytes unconverted.
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) {
    return {};
  }
  return std::string(static_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::column_optional_bytes(int column) const {
  if (column_is_null(column)) {
    return std::nullopt;
  }
  return column_bytes(column);
}

std::string Statement::column_name(int column) const {
  const char* name = sqlite3_column_name(stmt_, column);
  return name != nullptr ? name : "";
}

// ---------------------------------------------------------------- Transaction

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    // A failed statement may already have rolled back; an error here changes nothing.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

} // namespace digger::catalog
