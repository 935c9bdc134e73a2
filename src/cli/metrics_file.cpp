#include "digger/cli/metrics_file.hpp"

#include "digger/catalog/catalog.hpp"
#include "digger/report/diff.hpp"
#include "digger/report/load.hpp"
#include "digger/report/render_prometheus.hpp"
#include "digger/report/view.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace digger::cli {
namespace {

// The newest complete scan older than `scan`: what "since the previous scan" compares with.
std::optional<catalog::ScanSummary> previous_scan(catalog::Catalog& catalog,
                                                  const catalog::ScanSummary& scan) {
  for (const auto& candidate : catalog.scans()) { // newest first
    if (candidate.id < scan.id && candidate.status == catalog::ScanStatus::complete) {
      return candidate;
    }
  }
  return std::nullopt;
}

// errno is read first, before anything else can change it.
[[noreturn]] void fail(const char* action, const std::string& path) {
  const int error = errno;
  throw std::runtime_error(fmt::format("{} {}: {}", action, path, std::strerror(error)));
}

// Closes the descriptor and removes the temporary file unless it was renamed into place.
class TempFile {
public:
  explicit TempFile(const std::string& dir) : path_(dir + "/.digger.prom.XXXXXX") {
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) {
      fail("cannot create a temporary file in", dir);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    if (!renamed_) {
      ::unlink(path_.c_str());
    }
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      fail("cannot write", path_);
    }
  }
  void renamed() { renamed_ = true; }

private:
  std::string path_;
  int fd_ = -1;
  bool renamed_ = false;
};

void write_all(const TempFile& file, const std::string& document) {
  std::size_t done = 0;
  while (done < document.size()) {
    const ssize_t n = ::write(file.fd(), document.data() + done, document.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      errno = n == 0 ? EIO : errno; // write() wrote nothing without saying why
      fail("cannot write", file.path());
    }
    done += static_cast<std::size_t>(n);
  }
}

} // namespace

std::string prometheus_metrics(const std::string& db, const std::string& scan_spec,
                               const std::string& filter_text) {
  auto filter = report::parse_filter(filter_text);
  if (!filter) {
    throw util::UsageError("--filter: " + filter.error());
  }
  auto catalog = report::open_catalog(db);
  const auto scan = report::resolve_scan(catalog, scan_spec);
  // No next runs nor duplicates to compute; the details only when the filter may ask about a
  // target or a flag.
  const report::LoadOptions load{.derived = false, .details = !filter_text.empty()};
  const auto snapshot = report::load_snapshot(catalog, scan, load);
  // Every job the filter keeps is counted, managed ones too (list_managed).
  const auto view = report::build_view(snapshot, *filter, filter_text, {}, true);
  std::optional<report::Diff> changes;
  if (const auto previous = previous_scan(catalog, scan)) {
    const report::LoadOptions lean{.derived = false, .details = false};
    changes = report::diff_snapshots(report::load_snapshot(catalog, *previous, lean), snapshot);
  }
  return report::render_prometheus(view, changes ? &*changes : nullptr);
}

void write_textfile(const std::string& dir, const std::string& document) {
  TempFile file(dir);
  write_all(file, document);
  // mkstemp makes the file 0600: node_exporter usually runs as another user.
  if (::fchmod(file.fd(), 0644) != 0 || ::fsync(file.fd()) != 0) {
    fail("cannot write", file.path());
  }
  file.close();
  const std::string target = dir + "/" + textfile_name;
  if (::rename(file.path().c_str(), target.c_str()) != 0) {
    fail("cannot replace", target);
  }
  file.renamed();
  // The rename itself survives a crash only once the directory is synced.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

} // namespace digger::cli
