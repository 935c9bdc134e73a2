#pragma once

#include <string>
#include <utility>
#include <variant>

// The project's one error policy (docs/architecture.md, "Errors"):
// - an expected failure (untrusted text, a user's file, a refused host) is a Result: a value or
//   an Error, returned, never thrown, never written through an out-parameter;
// - a bad flag or input file that must stop the command is a util::UsageError (exit 2);
// - the catalog's faults are catalog::CatalogError (exit 3);
// - anything else that escapes is an internal error (exit 4).

namespace digger::util {

enum class ErrorKind {
  invalid, // the input is malformed or not allowed (the usual case)
  io,      // a read or write failed
  refused, // a safety rule refused it (permissions, host keys, limits)
};

// A one-line reason why there is no value.
struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::invalid;
};

template <class T>
class [[nodiscard]] Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const std::string& error() const { return failure().message; }
  const Error& failure() const { return std::get<Error>(state_); }

private:
  std::variant<T, Error> state_;
};

// Success without a value, or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }

  const std::string& error() const { return error_.message; }
  const Error& failure() const { return error_; }

private:
  Error error_;
  bool failed_ = false;
};

// Thrown for a bad flag or input file that ends the command with exit code 2. The message is
// one line that names the file (and line) when there is one.
class UsageError : public std::exception {
public:
  explicit UsageError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

private:
  std::string message_;
};

} // namespace digger::util

// DIGGER_TRY(expr): evaluates a Result; on failure returns its Error from the calling function
// (which must return a Result of any type).
#define DIGGER_TRY(expr)                                                                           \
  do {                                                                                             \
    auto&& digger_try_result_ = (expr);                                                            \
    if (!digger_try_result_) {                                                                     \
      return digger_try_result_.failure();                                                         \
    }                                                                                              \
  } while (false)

// DIGGER_TRY_ASSIGN(var, expr): `var = *expr` on success, returns the Error otherwise.
#define DIGGER_TRY_ASSIGN(var, expr)                                                               \
  do {                                                                                             \
    auto digger_try_result_ = (expr);                                                              \
    if (!digger_try_result_) {                                                                     \
      return digger_try_result_.failure();                                                         \
    }                                                                                              \
    var = std::move(*digger_try_result_);                                                          \
  } while (false)
