#include "digger/command/command.hpp"

#include "digger/command/shell_commands.hpp"
#include "digger/command/shell_words.hpp"
#include "digger/command/wrappers.hpp"

#include <utility>

namespace digger::command {
namespace {

// `sh -c "su -c '...'"` nests shell strings; real lines use two or three levels.
constexpr int max_nesting = 8;
// Longer than any real path (PATH_MAX): stops `cd a && cd a && ...` from growing paths.
constexpr std::size_t max_path = 4096;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_relative(std::string_view path) {
  return !path.empty() && path[0] != '/' && path[0] != '~' && path[0] != '$';
}

// "dir" + "./run.py" -> "dir/run.py"; an absolute (or ~ / $VAR) path stays as it is.
std::string join_path(const std::optional<std::string>& dir, std::string_view path) {
  if (!dir || dir->empty() || !is_relative(path) || dir->size() + path.size() > max_path) {
    return std::string(path);
  }
  while (starts_with(path, "./")) {
    path.remove_prefix(2);
  }
  if (path == ".") {
    return *dir;
  }
  return dir->back() == '/' ? *dir + std::string(path) : *dir + "/" + std::string(path);
}

bool is_input_redirect(const std::string& op) {
  return op.find('<') != std::string::npos;
}

bool is_fd_number(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789-") == std::string::npos;
}

// The file descriptor a redirection writes: 1 unless a number comes first ("2>") or it is
// "&>" (both).
bool writes_stdout(const std::string& op) {
  return op[0] == '>' || op[0] == '&' || starts_with(op, "1>");
}

struct Level {
  std::optional<std::string> cwd;
  int depth = 0;
};

struct Candidate {
  Invocation inv;
  const SimpleCommand* command = nullptr;
  std::optional<std::string> cwd;
  bool cwd_from_cd = false;
  int rank = 3; // 0 real work, 1 a pipe consumer, 2 a helper
};

class Analyzer {
public:
  CommandAnalysis run(std::string_view command) {
    out_.carriage_return = command.find('\r') != std::string_view::npos;
    analyze_level(command, Level{});
    if (unterminated_) {
      // The shell refuses such a line ("unexpected EOF"), so the job never runs its program.
      // It is still that language's job, broken: keep the language and say why it fails.
      out_.evidence = out_.language == Language::unknown
                          ? "unterminated quote or substitution"
                          : out_.evidence + "; broken: unterminated quote or substitution";
    }
    return std::move(out_);
  }

private:
  void analyze_level(std::string_view text, const Level& level) {
    ShellWords words = split_shell_words(text);
    unterminated_ = unterminated_ || !words.complete;
    out_.complete = out_.complete && words.complete;
    const CommandList list = split_commands(words.tokens);
    note_redirects(list);
    out_.chain += static_cast<int>(list.commands.size()) - (level.depth > 0 ? 1 : 0);
    Candidate main = pick_main(list, level.cwd);
    if (main.command == nullptr) {
      out_.evidence = level.depth == 0 ? "empty command" : "empty shell string";
      return;
    }
    if (main.cwd_from_cd) {
      out_.wrappers.push_back("cd");
    }
    absorb_wrappers(main);
    if (main.inv.shell_script) {
      descend(*main.inv.shell_script, main.cwd, level.depth + 1);
      return;
    }
    describe(main);
  }

  void descend(const std::string& script, const std::optional<std::string>& cwd, int depth) {
    if (depth > max_nesting) {
      out_.complete = false;
      out_.language = Language::unknown;
      out_.evidence = "shell strings nested too deep";
      return;
    }
    analyze_level(script, Level{cwd, depth});
  }

  Candidate pick_main(const CommandList& list, const std::optional<std::string>& base_cwd) {
    Candidate best;
    CwdTracker cwd(base_cwd);
    for (const SimpleCommand& command : list.commands) {
      std::vector<std::string> argv = program_words(command);
      cwd.enter(command.depth);
      if (command.control || argv.empty()) {
        continue;
      }
      if (argv[0] == "cd") {
        cwd.change_dir(argv, command.depth);
        continue;
      }
      Invocation inv = unwrap(std::move(argv));
      note_lock(inv);
      const int rank = rank_of(inv, command);
      if (rank < best.rank) {
        best = Candidate{std::move(inv), &command, cwd.current(), cwd.changed(), rank};
      }
    }
    return best;
  }

  // Follows `cd` through the list: a cd inside ( ) applies until the list leaves that depth.
  class CwdTracker {
  public:
    explicit CwdTracker(std::optional<std::string> base) : base_(std::move(base)) {}

    void enter(int depth) {
      while (!stack_.empty() && stack_.back().first > depth) {
        stack_.pop_back();
      }
    }
    void change_dir(const std::vector<std::string>& argv, int depth) {
      std::size_t i = 1;
      while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-') {
        ++i; // -P, -L, -e
      }
      std::optional<std::string> next;
      if (i >= argv.size()) {
        next = "~";
      } else if (argv[i] != "-") {
        next = join_path(current(), argv[i]);
      }
      if (!stack_.empty() && stack_.back().first == depth) {
        stack_.back().second = std::move(next);
      } else {
        stack_.emplace_back(depth, std::move(next));
      }
    }
    std::optional<std::string> current() const {
      return stack_.empty() ? base_ : stack_.back().second;
    }
    bool changed() const { return !stack_.empty(); }

  private:
    std::optional<std::string> base_;
    std::vector<std::pair<int, std::optional<std::string>>> stack_;
  };

  static std::vector<std::string> program_words(const SimpleCommand& command) {
    std::vector<std::string> argv;
    bool leading = true;
    for (const ShellToken& word : command.words) {
      if (leading && word.is_assignment) {
        continue; // VAR=x before the program only sets its environment
      }
      leading = false;
      argv.push_back(word.text);
    }
    return argv;
  }

  static int rank_of(const Invocation& inv, const SimpleCommand& command) {
    if (inv.shell_script) {
      return 0;
    }
    if (inv.lock_only || inv.argv.empty()) {
      return 2;
    }
    const std::string_view name = base_name(inv.argv[0]);
    if (is_helper_command(name)) {
      return 2;
    }
    // A one-liner such as `perl -e 'sleep int(rand(3600))'` (Debian's certbot jitter) only
    // counts when no program in the chain does named work.
    const bool sink = command.pipe_input && is_pipe_sink_command(name);
    return sink || classify_program(inv.argv).inline_code ? 1 : 0;
  }

  void note_lock(const Invocation& inv) {
    out_.nonblocking_lock = out_.nonblocking_lock || inv.nonblocking_lock;
    if (inv.lock_file && !out_.lock_file) {
      out_.lock_file = inv.lock_file;
    }
  }

  void note_redirects(const CommandList& list) {
    for (const SimpleCommand& command : list.commands) {
      for (const ShellToken& r : command.redirects) {
        note_redirect(r);
      }
    }
    for (const ShellToken& r : list.group_redirects) {
      note_redirect(r);
    }
  }

  void note_redirect(const ShellToken& r) {
    if (is_input_redirect(r.text)) {
      return;
    }
    out_.redirects_output = true;
    const bool duplicate = r.text.back() == '&' && is_fd_number(r.target); // 2>&1, >&2
    if (duplicate || r.target.empty()) {
      return;
    }
    if (r.target == "/dev/null") {
      out_.discards_output = out_.discards_output || writes_stdout(r.text);
    } else if (out_.output_files.size() < 16) {
      out_.output_files.push_back(r.target);
    }
  }

  void absorb_wrappers(Candidate& main) {
    Invocation& inv = main.inv;
    out_.wrappers.insert(out_.wrappers.end(), inv.wrappers.begin(), inv.wrappers.end());
    if (inv.run_as) {
      out_.run_as = inv.run_as;
    }
    if (inv.container) {
      out_.container = inv.container;
    }
    if (inv.working_dir) {
      main.cwd = join_path(main.cwd, *inv.working_dir);
    }
  }

  static std::optional<std::string> stdin_file(const SimpleCommand& command) {
    for (const ShellToken& r : command.redirects) {
      if ((r.text == "<" || r.text == "0<") && !r.target.empty()) {
        return r.target;
      }
    }
    return std::nullopt;
  }

  void describe(const Candidate& main) {
    const std::vector<std::string>& argv = main.inv.argv;
    Runtime runtime = classify_program(argv, stdin_file(*main.command));
    out_.program = argv.empty() ? std::string{} : argv[0];
    out_.language = runtime.language;
    out_.evidence = std::move(runtime.evidence);
    out_.target =
        runtime.target_is_path ? join_path(main.cwd, runtime.target) : std::move(runtime.target);
    out_.working_dir = main.cwd;
    out_.module = std::move(runtime.module);
    out_.framework = std::move(runtime.framework);
    out_.subcommand = std::move(runtime.subcommand);
    out_.url = std::move(runtime.url);
    if (runtime.run_parts_dir) {
      out_.run_parts_dir = join_path(main.cwd, *runtime.run_parts_dir);
    }
    if (!argv.empty()) {
      out_.arguments.assign(argv.begin() + 1, argv.end());
    }
  }

  CommandAnalysis out_;
  bool unterminated_ = false;
};

} // namespace

CommandAnalysis analyze_command(std::string_view command) {
  return Analyzer{}.run(command);
}

} // namespace digger::command
