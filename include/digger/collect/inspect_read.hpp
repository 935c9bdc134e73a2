#pragma once

// The READ records of the inspect script (inspect_script.cpp): a child shell opened up to six
// files once each on fds 4..9 and reported, as text, "F ok|bad DEV:INO MODE SIZE" per file,
// "H" and the `od` hex of `head -c 128 -v /dev/fd/4 ...`, "S" and `sha256sum` lines, "G" and
// its Go magic grep, "B FD LENGTH" and the hex of each Go build info blob, "A FD LENGTH" and
// the hex of each application source file's first bytes, then "E LEFT".

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace digger::collect {

inline constexpr std::size_t max_head_bytes = 128;

struct ReadBatch {
  struct File {
    bool opened = false; // the child read it ("F ok")
    bool usable = false; // and its descriptor is the file the PROG record checked
    std::int64_t size = 0;
  };
  std::vector<File> files;                                    // in fd order
  std::string head_hex;                                       // `od -An -v -tx1` text
  std::vector<std::pair<std::size_t, std::string_view>> sums; // file index, hex digest
  std::vector<std::pair<std::size_t, std::string>> blobs;     // file index, od hex text
  std::vector<std::pair<std::size_t, std::string>> app_files; // "A": file index, od hex text
};

// `ids`: the DEV:INO the PROG record gave for each path of the batch ("" when unknown).
// nullopt when the text does not end with the "E" line (the child did not finish).
std::optional<ReadBatch> parse_read(std::string_view text, const std::vector<std::string>& ids);

struct PendingHead {
  std::string_view path;
  std::size_t bytes = 0;
};
// Splits `head -v` output into the heads of `files`, verified at their exact offsets.
std::vector<std::string_view> split_batched_heads(std::string_view all,
                                                  const std::vector<PendingHead>& files);

// `od -An -v -tx1` text back to bytes: hex pairs between blanks; anything else fails.
std::optional<std::string> from_od_hex(std::string_view text);

// Blank-separated words of a line (at most 8).
std::vector<std::string_view> split_words(std::string_view line);

} // namespace digger::collect
