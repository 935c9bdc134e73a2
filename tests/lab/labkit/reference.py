"""An independent reading of the classification rules in docs/lab.md, used only by the lab's
own tests to check the hand-written truth of the job catalogue. It covers what the generator
emits (simple word splitting, no quoting), not every crontab a fleet could hold.
"""

import os
import re

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
FIELDS = [(0, 59, None), (0, 23, None), (1, 31, None), (1, 12, MONTHS), (0, 7, DAYS)]
MACROS = {"@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
ENV = re.compile(r"""^[ \t]*("[^"]*"|'[^']*'|[^ \t="']+)[ \t]*=[ \t]*("[^"]*"[ \t]*|'[^']*'[ \t]*|[^"'].*|)$""")

UTILITIES = {"find", "rsync", "run-parts", "tar", "gzip", "curl", "wget", "echo", "date", "mail", "mysqldump",
             "pg_dump", "test", "[", "command", "logrotate", "debian-sa1", "sa1", "sa2", "sessionclean",
             "raid-check", "rm", "cp", "mv", "ls"}
INTERPRETERS = [(r"python[0-9.]*", "python"), (r"php[0-9.]*", "php"), (r"perl", "perl"), (r"ruby", "ruby"),
                (r"node(js)?", "javascript"), (r"java", "java"), (r"(ba|da)?sh", "shell")]
EXTENSIONS = {".py": "python", ".php": "php", ".pl": "perl", ".rb": "ruby", ".js": "javascript", ".sh": "shell"}


def _number(text, low, high, names):
    if text.isdigit():
        value = int(text)
    elif names and text.lower() in names:
        value = names.index(text.lower()) + (1 if names is MONTHS else 0)
    else:
        return None
    return value if low <= value <= high else None


def _field_ok(text, low, high, names):
    for item in text.split(","):
        base, slash, step = item.partition("/")
        if slash and not (step.isdigit() and int(step) > 0):
            return False
        if base == "*":
            continue
        first, dash, last = base.partition("-")
        if _number(first, low, high, names) is None:
            return False
        if dash and _number(last, low, high, names) is None:
            return False
        if slash and not dash:
            return False  # "5/10": a step needs a range
    return True


def parse_job(text, system):
    """(schedule, user, command) when the text is a valid job line, else None."""
    words = text.lstrip(" \t")
    parts = re.split(r"[ \t]+", words, maxsplit=(1 if words.startswith("@") else 5) + (1 if system else 0))
    if words.startswith("@"):
        if parts[0] not in MACROS:
            return None
        sched_n = 1
    else:
        if len(parts) < 6 or not all(_field_ok(p, *f) for p, f in zip(parts[:5], FIELDS)):
            return None
        sched_n = 5
    rest = parts[sched_n:]
    if system:
        if len(rest) < 2 or rest[0].startswith("*"):
            return None
        user, command = rest[0], rest[1]
    else:
        if not rest or rest[0].startswith("*"):
            return None
        user, command = None, rest[0]
    if not command.strip():
        return None
    return user, command


def classify(text, system):
    stripped = text.lstrip(" \t")
    if not stripped:
        return "blank"
    if stripped.startswith("#"):
        return "disabled-job" if parse_job(stripped.lstrip("#").lstrip(" \t"), system) else "comment"
    if ENV.match(text):
        return "env"
    return "job" if parse_job(text, system) else "invalid"


def _after_options(words, takes_value=()):
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 2 if words[i] in takes_value else 1
    return words[i] if i < len(words) else None


def _unwrap(w):
    """The words of the program that does the work, and the directory a `cd` moved to."""
    cwd = None
    while w:
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w[0]):
            w = w[1:]
        elif w[0] == "cd" and len(w) > 2 and w[2] in ("&&", ";"):
            cwd = w[1]
            w = w[3:]
        elif w[:2] == ["test", "-x"] and len(w) > 3 and w[3] == "||":
            w = w[4:]
        elif w[0] in ("{", "("):
            w = w[1:]
        elif w[0] in ("/usr/bin/env", "env"):
            w = w[1:]
        elif w[0] == "nice":
            w = w[3:] if len(w) > 1 and w[1] == "-n" else w[1:]
        elif w[0] == "sudo" and len(w) > 2 and w[1] == "-u":
            w = w[3:]
        elif w[0] == "flock":
            i = 1
            while i < len(w) and w[i].startswith("-"):
                i += 2 if w[i] in ("-w", "-E") else 1
            w = w[i + 1:]
        elif w[:2] == ["[", "-x"] and len(w) > 4 and w[3:5] == ["]", "&&"]:
            w = w[5:]
        elif w[:2] == ["command", "-v"] and len(w) > 5 and w[3:6] == [">", "/dev/null", "&&"]:
            w = w[6:]
        else:
            return w, cwd
    return w, cwd


def _in_dir(path, cwd):
    return path if not path or path.startswith("/") or not cwd else cwd.rstrip("/") + "/" + path


def language(command):
    """(language, program) for a command as cron would run it (after the '%' split)."""
    w, cwd = _unwrap(command.split())
    if not w:
        return "unknown", None
    head, base = w[0], os.path.basename(w[0])
    for pattern, lang in INTERPRETERS:
        if re.fullmatch(pattern, base):
            args = w[1:]
            if lang == "python" and args[:1] == ["-m"]:
                return lang, args[1]
            if lang == "java":
                if "-jar" in args:
                    return lang, args[args.index("-jar") + 1]
                return lang, _after_options(args, ("-cp", "-classpath"))
            return lang, _in_dir(_after_options(args), cwd)
    if base == "bundle" and w[1:2] == ["exec"]:
        return "ruby", w[2]
    if base == "go" and w[1:2] == ["run"]:
        return "go", w[2]
    if "$" in head:
        return "unknown", head
    ext = os.path.splitext(base)[1]
    if ext in EXTENSIONS:
        return EXTENSIONS[ext], head
    if base in UTILITIES:
        return "shell", head
    if "/" in head:
        return "binary", head
    return "unknown", head
