#pragma once

#include <stdexcept>

namespace digger::catalog {

// Every failure to open, read or write the catalog. The message is one line meant for the
// user (the CLI prints it and exits 3); it never contains secrets.
class CatalogError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace digger::catalog
