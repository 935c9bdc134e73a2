#pragma once

#include <string>
#include <utility>
#include <variant>

namespace digger::util {

// A value or a one-line reason why there is none. Used where failure is an expected outcome
// (parsing untrusted text), so exceptions stay for programming errors and I/O faults.
struct Error {
  std::string message;
};

template <class T>
class Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const std::string& error() const { return std::get<Error>(state_).message; }

private:
  std::variant<T, Error> state_;
};

} // namespace digger::util
