"""Builds one cron file line by line and records the expected classification of each line."""

import hashlib


def split_percent(command):
    """cron's do_command.c: the first unescaped '%' ends the command, "\\%" becomes '%'.

    Returns (command, stdin or None). In stdin every later unescaped '%' is a newline.
    """
    out, escaped, i = [], False, 0
    while i < len(command):
        ch = command[i]
        if escaped:
            if ch == "%":
                out[-1] = "%"
            else:
                out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "%":
            return "".join(out), _stdin(command[i + 1:])
        else:
            out.append(ch)
        i += 1
    return "".join(out), None


def _stdin(rest):
    out, escaped = [], False
    for ch in rest:
        if escaped:
            out[-1:] = ["%"] if ch == "%" else [out[-1], ch]
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        else:
            out.append("\n" if ch == "%" else ch)
    text = "".join(out)
    return text if text.endswith("\n") else text + "\n"


class CronFile:
    """A cron file being written: its metadata, its bytes and the truth for every line."""

    def __init__(self, path, kind, owner, group, mode, system):
        self.path, self.kind, self.owner, self.group, self.mode = path, kind, owner, group, mode
        self.system = system  # True: /etc/crontab and cron.d (user column)
        self.lines, self.texts = [], []
        self.loaded, self.load_note = True, ""
        self.raw = None  # bytes that replace the generated text (garbage, bigfile)
        self.symlink_to = None
        self.has_invalid = False

    def _add(self, text, kind, **fields):
        entry = {"n": len(self.lines) + 1, "kind": kind, "text": text}
        entry.update(fields)
        self.lines.append(entry)
        self.texts.append(text)

    def blank(self, text=""):
        self._add(text, "blank")

    def comment(self, text):
        self._add(text, "comment")

    def env(self, text):
        name, _, value = text.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]  # cron strips one pair of matching quotes
        self._add(text, "env", name=name.strip(), value=value)

    def invalid(self, text, error):
        self.has_invalid = True
        self._add(text, "invalid", error=error)

    def job(self, schedule, user, command, lang, prog, sep=" ", disabled_prefix=None):
        cols = [schedule] + ([user] if self.system else []) + [command]
        body = sep.join(cols)
        cmd, stdin = split_percent(command)
        kind = "job" if disabled_prefix is None else "disabled-job"
        text = body if disabled_prefix is None else disabled_prefix + body
        self._add(text, kind, owner=user, schedule=schedule, command=cmd, stdin=stdin,
                  language=lang, program=prog)

    def content(self):
        if self.raw is not None:
            return self.raw
        return "".join(t + "\n" for t in self.texts).encode()

    def truth(self):
        data = self.content()
        out = {
            "path": self.path, "kind": self.kind, "owner": self.owner, "group": self.group,
            "mode": "%04o" % self.mode, "loaded": self.loaded, "load_note": self.load_note,
            "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
        }
        if self.symlink_to:
            out.update(symlink_to=self.symlink_to, must_not_read=True, size=None, sha256=None)
            out["lines"] = None
        elif self.raw is not None and len(self.raw) > 1 << 20:
            out["lines"] = None  # too big to list; size and hash say enough
        else:
            out["lines"] = self.lines
        return out
