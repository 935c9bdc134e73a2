// The second round trip's pieces: target planning, the inspect script run locally (no SSH),
// its decoder, and the Go build info parser on hand-made blobs and on a real Go binary.
#include "digger/collect/go_build_info.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/inspect.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "local_shell.hpp"

using namespace digger::collect;
using namespace digger::testing;
namespace fs = std::filesystem;

namespace {

const digger::cron::ProgramFacts* find_program(const std::vector<digger::cron::ProgramFacts>& all,
                                               const std::string& path) {
  for (const auto& facts : all) {
    if (facts.path == path) {
      return &facts;
    }
  }
  return nullptr;
}

std::string uvarint(std::size_t value) {
  std::string out;
  do {
    unsigned char byte = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<char>(value != 0 ? byte | 0x80 : byte));
  } while (value != 0);
  return out;
}

const std::string sentinel_start("0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6", 16);
const std::string sentinel_end("\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2",
                               16);

// A Go >= 1.18 build info blob as the linker writes it.
std::string inline_blob(std::string_view version, std::string_view modinfo) {
  std::string blob(go_build_info_magic);
  blob += '\x08';                // pointer size
  blob += '\x02';                // flags: inline strings, little endian
  blob += std::string(16, '\0'); // unused pointers
  blob += uvarint(version.size()) + std::string(version);
  blob += uvarint(modinfo.size()) + std::string(modinfo);
  return blob;
}

// The same inspection forced onto the per-file path (what a host without GNU tools takes).
std::string portable_command() {
  return inspect_command(false, {}) + " --portable";
}

std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

// Programs sorted by path: the two paths report records in different orders.
std::vector<digger::cron::ProgramFacts> by_path(std::vector<digger::cron::ProgramFacts> all) {
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return all;
}

std::string od_hex(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out += fmt::format(" {:02x}", static_cast<unsigned char>(bytes[i]));
    if (i % 16 == 15 && i + 1 < bytes.size()) {
      out += '\n';
    }
  }
  return out;
}

std::string segment(std::string_view bytes) {
  return fmt::format("{}\n{}\n", bytes.size(), bytes);
}

std::string head_declaration(std::string_view path, std::size_t count) {
  return "HEADN 2\n" + segment(path) + segment(std::to_string(count));
}

} // namespace

TEST_CASE("inspection plan bounds the count and rejects what cannot be sent",
          "[collect][inspect]") {
  std::vector<std::string> targets;
  for (int i = 0; i < 310; ++i) {
    targets.push_back(fmt::format("/opt/job{}", i));
  }
  targets.push_back("/opt/job0"); // duplicate
  targets.push_back("relative/script.sh");
  targets.push_back(std::string("/opt/nul\0byte", 13));
  targets.push_back("/" + std::string(5000, 'x'));
  auto plan = plan_inspection(targets);
  CHECK(plan.paths.size() == 256);
  CHECK(plan.requested == 310);
  CHECK(plan.over_bound.size() == 54);
  CHECK(plan.note == "bound hit: 256 of 310 targets inspected");
  CHECK(plan.rejected.size() == 3);
  CHECK(std::count(plan.payload.begin(), plan.payload.end(), '\0') == 256);
  CHECK(plan.payload.starts_with(std::string("/opt/job0\0/opt/job1\0", 20)));

  InspectLimits small;
  small.max_payload_bytes = 25;
  auto budget = plan_inspection({"/opt/aaaaaaaaaa", "/opt/bbbbbbbbbb", "/c"}, small);
  CHECK(budget.paths == std::vector<std::string>{"/opt/aaaaaaaaaa", "/c"});
  CHECK(budget.note == "bound hit: 2 of 3 targets inspected");
}

TEST_CASE("inspect script reports files, links, missing paths and never reads secrets",
          "[collect][inspect]") {
  TempDir dir;
  const std::string script_text = "#!/usr/bin/env python3\nprint('settle')\n";
  write_file(dir.path / "job.py", script_text,
             fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                 fs::perms::others_read | fs::perms::others_exec);
  write_file(dir.path / "secret", "TOPSECRET-CANARY\n",
             fs::perms::owner_read | fs::perms::owner_write);
  write_file(dir.path / "odd name;$(touch pwned)", "#!/bin/sh\n", fs::perms::owner_all);
  // sha256sum escapes such a name ("\\HASH  odd\\nline"): the batch hash must still match.
  write_file(dir.path / "back\\slash\nline", "#!/bin/sh\nexit 0\n", fs::perms::owner_all);
  // head's own "==> name <==" framing inside a name, and grep's ':' separator.
  write_file(dir.path / "colon:1: <==\n==> x", "#!/bin/sh\n# colon\n", fs::perms::owner_all);
  fs::create_symlink(dir.path / "job.py", dir.path / "link");
  const std::string colon = (dir.path / "colon:1: <==\n==> x").string();
  const std::string job = (dir.path / "job.py").string();
  const std::string link = (dir.path / "link").string();
  const std::string secret = (dir.path / "secret").string();
  const std::string odd = (dir.path / "odd name;$(touch pwned)").string();
  const std::string missing = (dir.path / "missing").string();
  const std::string directory = dir.path.string();
  const std::string escaped = (dir.path / "back\\slash\nline").string();
  auto plan = plan_inspection({job, link, secret, odd, missing, directory, escaped, colon});
  REQUIRE(plan.paths.size() == 8);
  std::string out = run_shell(dir, inspect_command(false, {}), plan.payload);
  auto decoded = decode_inspection_output(out);
  INFO(out.substr(0, 2000));
  REQUIRE(decoded.error.empty());
  CHECK(decoded.complete);
  // Every readable file's head came through the one batched head | od.
  CHECK(occurrences(out, "\nHEADS 1\n") == 1);
  CHECK(occurrences(out, "\nHEADN 2\n") == 5);
  CHECK(occurrences(out, "\nHEAD 2\n") == 0);
  const auto* colon_facts = find_program(decoded.programs, colon);
  REQUIRE(colon_facts != nullptr);
  CHECK(colon_facts->head == "#!/bin/sh\n# colon\n");
  CHECK(colon_facts->sha256 == sha256_hex("#!/bin/sh\n# colon\n"));

  std::string slow = run_shell(dir, portable_command(), plan.payload);
  CHECK(occurrences(slow, "\nHEADS 1\n") == 0);
  CHECK(occurrences(slow, "\nHEAD 2\n") == 5);
  auto per_file = decode_inspection_output(slow);
  REQUIRE(per_file.complete);
  CHECK(by_path(per_file.programs) == by_path(decoded.programs));

  const auto* facts = find_program(decoded.programs, job);
  REQUIRE(facts != nullptr);
  CHECK(facts->exists);
  CHECK(facts->type == "file");
  CHECK(facts->mode == 0755);
  CHECK(facts->size == static_cast<std::int64_t>(script_text.size()));
  CHECK(facts->head == script_text);
  CHECK(facts->sha256 == sha256_hex(script_text));
  CHECK(facts->uid == static_cast<std::int64_t>(::geteuid()));
  CHECK_FALSE(facts->elf);
  CHECK(facts->resolved_path.empty());
  CHECK(facts->dir_mode ==
        (static_cast<std::uint32_t>(fs::status(dir.path).permissions()) & 07777));

  const auto* via_link = find_program(decoded.programs, link);
  REQUIRE(via_link != nullptr);
  CHECK(via_link->resolved_path == fs::canonical(job).string());
  CHECK(via_link->head == script_text);

  const auto* hidden = find_program(decoded.programs, secret);
  REQUIRE(hidden != nullptr);
  CHECK(hidden->exists);
  CHECK(hidden->head.empty());
  CHECK(hidden->sha256.empty());
  CHECK(hidden->error.find("not read") != std::string::npos);
  CHECK(out.find("TOPSECRET-CANARY") == std::string::npos);

  const auto* hostile = find_program(decoded.programs, odd);
  REQUIRE(hostile != nullptr);
  CHECK(hostile->head == "#!/bin/sh\n");
  CHECK_FALSE(fs::exists(dir.path / "pwned"));
  CHECK_FALSE(fs::exists("pwned"));

  const auto* weird = find_program(decoded.programs, escaped);
  REQUIRE(weird != nullptr);
  CHECK(weird->sha256 == sha256_hex("#!/bin/sh\nexit 0\n"));
  CHECK(hostile->sha256 == sha256_hex("#!/bin/sh\n"));

  const auto* gone = find_program(decoded.programs, missing);
  REQUIRE(gone != nullptr);
  CHECK_FALSE(gone->exists);

  const auto* folder = find_program(decoded.programs, directory);
  REQUIRE(folder != nullptr);
  CHECK(folder->type == "directory");
  CHECK(folder->head.empty());
}

TEST_CASE("inspection results land in the snapshot, failures keep every path",
          "[collect][inspect]") {
  auto plan = plan_inspection({"/opt/a", "relative", "/opt/b"});
  std::string out = std::string(inspect_start_marker) +
                    "MISSING 1\n6\n/opt/a\nPROG 3\n6\n/opt/b\n0\n\n17\n81ed 0 0 5 9 root\n"
                    "END 1\n1\n2\n";
  HostSnapshot ok;
  apply_inspection(ok, plan, out, "");
  REQUIRE(ok.programs.size() == 3);
  CHECK_FALSE(ok.programs[0].exists);
  CHECK(ok.programs[1].exists);
  CHECK(ok.programs[1].mode == 0755);
  CHECK(ok.programs[1].size == 5);
  CHECK(ok.programs[1].dir_uid == -1); // no directory line
  CHECK(ok.programs[2].path == "relative");
  CHECK(ok.programs[2].error == "not inspected: not an absolute path");
  CHECK(ok.inspection_note.empty());

  HostSnapshot failed;
  apply_inspection(failed, plan, "", "no follow-up result within 20000 ms (during exec)");
  REQUIRE(failed.programs.size() == 3);
  CHECK(failed.programs[0].error == "not inspected: inspection failed");
  CHECK(failed.inspection_note.find("inspection failed: no follow-up result") == 0);

  HostSnapshot cut;
  apply_inspection(cut, plan, out.substr(0, 40), "");
  CHECK(cut.inspection_note.find("inspection output incomplete") == 0);
  CHECK(cut.programs.size() == 3);
}

TEST_CASE("inspect decoder survives hostile framing", "[collect][inspect]") {
  for (const std::string tail : {"PROG 3\n99999999999\nx\n", "HEAD 2\n1\n/\n300\nshort\n",
                                 "PROG 1\n0\n\n", "GOBI 2\n2\n/x\n5\n\xff Go \n", "END 1\n"}) {
    auto decoded = decode_inspection_output(std::string(inspect_start_marker) + tail);
    if (tail == "END 1\n") {
      CHECK_FALSE(decoded.complete); // END needs its count segment
    }
    CHECK(decoded.programs.size() <= 1);
  }
  CHECK_FALSE(decode_inspection_output("sudo: a password is required\n").started);
  // Two runs (xargs split a long list): both are read.
  std::string two = std::string(inspect_start_marker) + "MISSING 1\n2\n/a\nEND 1\n1\n1\n" +
                    std::string(inspect_start_marker) + "MISSING 1\n2\n/b\nEND 1\n1\n1\n";
  auto decoded = decode_inspection_output(two);
  CHECK(decoded.complete);
  CHECK(decoded.programs.size() == 2);
}

TEST_CASE("batched heads count only where every header sits at its exact offset",
          "[collect][inspect]") {
  const std::string a = "/opt/a:1: <==\n==> /opt/b", b = "/opt/b";
  auto decode = [&](std::size_t a_count, std::string_view head_output) {
    std::string out = std::string(inspect_start_marker) + head_declaration(a, a_count) +
                      head_declaration(b, 2) + "HEADS 1\n" + segment(od_hex(head_output)) +
                      "END 1\n1\n2\n";
    return decode_inspection_output(out);
  };
  std::string a_bytes = "\x7f"
                        "ELF-and-more-than-sixteen-bytes";
  std::string good = "==> " + a + " <==\n" + a_bytes + "\n==> " + b + " <==\nxy";
  auto ok = decode(a_bytes.size(), good);
  REQUIRE(ok.complete);
  REQUIRE(ok.programs.size() == 2);
  CHECK(ok.programs[0].head == a_bytes);
  CHECK(ok.programs[0].elf);
  CHECK(ok.programs[1].head == "xy");
  CHECK(ok.programs[1].error.empty());

  // /opt/a shrank by 3 bytes after stat (its count says 3 more): its bytes would swallow
  // b's header, and b's header is no longer where it should be. Nobody gets a head.
  for (auto shifted : {a_bytes.size() + 3, a_bytes.size() - 3}) {
    auto changed = decode(shifted, good);
    REQUIRE(changed.complete);
    REQUIRE(changed.programs.size() == 2);
    for (const auto& facts : changed.programs) {
      CHECK(facts.head.empty());
      CHECK(facts.error == "head not read: the file changed during the inspection");
    }
  }
  // b grew: a is still exact (b's header where expected), b's tail is not.
  auto grown = decode(a_bytes.size(), good + "z");
  CHECK(grown.programs[0].head == a_bytes);
  CHECK(grown.programs[1].head.empty());
  // head could not open a (no header at all), or the hex is not od's.
  auto unopened = decode(a_bytes.size(), "==> " + b + " <==\nxy");
  CHECK(unopened.programs[0].head.empty());
  CHECK(unopened.programs[1].head.empty());
  std::string garbage = std::string(inspect_start_marker) + head_declaration(b, 2) + "HEADS 1\n" +
                        segment(" 3d 3g") + "END 1\n1\n1\n";
  auto bad = decode_inspection_output(garbage);
  REQUIRE(bad.programs.size() == 1);
  CHECK(bad.programs[0].error.find("head not read") == 0);
  // Declarations do not survive into the next run of the script (xargs split the list).
  std::string split = std::string(inspect_start_marker) + head_declaration(a, 1) + "END 1\n1\n1\n" +
                      std::string(inspect_start_marker) + head_declaration(b, 2) + "HEADS 1\n" +
                      segment(od_hex("==> " + b + " <==\nxy")) + "END 1\n1\n1\n";
  auto runs = decode_inspection_output(split);
  REQUIRE(runs.programs.size() == 1); // a was only declared, never reported
  CHECK(runs.programs[0].path == b);
  CHECK(runs.programs[0].head == "xy");
  // A declaration out of bounds is not ours.
  auto huge =
      decode_inspection_output(std::string(inspect_start_marker) + head_declaration(b, 257));
  CHECK(huge.error == "unexpected record");
}

TEST_CASE("a file whose size is not what stat said falls back to per-file heads",
          "[collect][inspect]") {
  // /proc files stat as 0 bytes yet read as more: head's output is longer than the sizes
  // announce, as when a file grows between stat and head.
  const std::string proc = "/proc/self/status";
  if (!fs::is_regular_file(proc)) {
    WARN("no /proc: test skipped");
    return;
  }
  TempDir dir;
  write_file(dir.path / "job.sh", "#!/bin/sh\nexit 0\n", fs::perms::owner_all);
  const std::string job = (dir.path / "job.sh").string();
  auto plan = plan_inspection({job, proc});
  std::string out = run_shell(dir, inspect_command(false, {}), plan.payload);
  INFO(out.substr(0, 2000));
  auto decoded = decode_inspection_output(out);
  REQUIRE(decoded.complete);
  CHECK(occurrences(out, "\nHEADS 1\n") == 0);
  CHECK(occurrences(out, "\nHEAD 2\n") == 2);
  const auto* facts = find_program(decoded.programs, job);
  REQUIRE(facts != nullptr);
  CHECK(facts->head == "#!/bin/sh\nexit 0\n");
  CHECK(facts->error.empty());
  const auto* status = find_program(decoded.programs, proc);
  REQUIRE(status != nullptr);
  CHECK(status->size == 0);
  CHECK(status->head.empty()); // as many bytes as stat announced, as before
}

TEST_CASE("Go build info: inline format, pointer format and cut blobs", "[collect][go]") {
  std::string modinfo = sentinel_start +
                        "path\texample.com/settle/cmd/settle\n"
                        "mod\texample.com/settle\t(devel)\t\n"
                        "dep\tgolang.org/x/sys\tv0.1.0\th1:abc=\n"
                        "build\tGOOS=linux\n" +
                        sentinel_end;
  auto info = parse_go_build_info(inline_blob("go1.21.4", modinfo) + std::string(1000, '\0'));
  CHECK(info.found);
  CHECK(info.inline_strings);
  CHECK(info.version == "go1.21.4");
  CHECK(info.main_path == "example.com/settle/cmd/settle");
  CHECK(info.main_module == "example.com/settle");
  CHECK(info.note.empty());

  std::string pointer_format(go_build_info_magic);
  pointer_format += std::string("\x08\x00", 2) + std::string(16, '\x41');
  auto old = parse_go_build_info(pointer_format);
  CHECK(old.found);
  CHECK_FALSE(old.inline_strings);
  CHECK(old.version.empty());
  CHECK(old.note.find("before 1.18") != std::string::npos);

  // Cut anywhere: never more than what is there, never a crash.
  std::string full = inline_blob("go1.21.4", modinfo);
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    auto part = parse_go_build_info(std::string_view(full).substr(0, cut));
    CHECK(part.main_module.size() <= cut);
    if (cut < 32) {
      CHECK_FALSE(part.found);
    }
  }
  // A length that claims more than the blob holds.
  std::string lying = inline_blob("go1.21.4", "");
  lying.back() = '\x7f';
  lying[32] = '\xff';
  CHECK(parse_go_build_info(lying).version.empty());
  // Built outside a module: no sentinels, version still read.
  auto bare = parse_go_build_info(inline_blob("go1.20", "path\tcommand-line-arguments\n"));
  CHECK(bare.version == "go1.20");
  CHECK(bare.main_module.empty());
  CHECK_FALSE(parse_go_build_info("\x7f"
                                  "ELF")
                  .found);
}

TEST_CASE("Go build info of a real Go binary, through the inspect script", "[collect][go]") {
  if (std::system("command -v go >/dev/null 2>&1") != 0) {
    WARN("go is not installed (package golang-go): real binary test skipped");
    return;
  }
  TempDir dir;
  fs::create_directories(dir.path / "src");
  write_file(dir.path / "src" / "go.mod", "module example.com/settle\n\ngo 1.18\n",
             fs::perms::owner_read | fs::perms::owner_write);
  write_file(dir.path / "src" / "main.go",
             "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"settle\") }\n",
             fs::perms::owner_read | fs::perms::owner_write);
  std::string env = fmt::format("HOME='{0}' GOCACHE='{0}/cache' GOPATH='{0}/gopath' "
                                "GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GO111MODULE=on",
                                dir.path.string());
  std::string build = fmt::format("cd '{}/src' && {} go build -o ../settle . >/dev/null 2>&1",
                                  dir.path.string(), env);
  REQUIRE(std::system(build.c_str()) == 0);
  std::string version_line = run_shell(dir, fmt::format("{} go env GOVERSION", env), "");
  std::string version = version_line.substr(0, version_line.find('\n'));
  REQUIRE(version.starts_with("go1."));

  std::string binary = read_file(dir.path / "settle");
  auto at = binary.find(go_build_info_magic);
  REQUIRE(at != std::string::npos);
  auto direct = parse_go_build_info(std::string_view(binary).substr(at, 65536));
  CHECK(direct.version == version);
  CHECK(direct.main_module == "example.com/settle");
  CHECK(direct.main_path == "example.com/settle");

  const std::string path = (dir.path / "settle").string();
  auto plan = plan_inspection({path});
  auto decoded = decode_inspection_output(run_shell(dir, inspect_command(false, {}), plan.payload));
  REQUIRE(decoded.complete);
  const auto* facts = find_program(decoded.programs, path);
  REQUIRE(facts != nullptr);
  CHECK(facts->elf);
  CHECK(facts->go_version == version);
  CHECK(facts->go_module == "example.com/settle");
  CHECK(facts->sha256 == sha256_hex(binary));

  // Several Go binaries in one grep, under names that grep's "NAME:OFFSET:" lines make hard,
  // one through a symlink, plus a big executable without the magic: same facts per file as
  // the per-file path, the blob budget spent in the same order.
  const std::vector<std::string> names = {"a:1:b", "plain", "new\nline", "not-go"};
  std::vector<std::string> targets;
  for (const auto& name : names) {
    auto copy = dir.path / name;
    write_file(copy, name == "not-go" ? std::string(200000, 'x') : binary, fs::perms::owner_all);
    targets.push_back(copy.string());
  }
  fs::create_symlink(dir.path / "plain", dir.path / "link");
  targets.push_back((dir.path / "link").string());
  targets.push_back(path);
  auto many = plan_inspection(targets);
  for (auto limits : {InspectLimits{}, InspectLimits{.max_blob_bytes = 65536}}) {
    std::string command = inspect_command(false, limits);
    std::string fast = run_shell(dir, command, many.payload);
    std::string slow = run_shell(dir, command + " --portable", many.payload);
    auto fast_decoded = decode_inspection_output(fast);
    auto slow_decoded = decode_inspection_output(slow);
    REQUIRE(fast_decoded.complete);
    REQUIRE(slow_decoded.complete);
    CHECK(by_path(fast_decoded.programs) == by_path(slow_decoded.programs));
    std::size_t with_version = 0;
    for (const auto& program : fast_decoded.programs) {
      with_version += program.go_version == version;
    }
    // Default budget: all five Go files. 64 KiB: the first one's blob, nothing left after.
    CHECK(with_version == (limits.max_blob_bytes > 65536 ? 5u : 1u));
  }
  auto decoded_many =
      decode_inspection_output(run_shell(dir, inspect_command(false, {}), many.payload));
  for (const auto& target : targets) {
    const auto* one = find_program(decoded_many.programs, target);
    REQUIRE(one != nullptr);
    CHECK(one->elf == !target.ends_with("not-go"));
    CHECK(one->go_module == (target.ends_with("not-go") ? "" : "example.com/settle"));
  }
}
