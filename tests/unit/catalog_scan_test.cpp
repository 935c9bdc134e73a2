#include "digger/catalog/catalog.hpp"
#include "digger/catalog/scan_lock.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog_test_support.hpp"

using namespace digger::catalog;
using namespace digger::catalog::test;

namespace {

// A child process that begins a scan on `path`, records one host, reports its scan id on a
// pipe, then waits to be killed: a scan that dies without finishing.
class ScanningChild {
public:
  explicit ScanningChild(const std::string& path) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(ready[0]);
      run_child(path, ready[1]); // never returns
    }
    ::close(ready[1]);
    std::int64_t id = 0;
    REQUIRE(::read(ready[0], &id, sizeof id) == static_cast<ssize_t>(sizeof id));
    ::close(ready[0]);
    scan_id_ = id;
  }
  ~ScanningChild() { kill(); }
  ScanningChild(const ScanningChild&) = delete;
  ScanningChild& operator=(const ScanningChild&) = delete;

  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  pid_t pid() const { return pid_; }
  std::int64_t scan_id() const { return scan_id_; }

private:
  [[noreturn]] static void run_child(const std::string& path, int ready) {
    std::int64_t id = -1;
    try {
      Catalog catalog = Catalog::open(path);
      id = catalog.begin_scan(scan_info());
      catalog.record_host(id, sample_host("from-child"));
      [[maybe_unused]] ssize_t n = ::write(ready, &id, sizeof id);
      for (;;) {
        ::pause();
      }
    } catch (...) {
      [[maybe_unused]] ssize_t n = ::write(ready, &id, sizeof id);
    }
    ::_exit(1);
  }

  pid_t pid_ = -1;
  std::int64_t scan_id_ = 0;
};

} // namespace

TEST_CASE("a second scan on the same catalog is refused, naming the pid", "[catalog][scan]") {
  TempDir dir;
  std::string path = dir.file("c.db");
  Catalog first = Catalog::open(path);
  Catalog second = Catalog::open(path);
  std::int64_t scan = first.begin_scan(scan_info());
  CHECK_THROWS_WITH(second.begin_scan(scan_info()),
                    Catch::Contains("another scan") &&
                        Catch::Contains(fmt::format("pid {}", ::getpid())));
  CHECK(ScanLock::is_held(path));
  first.finish_scan(scan, ScanStatus::complete);
  CHECK_FALSE(ScanLock::is_held(path));
  std::int64_t next = second.begin_scan(scan_info());
  CHECK(next > scan);
  second.finish_scan(next, ScanStatus::complete);
}

TEST_CASE("a scan in another process blocks us; once it is killed it does not", "[catalog][scan]") {
  TempDir dir;
  std::string path = dir.file("c.db");
  Catalog::open(path); // create it before forking
  ScanningChild child(path);
  REQUIRE(child.scan_id() > 0);

  Catalog catalog = Catalog::open(path);
  CHECK_THROWS_WITH(catalog.begin_scan(scan_info()),
                    Catch::Contains(fmt::format("pid {}", child.pid())));
  CHECK_FALSE(catalog.latest_interrupted_scan().has_value()); // it is alive, not interrupted

  child.kill(); // SIGKILL: no destructor, no finish_scan; the kernel drops the lock
  std::optional<ScanSummary> dead = catalog.latest_interrupted_scan();
  REQUIRE(dead.has_value());
  CHECK(dead->id == child.scan_id());
  CHECK(dead->status == ScanStatus::interrupted);
  CHECK(catalog.hosts_recorded(child.scan_id()) == std::vector<HostIdentity>{{"from-child", 22}});

  std::int64_t scan = catalog.begin_scan(scan_info());
  CHECK(catalog.scan(child.scan_id())->status == ScanStatus::interrupted);
  catalog.finish_scan(scan, ScanStatus::complete);
}

TEST_CASE("an interrupted scan can be listed and resumed", "[catalog][scan]") {
  TempDir dir;
  std::string path = dir.file("c.db");
  std::int64_t scan = 0;
  {
    Catalog catalog = Catalog::open(path);
    CHECK_FALSE(catalog.latest_interrupted_scan().has_value());
    scan = catalog.begin_scan(scan_info());
    catalog.record_host(scan, sample_host("b"));
    catalog.record_host(scan, sample_host("a"));
    // Dropped without finish_scan, as when the user presses Ctrl-C.
  }
  Catalog catalog = Catalog::open(path);
  std::optional<ScanSummary> interrupted = catalog.latest_interrupted_scan();
  REQUIRE(interrupted.has_value());
  CHECK(interrupted->id == scan);
  CHECK(interrupted->hosts_recorded == 2);
  CHECK_FALSE(interrupted->finished_at.empty());
  CHECK(catalog.hosts_recorded(scan) == std::vector<HostIdentity>{{"a", 22}, {"b", 22}});

  catalog.resume_scan(scan);
  CHECK(catalog.scan(scan)->status == ScanStatus::running);
  CHECK(catalog.scan(scan)->finished_at.empty());
  catalog.record_host(scan, sample_host("c"));
  catalog.finish_scan(scan, ScanStatus::complete);
  CHECK(catalog.hosts_recorded(scan).size() == 3);
  CHECK(catalog.scan(scan)->hosts_recorded == 3);
  CHECK_FALSE(catalog.latest_interrupted_scan().has_value());
  CHECK_THROWS_WITH(catalog.resume_scan(scan), Catch::Contains("not an interrupted scan"));
  CHECK_FALSE(ScanLock::is_held(path)); // a refused resume leaves no lock behind
}

TEST_CASE("only the newest scan counts for resuming", "[catalog][scan]") {
  TempDir dir;
  Catalog catalog = Catalog::open(dir.file("c.db"));
  std::int64_t old_scan = catalog.begin_scan(scan_info());
  catalog.finish_scan(old_scan, ScanStatus::interrupted);
  CHECK(catalog.latest_interrupted_scan()->id == old_scan);
  std::int64_t newer = catalog.begin_scan(scan_info());
  catalog.finish_scan(newer, ScanStatus::complete);
  CHECK_FALSE(catalog.latest_interrupted_scan().has_value());
}
