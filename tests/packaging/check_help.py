#!/usr/bin/python3
"""check_help.py DIGGER_SCAN COMPLETION ZSH_COMPLETION MAN_MARKDOWN: the bash and zsh
completions offer exactly the subcommands, options and option choices of the program's --help
(read here by a parser of its own), and the man page (docs/digger-scan.1.md, from which the roff page is generated)
names every option of every subcommand."""
import re
import subprocess
import sys

SCAN, COMPLETION, ZSH_COMPLETION, MARKDOWN = sys.argv[1:5]
failures = []


def help_text(subcommand):
    args = [SCAN] + ([subcommand] if subcommand else []) + ["--help"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def section(text, title):
    part = text.split(f"\n{title}:\n", 1)
    return part[1].split("\n\n", 1)[0] if len(part) == 2 else ""


def subcommands():
    return [m.group(1) for m in re.finditer(r"^  ([a-z][a-z0-9-]*)  ", section(help_text(""), "Subcommands"), re.M)]


def options(subcommand):
    """{option name: choices or None} from the Options: section."""
    found = {}
    for line in section(help_text(subcommand), "Options").splitlines():
        m = re.match(r"  (-[^ ]+)(?: (\S+))?", line)
        if not m:
            continue
        choices = None
        if m.group(2) and (c := re.search(r":\{([^}]*)\}", m.group(2))):
            choices = c.group(1).split(",")
        for name in m.group(1).split(","):
            found[name] = choices
    return found


LAST_WORDS = [[]]


def complete(words):
    """COMPREPLY of the completion script for the command line `words` (last = current)."""
    LAST_WORDS[0] = words
    script = (
        f"source {COMPLETION!r}\n"
        'COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _digger_scan\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    out = subprocess.run(["bash", "-c", script, "complete", SCAN] + words, capture_output=True,
                         text=True, check=True).stdout
    return sorted(w for w in out.splitlines() if w)


def complete_zsh(words):
    """$reply of the zsh completion's candidate function for the command line `words`, kept to
    those starting with the current word as compadd keeps them (the compadd/_files wrapper
    needs a terminal; the candidates are all it adds)."""
    script = (
        f"source {ZSH_COMPLETION!r}\n"
        'words=("$@"); CURRENT=$#words; _digger_scan_candidates\n'
        "print -rl -- $reply\n"
    )
    out = subprocess.run(["zsh", "-f", "-c", script, "complete", SCAN] + words, capture_output=True,
                         text=True, check=True).stdout
    return sorted(w for w in out.splitlines() if w and w.startswith(words[-1]))


def expect(what, got, want):
    if sorted(got) != sorted(want):
        failures.append(f"{what}: completion {sorted(got)} != --help {sorted(want)}")
    zsh = complete_zsh(LAST_WORDS[0])
    if sorted(zsh) != sorted(want):
        failures.append(f"{what}: zsh completion {sorted(zsh)} != --help {sorted(want)}")


subs = subcommands()
for required in ("report", "diff", "export", "parse"):
    if required not in subs:
        failures.append(f"--help lists no '{required}' subcommand: {subs}")
expect("subcommands", complete([""]), subs)
markdown = open(MARKDOWN, encoding="utf-8").read()
for sub in [""] + subs:
    opts = options(sub)
    where = sub or "(scan)"
    if "--help" not in opts or len(opts) < 2:
        failures.append(f"{where}: --help parsed to {opts}")
    expect(f"{where} --", complete(([sub] if sub else []) + ["--"]),
           [o for o in opts if o.startswith("--")])
    expect(f"{where} -", complete(([sub] if sub else []) + ["-"]), list(opts))
    for name, choices in opts.items():
        if choices:
            expect(f"{where} {name}", complete(([sub] if sub else []) + [name, ""]), choices)
        if name not in ("-h", "--help") and not re.search(
                r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", markdown):
            failures.append(f"{MARKDOWN}: does not name {where} option {name}")

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
