// The second round trip's pieces: target planning, the inspect script run locally (no SSH),
// its decoder, and the Go build info parser on hand-made blobs and on a real Go binary.
#include "digger/collect/go_build_info.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/inspect.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "local_shell.hpp"

using namespace digger::collect;
using namespace digger::testing;
namespace fs = std::filesystem;

namespace {

const digger::command::ProgramFacts*
find_program(const std::vector<digger::command::ProgramFacts>& all, const std::string& path) {
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

std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
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

std::vector<InspectionTarget> as_root(const std::vector<std::string>& paths) {
  std::vector<InspectionTarget> out;
  for (const auto& path : paths) {
    out.push_back({path, {"root"}});
  }
  return out;
}

bool is_root() {
  return ::geteuid() == 0;
}

// The test's scratch directory must be searchable for a run-as user other than root.
void open_up(const TempDir& dir) {
  fs::permissions(dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
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
  auto plan = plan_inspection(as_root(targets));
  CHECK(plan.paths.size() == 256);
  CHECK(plan.requested == 310);
  CHECK(plan.over_bound.size() == 54);
  CHECK(plan.note == "bound hit: 256 of 310 targets inspected");
  CHECK(plan.rejected.size() == 3);
  CHECK(std::count(plan.payload.begin(), plan.payload.end(), '\0') == 257);
  // The host's read budget first, then each path behind the users its jobs run as.
  CHECK(plan.payload.starts_with(std::string("+268435456\0root/opt/job0\0root/opt/job1\0", 39)));

  InspectLimits small;
  small.max_payload_bytes = 36;
  small.max_read_bytes = 7;
  auto budget = plan_inspection(as_root({"/opt/aaaaaaaaaa", "/opt/bbbbbbbbbb", "/c"}), small);
  CHECK(budget.paths == std::vector<std::string>{"/opt/aaaaaaaaaa", "/c"});
  CHECK(budget.note == "bound hit: 2 of 3 targets inspected");
  CHECK(budget.payload == std::string("+7\0root/opt/aaaaaaaaaa\0root/c\0", 30));

  // Accounts that cannot be asked about safely are left out (nothing is read for them).
  auto users = plan_inspection(
      {{"/opt/x", {"alice", "-u0", "bob smith", "svc$", "a,b", "x/y", ""}}, {"/opt/y", {}}});
  CHECK(users.payload == std::string("+268435456\0alice,svc$/opt/x\0/opt/y\0", 35));
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
  write_file(dir.path / "back\\slash\nline", "#!/bin/sh\nexit 0\n", fs::perms::owner_all);
  write_file(dir.path / "colon:1: <==\n==> x", "#!/bin/sh\n# colon\n", fs::perms::owner_all);
  write_file(dir.path / "plain.txt", "hello PGPASSWORD=x\n", fs::perms::owner_all);
  write_file(dir.path / "extra.sh", "#!/bin/dash\n", fs::perms::owner_all);
  fs::create_symlink(dir.path / "job.py", dir.path / "link");
  const std::string colon = (dir.path / "colon:1: <==\n==> x").string();
  const std::string job = (dir.path / "job.py").string();
  const std::string link = (dir.path / "link").string();
  const std::string secret = (dir.path / "secret").string();
  const std::string odd = (dir.path / "odd name;$(touch pwned)").string();
  const std::string missing = (dir.path / "missing").string();
  const std::string directory = dir.path.string();
  const std::string escaped = (dir.path / "back\\slash\nline").string();
  const std::string plain = (dir.path / "plain.txt").string();
  const std::string extra = (dir.path / "extra.sh").string();
  auto plan = plan_inspection(
      as_root({job, link, secret, odd, missing, directory, escaped, colon, plain, extra}));
  REQUIRE(plan.paths.size() == 10);
  std::string out = run_shell(dir, inspect_command(false, {}), plan.payload);
  auto decoded = decode_inspection_output(out);
  INFO(out.substr(0, 3000));
  REQUIRE(decoded.error.empty());
  CHECK(decoded.complete);
  // Seven readable files: two children (six descriptors each at most).
  CHECK(occurrences(out, "\nREAD 7\n") == 1);
  CHECK(occurrences(out, "\nREAD 2\n") == 1);
  const auto* second = find_program(decoded.programs, extra);
  REQUIRE(second != nullptr);
  CHECK(second->head == "#!/bin/dash");
  const auto* colon_facts = find_program(decoded.programs, colon);
  REQUIRE(colon_facts != nullptr);
  CHECK(colon_facts->head == "#!/bin/sh");
  CHECK(colon_facts->sha256 == sha256_hex("#!/bin/sh\n# colon\n"));

  const auto* facts = find_program(decoded.programs, job);
  REQUIRE(facts != nullptr);
  CHECK(facts->exists);
  CHECK(facts->type == "file");
  CHECK(facts->mode == 0755);
  CHECK(facts->size == static_cast<std::int64_t>(script_text.size()));
  CHECK(facts->head == "#!/usr/bin/env python3"); // the shebang line only
  CHECK(facts->sha256 == sha256_hex(script_text));
  CHECK(facts->uid == static_cast<std::int64_t>(::geteuid()));
  CHECK_FALSE(facts->elf);
  CHECK(facts->resolved_path.empty());
  CHECK(facts->dir_mode ==
        (static_cast<std::uint32_t>(fs::status(dir.path).permissions()) & 07777));
  CHECK(out.find("print(") == std::string::npos); // read for the hash, never sent

  const auto* via_link = find_program(decoded.programs, link);
  REQUIRE(via_link != nullptr);
  CHECK(via_link->resolved_path == fs::canonical(job).string());
  CHECK(via_link->head == "#!/usr/bin/env python3");
  CHECK(via_link->sha256 == facts->sha256);

  const auto* hidden = find_program(decoded.programs, secret);
  REQUIRE(hidden != nullptr);
  CHECK(hidden->exists);
  CHECK(hidden->head.empty());
  CHECK(hidden->sha256.empty());
  CHECK(hidden->error.find("not read") != std::string::npos);
  CHECK(out.find("TOPSECRET-CANARY") == std::string::npos);

  const auto* text = find_program(decoded.programs, plain);
  REQUIRE(text != nullptr);
  CHECK(text->head.empty()); // no shebang, no magic: nothing of it is kept
  CHECK_FALSE(text->sha256.empty());

  const auto* hostile = find_program(decoded.programs, odd);
  REQUIRE(hostile != nullptr);
  CHECK(hostile->head == "#!/bin/sh");
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

TEST_CASE("program bytes only where a run-as user could read the file itself",
          "[collect][inspect][root]") {
  if (!is_root()) {
    WARN("not root: the run-as user checks need files root alone can read");
    return;
  }
  TempDir dir;
  open_up(dir);
  const auto all = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                   fs::perms::others_read | fs::perms::others_exec;
  write_file(dir.path / "root-only.sh", "#!/bin/sh\nexport PGPASSWORD=CANARY-ROOT-ONLY\n",
             fs::perms::owner_all);
  write_file(dir.path / "open.sh", "#!/bin/sh\necho open\n", all);
  fs::create_directory(dir.path / "closed");
  fs::permissions(dir.path / "closed", fs::perms::owner_all);
  write_file(dir.path / "closed" / "inner.sh", "#!/bin/sh\n# CANARY-CLOSED-DIR\n", all);
  const std::string root_only = (dir.path / "root-only.sh").string();
  const std::string open = (dir.path / "open.sh").string();
  const std::string inner = (dir.path / "closed" / "inner.sh").string();
  auto plan = plan_inspection({{root_only, {"nobody"}},
                               {open, {"nobody"}},
                               {inner, {"nobody"}},
                               {(dir.path / "shared").string(), {}}});
  std::string out = run_shell(dir, inspect_command(false, {}), plan.payload);
  INFO(out.substr(0, 3000));
  auto decoded = decode_inspection_output(out);
  REQUIRE(decoded.complete);
  CHECK(out.find("CANARY") == std::string::npos);
  for (const auto& path : {root_only, inner}) {
    const auto* p = find_program(decoded.programs, path);
    REQUIRE(p != nullptr);
    CHECK(p->exists);
    CHECK(p->head.empty());
    CHECK(p->sha256.empty());
    CHECK(p->unreadable_by == std::vector<std::string>{"nobody"});
    CHECK(p->error == "not read: no run-as user of its jobs can read it");
  }
  const auto* readable = find_program(decoded.programs, open);
  REQUIRE(readable != nullptr);
  CHECK(readable->head == "#!/bin/sh");
  CHECK(readable->unreadable_by.empty());

  // Root's own job on the same file: read for root (redacted), denied for nobody.
  auto both = plan_inspection({{root_only, {"nobody", "root"}}});
  auto shared = decode_inspection_output(run_shell(dir, inspect_command(false, {}), both.payload));
  REQUIRE(shared.programs.size() == 1);
  CHECK(shared.programs[0].head == "#!/bin/sh");
  CHECK(shared.programs[0].unreadable_by == std::vector<std::string>{"nobody"});
  CHECK_FALSE(shared.programs[0].sha256.empty());

  // Deeper than the 64 directories the script checks: not read, and no denial claimed.
  fs::path deep = dir.path;
  for (int i = 0; i < 70; ++i) {
    deep /= "d";
  }
  fs::create_directories(deep);
  write_file(deep / "job.sh", "#!/bin/sh\n", all);
  auto too_deep = plan_inspection({{(deep / "job.sh").string(), {"nobody"}}});
  auto unchecked =
      decode_inspection_output(run_shell(dir, inspect_command(false, {}), too_deep.payload));
  REQUIRE(unchecked.programs.size() == 1);
  CHECK(unchecked.programs[0].head.empty());
  CHECK(unchecked.programs[0].unreadable_by.empty());
  CHECK(unchecked.programs[0].error.find("directories above not checked for nobody") !=
        std::string::npos);

  // A user the host does not know: nothing read, no denial claimed.
  auto ghost = plan_inspection({{open, {"digger-no-such-user"}}});
  auto unknown =
      decode_inspection_output(run_shell(dir, inspect_command(false, {}), ghost.payload));
  REQUIRE(unknown.programs.size() == 1);
  CHECK(unknown.programs[0].head.empty());
  CHECK(unknown.programs[0].unreadable_by.empty());
  CHECK(unknown.programs[0].error.find("unknown on the host") != std::string::npos);
}

TEST_CASE("a FIFO named as a program is never opened", "[collect][inspect]") {
  TempDir dir;
  const std::string fifo = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0755) == 0);
  fs::create_symlink(fifo, dir.path / "to-fifo");
  write_file(dir.path / "job.sh", "#!/bin/sh\n", fs::perms::owner_all);
  auto plan = plan_inspection(
      as_root({fifo, (dir.path / "to-fifo").string(), (dir.path / "job.sh").string()}));
  auto decoded = decode_inspection_output(run_shell(dir, inspect_command(false, {}), plan.payload));
  REQUIRE(decoded.complete); // returning at all is the test: an open would block forever
  for (const auto& p : decoded.programs) {
    CHECK(p.type == (p.path.ends_with("job.sh") ? "file" : "other"));
  }
}

TEST_CASE("a symlink flipped to a root-only file never ships its bytes",
          "[collect][inspect][root]") {
  if (!is_root()) {
    WARN("not root: the race needs a file root alone can read");
    return;
  }
  TempDir dir;
  open_up(dir);
  write_file(dir.path / "ok.sh", "#!/bin/sh\necho ok\n",
             fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  write_file(dir.path / "secret", "#!/bin/sh CANARY-FLIP-SECRET\n", fs::perms::owner_all);
  const std::string link = (dir.path / "link").string();
  fs::create_symlink(dir.path / "ok.sh", link);
  // Flip the link between the two as fast as the shell can, for as long as the runs take. The
  // loop also ends once its directory is gone (ok.sh no longer found), so a failed or
  // interrupted test never leaves it spinning behind; a finished one waits for its `stopped`
  // (the directory cannot be removed while the loop still makes links in it).
  std::string flipper =
      fmt::format("cd '{}' && while [ -e ok.sh ] && [ ! -e stop ]; do ln -sfn secret link.new && "
                  "mv -fT link.new link; "
                  "ln -sfn ok.sh link.new && mv -fT link.new link; done; : > stopped",
                  dir.path.string());
  std::string start = fmt::format("( {} ) >/dev/null 2>&1 &", flipper);
  REQUIRE(std::system(start.c_str()) == 0);
  auto plan = plan_inspection({{link, {"nobody"}}});
  std::size_t read = 0;
  for (int run = 0; run < 40; ++run) {
    std::string out = run_shell(dir, inspect_command(false, {}), plan.payload);
    CHECK(out.find("CANARY") == std::string::npos);
    CHECK(out.find(" 43 41 4e 41 52 59") == std::string::npos); // "CANARY" as od hex
    auto decoded = decode_inspection_output(out);
    CHECK(decoded.complete);
    for (const auto& p : decoded.programs) {
      CHECK(p.sha256 != sha256_hex("#!/bin/sh CANARY-FLIP-SECRET\n"));
      read += p.head.empty() ? 0 : 1;
    }
  }
  write_file(dir.path / "stop", "", fs::perms::owner_all);
  for (int wait = 0; wait < 500 && !fs::exists(dir.path / "stopped"); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(fs::exists(dir.path / "stopped"));
  INFO("runs that read ok.sh: " << read);
}

TEST_CASE("one read budget per host", "[collect][inspect]") {
  TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 4; ++i) {
    auto path = dir.path / fmt::format("job{}.sh", i);
    write_file(path, "#!/bin/sh\n" + std::string(1000, '#') + "\n", fs::perms::owner_all);
    paths.push_back(path.string());
  }
  InspectLimits limits;
  limits.max_read_bytes = 2 * (128 + 1011) + 128; // two hashed, a third one's head only
  auto plan = plan_inspection(as_root(paths), limits);
  std::string out = run_shell(dir, inspect_command(false, limits), plan.payload);
  auto decoded = decode_inspection_output(out);
  REQUIRE(decoded.complete);
  CHECK(decoded.budget_hit);
  std::size_t hashed = 0, headed = 0;
  for (const auto& p : decoded.programs) {
    hashed += p.sha256.empty() ? 0 : 1;
    headed += p.head.empty() ? 0 : 1;
  }
  CHECK(hashed == 2);
  CHECK(headed == 3);
  HostSnapshot snapshot;
  apply_inspection(snapshot, plan, out, "");
  CHECK(snapshot.inspection_note == "read budget hit: some programs not read or not hashed");
  // A second xargs run carries no budget: it reads nothing.
  std::string tail = plan.payload.substr(plan.payload.find('\0') + 1);
  auto unbudgeted = decode_inspection_output(run_shell(dir, inspect_command(false, {}), tail));
  REQUIRE(unbudgeted.complete);
  for (const auto& p : unbudgeted.programs) {
    CHECK(p.head.empty());
    CHECK(p.sha256.empty());
  }
}

TEST_CASE("only the bytes that tell the language are kept, redacted", "[collect][inspect]") {
  CHECK(language_head("#!/usr/bin/env PGPASSWORD=hunter2 python3\nrest") ==
        "#!/usr/bin/env PGPASSWORD=*** python3");
  CHECK(language_head("#!/bin/sh\nexport PGPASSWORD=x\n") == "#!/bin/sh");
  CHECK(language_head(std::string("\x7f"
                                  "ELF\x02\x01\x01") +
                      std::string(100, 'z')) == std::string("\x7f"
                                                            "ELF\x02\x01\x01") +
                                                    std::string(13, 'z'));
  CHECK(language_head("\xEF\xBB\xBF<?php echo 1;") == "\xEF\xBB\xBF<?php");
  CHECK(language_head(std::string("PK\x03\x04rest", 8)) == std::string("PK\x03\x04", 4));
  CHECK(language_head("password=hunter2\n").empty());
  CHECK(language_head("#!" + std::string(300, 'x')).size() == 128);
}

TEST_CASE("inspection results land in the snapshot, failures keep every path",
          "[collect][inspect]") {
  auto plan = plan_inspection(as_root({"/opt/a", "relative", "/opt/b"}));
  std::string out = std::string(inspect_start_marker) +
                    "MISSING 1\n6\n/opt/a\nPROG 3\n6\n/opt/b\n0\n\n21\n81ed 0 0 5 9 1:2 root\n"
                    "DENIED 2\n6\n/opt/b\n5\nalice\nEND 1\n1\n2\n";
  HostSnapshot ok;
  apply_inspection(ok, plan, out, "");
  REQUIRE(ok.programs.size() == 3);
  CHECK_FALSE(ok.programs[0].exists);
  CHECK(ok.programs[1].exists);
  CHECK(ok.programs[1].mode == 0755);
  CHECK(ok.programs[1].size == 5);
  CHECK(ok.programs[1].dir_uid == -1); // no directory line
  CHECK(ok.programs[1].unreadable_by == std::vector<std::string>{"alice"});
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
  for (const std::string tail :
       {"PROG 3\n99999999999\nx\n", "READ 2\n1\n/\n300\nshort\n", "PROG 1\n0\n\n", "READ 9\n",
        "DENIED 2\n2\n/x\n5\nalice\n", "END 1\n"}) {
    auto decoded = decode_inspection_output(std::string(inspect_start_marker) + tail);
    if (tail == "END 1\n") {
      CHECK_FALSE(decoded.complete); // END needs its count segment
    }
    CHECK(decoded.programs.size() <= 1);
  }
  CHECK_FALSE(decode_inspection_output("sudo: a password is required\n").started);
  std::string two = std::string(inspect_start_marker) + "MISSING 1\n2\n/a\nEND 1\n1\n1\n" +
                    std::string(inspect_start_marker) + "MISSING 1\n2\n/b\nEND 1\n1\n1\n";
  auto decoded = decode_inspection_output(two);
  CHECK(decoded.complete);
  CHECK(decoded.programs.size() == 2);
}

TEST_CASE("read results count only for the checked file, where every header sits",
          "[collect][inspect]") {
  const std::string a = "/opt/a", b = "/opt/b";
  auto prog = [](const std::string& path, std::string_view id) {
    std::string stat = fmt::format("81ed 0 0 40 9 {} root", id);
    return "PROG 3\n" + segment(path) + segment("") + segment(stat);
  };
  const std::string a_bytes = "#!/bin/sh\n# a\n", b_bytes = "#!/bin/bash\n";
  auto decode = [&](std::string_view a_id, std::size_t a_size, std::string_view heads) {
    std::string text = fmt::format("F ok {} 81ed {}\nF ok 1:2 81ed {}\nH\n{}\nS\n{}  /dev/fd/4\n"
                                   "{}  /dev/fd/5\nG\nE 100\n",
                                   a_id, a_size, b_bytes.size(), od_hex(heads), sha256_hex(a_bytes),
                                   sha256_hex(b_bytes));
    std::string out = std::string(inspect_start_marker) + prog(a, "1:1") + prog(b, "1:2") +
                      "READ 3\n" + segment(a) + segment(b) + segment(text) + "END 1\n1\n2\n";
    return decode_inspection_output(out);
  };
  std::string good = "==> /dev/fd/4 <==\n" + a_bytes + "\n==> /dev/fd/5 <==\n" + b_bytes;
  auto ok = decode("1:1", a_bytes.size(), good);
  REQUIRE(ok.complete);
  REQUIRE(ok.programs.size() == 2);
  CHECK(ok.programs[0].head == "#!/bin/sh");
  CHECK(ok.programs[0].sha256 == sha256_hex(a_bytes));
  CHECK(ok.programs[1].head == "#!/bin/bash");

  // The descriptor is another file than the one stat checked (a swapped link): nothing of it.
  auto swapped = decode("1:7", a_bytes.size(), good);
  CHECK(swapped.programs[0].head.empty());
  CHECK(swapped.programs[0].sha256.empty());
  CHECK(swapped.programs[0].error == "not read: the file changed during the inspection");
  CHECK(swapped.programs[1].head == "#!/bin/bash");

  // a's size is not what its bytes say: no head for anyone after the break.
  auto shifted = decode("1:1", a_bytes.size() + 3, good);
  CHECK(shifted.programs[0].head.empty());
  CHECK(shifted.programs[1].head.empty());
  CHECK(shifted.programs[0].sha256 == sha256_hex(a_bytes)); // hashes are by descriptor name

  // The child never finished (no "E" line): nothing read, and said so.
  std::string cut = std::string(inspect_start_marker) + prog(a, "1:1") + "READ 2\n" + segment(a) +
                    segment("F ok 1:1 81ed 14\nH\n") + "END 1\n1\n1\n";
  auto unfinished = decode_inspection_output(cut);
  REQUIRE(unfinished.programs.size() == 1);
  CHECK(unfinished.programs[0].head.empty());
  CHECK(unfinished.programs[0].error == "not read: the read did not finish");
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
  auto plan = plan_inspection(as_root({path}));
  auto decoded = decode_inspection_output(run_shell(dir, inspect_command(false, {}), plan.payload));
  REQUIRE(decoded.complete);
  const auto* facts = find_program(decoded.programs, path);
  REQUIRE(facts != nullptr);
  CHECK(facts->elf);
  CHECK(facts->go_version == version);
  CHECK(facts->go_module == "example.com/settle");
  CHECK(facts->sha256 == sha256_hex(binary));

  // Several Go binaries in one grep, under names that would make grep's "NAME:OFFSET:" lines
  // hard (the child greps /dev/fd/N names only), one through a symlink, plus a big executable
  // without the magic: the blob budget is spent in order.
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
  auto many = plan_inspection(as_root(targets));
  for (auto limits : {InspectLimits{}, InspectLimits{.max_blob_bytes = 65536}}) {
    std::string command = inspect_command(false, limits);
    auto fast_decoded = decode_inspection_output(run_shell(dir, command, many.payload));
    REQUIRE(fast_decoded.complete);
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
