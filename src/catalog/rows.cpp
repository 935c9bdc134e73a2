#include "rows.hpp"

#include "stored_text.hpp"

namespace digger::catalog {

void ColumnReader::read_one(std::string& field) {
  // column_blob gives a TEXT value's bytes unconverted: one reader for text and bytes.
  field = row_.column_bytes(next_++);
}

void ColumnReader::read_one(std::optional<std::string>& field) {
  field = row_.column_optional_bytes(next_++);
}

void ColumnReader::read_one(std::int64_t& field) {
  field = row_.column_int(next_++);
}

void ColumnReader::read_one(std::optional<std::int64_t>& field) {
  const int column = next_++;
  field = row_.column_is_null(column) ? std::nullopt : std::optional(row_.column_int(column));
}

void ColumnReader::read_one(int& field) {
  field = static_cast<int>(row_.column_int(next_++));
}

void ColumnReader::read_one(bool& field) {
  field = row_.column_int(next_++) != 0;
}

void ColumnReader::read_one(std::vector<std::string>& lines) {
  lines = split_lines(row_.column_bytes(next_++));
}

void ColumnReader::read_one(std::map<std::string, std::string>& labels) {
  labels = parse_labels(row_.column_bytes(next_++));
}

} // namespace digger::catalog
