#include "digger/ssh/resolver.hpp"
#include "digger/ssh/socket.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <poll.h>
#include <sys/resource.h>

using namespace digger::ssh;

TEST_CASE("numeric hosts never need the resolver", "[ssh][socket]") {
  CHECK(is_numeric_host("127.0.0.1"));
  CHECK(is_numeric_host("::1"));
  CHECK_FALSE(is_numeric_host("localhost"));
  CHECK_FALSE(is_numeric_host("127.0.0.1.example"));
  auto v4 = resolve_host("127.0.61.7", 2222);
  REQUIRE(v4.ok());
  REQUIRE(v4->size() == 1);
  CHECK((*v4)[0].text == "127.0.61.7:2222");
  auto v6 = resolve_host("::1", 22);
  REQUIRE(v6.ok());
  CHECK((*v6)[0].text == "[::1]:22");
}

TEST_CASE("resolver threads call back with the addresses", "[ssh][socket]") {
  std::mutex mutex;
  std::condition_variable done;
  std::vector<std::string> texts;
  {
    Resolver resolver(2);
    resolver.submit("127.0.0.5", 22, [&](auto addresses) {
      std::lock_guard lock(mutex);
      texts.push_back(addresses.ok() ? (*addresses)[0].text : addresses.error());
      done.notify_one();
    });
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return !texts.empty(); });
  }
  CHECK(texts == std::vector<std::string>{"127.0.0.5:22"});
}

TEST_CASE("the open-file limit is raised to the hard limit", "[ssh][socket]") {
  std::size_t now = raise_open_file_limit();
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  CHECK(limit.rlim_cur == limit.rlim_max);
  if (limit.rlim_cur != RLIM_INFINITY) {
    CHECK(now == static_cast<std::size_t>(limit.rlim_cur));
  }
}

TEST_CASE("a refused non-blocking connect reports its errno", "[ssh][socket]") {
  auto address = resolve_host("127.0.61.250", 9); // nothing listens there
  REQUIRE(address.ok());
  auto fd = start_connect((*address)[0]);
  if (fd.ok()) { // loopback usually refuses during connect() itself or just after
    pollfd ready{fd->get(), POLLOUT, 0};
    REQUIRE(poll(&ready, 1, 2000) == 1);
    CHECK(connect_result(fd->get()) == ECONNREFUSED);
  } else {
    CHECK(fd.error().find("refused") != std::string::npos);
  }
}
