// The user's registry of known jobs: a small RFC 4180 reader (quoted fields may hold commas,
// doubled quotes and newlines) and glob matching of host, owner and command.
#include "digger/judge/registry.hpp"

#include "digger/util/ascii.hpp"
#include "digger/util/glob.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

namespace digger::judge {
namespace {

struct Record {
  int line = 0;
  std::vector<std::string> fields;
  bool quoted_any = false;
};

class CsvReader {
public:
  CsvReader(std::string_view text, std::string_view file) : text_(text), file_(file) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") {
      text_.remove_prefix(3); // a UTF-8 byte order mark, as spreadsheets write it
    }
  }

  util::Result<std::vector<Record>> read() {
    std::vector<Record> records;
    while (pos_ < text_.size()) {
      Record record;
      record.line = line_;
      if (text_[pos_] == '#' || text_[pos_] == '\n' || text_.substr(pos_, 2) == "\r\n") {
        skip_line(); // comment or blank line
        continue;
      }
      if (auto error = read_record(record)) {
        return util::Error{*error};
      }
      records.push_back(std::move(record));
    }
    return records;
  }

private:
  std::string where(int line) const { return fmt::format("{}:{}: ", file_, line); }

  void skip_line() {
    const std::size_t eol = text_.find('\n', pos_);
    pos_ = eol == std::string_view::npos ? text_.size() : eol + 1;
    ++line_;
  }

  // Reads fields up to the end of the record; the reader then stands on the next record.
  std::optional<std::string> read_record(Record& record) {
    while (true) {
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        record.quoted_any = true;
        if (auto error = quoted_field(field)) {
          return error;
        }
      } else if (auto error = plain_field(field)) {
        return error;
      }
      record.fields.push_back(std::move(field));
      if (pos_ >= text_.size()) {
        return std::nullopt;
      }
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      pos_ += text_[pos_] == '\r' ? 2 : 1; // the line end: "\n" or "\r\n"
      ++line_;
      return std::nullopt;
    }
  }

  std::optional<std::string> plain_field(std::string& field) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
           text_.substr(pos_, 2) != "\r\n") {
      if (text_[pos_] == '"') {
        return where(line_) + "quote inside an unquoted field (quote the whole field and "
                              "double the quotes inside it)";
      }
      ++pos_;
    }
    field = std::string(util::trim(text_.substr(start, pos_ - start), " \t"));
    return std::nullopt;
  }

  std::optional<std::string> quoted_field(std::string& field) {
    const int opened = line_;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) {
        return where(opened) + "unterminated quote";
      }
      const char c = text_[pos_++];
      if (c == '"' && pos_ < text_.size() && text_[pos_] == '"') {
        field += '"';
        ++pos_;
      } else if (c == '"') {
        break;
      } else {
        line_ += c == '\n' ? 1 : 0;
        field += c;
      }
    }
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) {
      ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
        text_.substr(pos_, 2) != "\r\n") {
      return where(line_) + "text after a closing quote";
    }
    return std::nullopt;
  }

  std::string_view text_;
  std::string_view file_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

constexpr std::array<std::string_view, 5> columns = {"fingerprint", "host", "owner", "command",
                                                     "managed_by"};

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

// Column index of each required name in the header row.
util::Result<std::array<std::size_t, 5>> header_columns(const Record& header,
                                                        std::string_view file) {
  std::array<std::size_t, 5> index{};
  index.fill(header.fields.size());
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string name;
    for (char c : header.fields[i]) {
      name += util::lower(c);
    }
    const auto known = std::find(columns.begin(), columns.end(), name);
    if (known == columns.end()) {
      continue; // extra columns (notes, ticket numbers) are allowed
    }
    std::size_t& slot = index[static_cast<std::size_t>(known - columns.begin())];
    if (slot != header.fields.size()) {
      return util::Error{fmt::format("{}:{}: column {} appears twice", file, header.line, name)};
    }
    slot = i;
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (index[c] == header.fields.size()) {
      return util::Error{fmt::format("{}:{}: missing column {} (the header row must name "
                                     "fingerprint, host, owner, command, managed_by)",
                                     file, header.line, columns[c])};
    }
  }
  return index;
}

util::Result<RegistryEntry> entry_of(const Record& row, const std::array<std::size_t, 5>& index,
                                     std::size_t width, std::string_view file) {
  if (row.fields.size() != width) {
    return util::Error{fmt::format("{}:{}: {} fields, the header has {}", file, row.line,
                                   row.fields.size(), width)};
  }
  RegistryEntry e;
  e.line = row.line;
  for (char c : row.fields[index[0]]) {
    e.fingerprint += util::lower(c);
  }
  e.host = row.fields[index[1]];
  e.owner = row.fields[index[2]];
  e.command = row.fields[index[3]];
  e.managed_by = row.fields[index[4]];
  if (!is_hex(e.fingerprint)) {
    return util::Error{fmt::format("{}:{}: fingerprint is not hexadecimal (copy it from the "
                                   "report's id column)",
                                   file, row.line)};
  }
  if (e.managed_by.empty()) {
    return util::Error{
        fmt::format("{}:{}: managed_by is empty (say who owns the job)", file, row.line)};
  }
  if (e.fingerprint.empty() && e.host.empty() && e.owner.empty() && e.command.empty()) {
    return util::Error{fmt::format("{}:{}: no fingerprint and no host, owner or command: the row "
                                   "would match every job (write * to mean that)",
                                   file, row.line)};
  }
  return e;
}

} // namespace

const RegistryEntry* Registry::match(std::string_view fingerprint, std::string_view host,
                                     std::string_view owner, std::string_view command) const {
  auto field_matches = [](const std::string& pattern, std::string_view value) {
    return pattern.empty() || util::glob_match(value, pattern, util::GlobSyntax::fnmatch);
  };
  std::string wanted;
  for (char c : fingerprint) {
    wanted += util::lower(c);
  }
  for (const RegistryEntry& e : entries) {
    const bool hit = e.fingerprint.empty()
                         ? field_matches(e.host, host) && field_matches(e.owner, owner) &&
                               field_matches(e.command, command)
                         : e.fingerprint == wanted;
    if (hit) {
      return &e;
    }
  }
  return nullptr;
}

util::Result<Registry> parse_registry(std::string_view csv_text, std::string_view file_name) {
  auto records = CsvReader(csv_text, file_name).read();
  if (!records) {
    return util::Error{records.error()};
  }
  if (records->empty()) {
    return util::Error{fmt::format("{}:1: empty: a header row is required (fingerprint,host,"
                                   "owner,command,managed_by)",
                                   file_name)};
  }
  const Record& header = records->front();
  const auto index = header_columns(header, file_name);
  if (!index) {
    return util::Error{index.error()};
  }
  Registry registry;
  for (std::size_t r = 1; r < records->size(); ++r) {
    auto entry = entry_of((*records)[r], *index, header.fields.size(), file_name);
    if (!entry) {
      return util::Error{entry.error()};
    }
    registry.entries.push_back(std::move(entry).value());
  }
  return registry;
}

} // namespace digger::judge
