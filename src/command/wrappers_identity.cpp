// Wrappers that change who or where the inner program runs: sudo, doas, su, runuser,
// docker/compose exec and run, kubectl exec, dokku run.
#include "digger/command/option_scan.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "wrapper_peelers.hpp"

namespace digger::command::detail {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

const OptionSpec sudo_spec{"ugpChrtTDUR",
                           "",
                           {"user", "group", "prompt", "close-from", "host", "role", "type",
                            "command-timeout", "chdir", "other-user", "chroot"}};

// Options that make sudo do something other than run a command.
bool is_sudo_mode_option(const ScannedOption& o) {
  static constexpr std::string_view modes[] = {
      "l", "e", "v", "V", "K", "list", "edit", "validate", "version", "remove-timestamp"};
  for (std::string_view m : modes) {
    if (o.name == m) {
      return true;
    }
  }
  return false;
}

struct SuCall {
  std::optional<std::string> user;
  std::optional<std::string> command;
};

// su permutes its arguments (`su - deploy -c cmd` and `su -c cmd deploy` both work), so
// every word is looked at; the first positional word is the user.
SuCall read_su(const Args& args, std::size_t pos) {
  static constexpr std::string_view takes_value[] = {
      "-s", "--shell", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment"};
  SuCall call;
  for (std::size_t i = pos; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-c" || a == "--command" || a == "--session-command") {
      if (i + 1 < args.size()) {
        call.command = args[++i];
      }
    } else if (starts_with(a, "--command=") || starts_with(a, "--session-command=")) {
      call.command = a.substr(a.find('=') + 1);
    } else if (std::find(std::begin(takes_value), std::end(takes_value), a) !=
               std::end(takes_value)) {
      ++i;
    } else if (a.size() > 1 && a[0] == '-' && a[1] != '-') {
      // A cluster such as -lc: a 'c' takes the rest of the cluster or the next word.
      const std::size_t c = a.find('c');
      if (c != std::string::npos) {
        if (c + 1 < a.size()) {
          call.command = a.substr(c + 1);
        } else if (i + 1 < args.size()) {
          call.command = args[++i];
        }
      }
    } else if (!a.empty() && a[0] != '-' && !call.user) {
      call.user = a;
    }
  }
  return call;
}

} // namespace

bool peel_sudo(Invocation& inv, Args& args, std::size_t& pos) {
  OptionScanner scanner(args, pos, sudo_spec);
  std::string user = "root";
  while (auto o = scanner.next()) {
    if (is_sudo_mode_option(*o)) {
      return false;
    }
    if (o->name == "u" || o->name == "user") {
      user = o->value;
    } else if (o->name == "D" || o->name == "chdir") {
      inv.working_dir = o->value;
    }
  }
  pos = scanner.position();
  while (pos < args.size() && is_env_assignment(args[pos])) {
    ++pos;
  }
  if (pos >= args.size()) {
    return false; // `sudo -i` alone: an interactive shell
  }
  inv.run_as = user;
  return true;
}

bool peel_doas(Invocation& inv, Args& args, std::size_t& pos) {
  OptionScanner scanner(args, pos, {"uC", "", {}});
  std::string user = "root";
  while (auto o = scanner.next()) {
    if (o->name == "u") {
      user = o->value;
    }
  }
  pos = scanner.position();
  if (pos >= args.size()) {
    return false;
  }
  inv.run_as = user;
  return true;
}

bool peel_su(Invocation& inv, Args& args, std::size_t& pos) {
  SuCall call = read_su(args, pos);
  if (!call.command) {
    return false; // without -c su only opens a shell
  }
  inv.run_as = call.user.value_or("root");
  inv.shell_script = std::move(*call.command);
  pos = args.size();
  return true;
}

bool peel_runuser(Invocation& inv, Args& args, std::size_t& pos) {
  // `runuser -u USER [--] cmd` runs cmd directly; any other form behaves like su.
  OptionScanner scanner(args, pos,
                        {"ugGswc",
                         "",
                         {"user", "group", "supp-group", "shell", "command", "session-command",
                          "whitelist-environment"}});
  std::optional<std::string> user;
  while (auto o = scanner.next()) {
    if (o->name == "u" || o->name == "user") {
      user = o->value;
    }
  }
  if (!user) {
    return peel_su(inv, args, pos);
  }
  pos = scanner.position();
  if (pos >= args.size()) {
    return false;
  }
  inv.run_as = *user;
  return true;
}

namespace {

// docker and compose global options, then `exec` or `run` with their own options, then the
// container (or service, or image) and the command.
const OptionSpec docker_global_spec{"cHlfp",
                                    "",
                                    {"context", "host", "log-level", "config", "file",
                                     "project-name", "project-directory", "env-file", "profile",
                                     "ansi", "tlscacert", "tlscert", "tlskey", "parallel"}};
const OptionSpec docker_exec_spec{
    "euwvpl", "", {"env",      "env-file", "user",       "workdir",  "detach-keys",
                   "index",    "volume",   "publish",    "name",     "entrypoint",
                   "label",    "network",  "platform",   "pull",     "mount",
                   "memory",   "cpus",     "add-host",   "hostname", "cap-add",
                   "cap-drop", "restart",  "log-driver", "log-opt",  "runtime"}};

bool peel_container_command(Invocation& inv, Args& args, std::size_t& pos) {
  if (pos >= args.size() || (args[pos] != "exec" && args[pos] != "run")) {
    return false;
  }
  ++pos;
  OptionScanner scanner(args, pos, docker_exec_spec);
  while (auto o = scanner.next()) {
    if (o->name == "w" || o->name == "workdir") {
      inv.working_dir = o->value;
    }
  }
  pos = scanner.position();
  if (pos + 1 >= args.size()) {
    return false; // no command given: the image's own entrypoint runs
  }
  inv.container = args[pos++];
  return true;
}

void skip_docker_globals(const Args& args, std::size_t& pos) {
  OptionScanner scanner(args, pos, docker_global_spec);
  while (scanner.next()) {
  }
  pos = scanner.position();
}

} // namespace

bool peel_docker(Invocation& inv, Args& args, std::size_t& pos) {
  skip_docker_globals(args, pos);
  if (pos < args.size() && args[pos] == "compose") {
    ++pos;
    skip_docker_globals(args, pos);
  }
  return peel_container_command(inv, args, pos);
}

bool peel_docker_compose(Invocation& inv, Args& args, std::size_t& pos) {
  skip_docker_globals(args, pos);
  return peel_container_command(inv, args, pos);
}

bool peel_kubectl(Invocation& inv, Args& args, std::size_t& pos) {
  const OptionSpec spec{"nc", "", {"namespace", "container", "context", "kubeconfig", "cluster"}};
  OptionScanner globals(args, pos, spec);
  while (globals.next()) {
  }
  pos = globals.position();
  if (pos >= args.size() || args[pos] != "exec") {
    return false;
  }
  ++pos;
  OptionScanner before(args, pos, spec);
  while (before.next()) {
  }
  pos = before.position();
  if (pos >= args.size()) {
    return false;
  }
  inv.container = args[pos++];
  OptionScanner after(args, pos, spec); // flags may follow the pod; "--" ends them
  while (after.next()) {
  }
  pos = after.position();
  return pos < args.size();
}

// `dokku [--quiet|--trace|--rm] run [--no-tty] [-e K=V] APP CMD...`: CMD runs in the app's
// container (run:detached too).
bool peel_dokku(Invocation& inv, Args& args, std::size_t& pos) {
  const OptionSpec spec{"e", "", {"env", "app"}};
  OptionScanner globals(args, pos, spec);
  while (globals.next()) {
  }
  pos = globals.position();
  if (pos >= args.size() || (args[pos] != "run" && args[pos] != "run:detached")) {
    return false;
  }
  ++pos;
  OptionScanner options(args, pos, spec);
  while (options.next()) {
  }
  pos = options.position();
  if (pos + 1 >= args.size()) {
    return false; // no command: nothing to see through
  }
  inv.container = args[pos++];
  return true;
}

} // namespace digger::command::detail
