#!/usr/bin/python3
"""markdown-to-roff.py IN.md OUT.1 VERSION: the man page, in roff (man(7) macros), from the
subset of Markdown docs/digger-scan.1.md uses, so the page `man digger-scan` shows is the
Markdown everyone edits (docs/digger-scan.1.md, "Install").

The subset: `# name(section)`, `## SECTION`, paragraphs, ``` blocks, definition lists
(a line of `term` followed by `: text` and indented continuation lines), `- ` lists, pipe
tables (each row becomes a tagged paragraph), and inline `code`, **bold**, *italic*,
[text](link). Anything else is an error, so the page never silently loses text.
"""
import re
import sys


def escape(text):
    """Plain text for roff: backslashes and the characters groff reads as special."""
    text = text.replace("\\", "\\e")
    # Non-ASCII as groff's Unicode escapes: the page reads the same whatever the locale.
    return "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in text)


def code(text):
    # In code, '-' is a real hyphen-minus (options copy and paste), and ' ' stays a space.
    return "\\fB" + escape(text).replace("-", "\\-") + "\\fR"


INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)]+)\)")


def inline(text):
    out, at = [], 0
    for m in INLINE.finditer(text):
        out.append(escape(text[at:m.start()]))
        if m.group(1) is not None:
            out.append(code(m.group(1)))
        elif m.group(2) is not None:
            out.append("\\fB" + escape(m.group(2)) + "\\fR")
        elif m.group(3) is not None:
            out.append("\\fI" + escape(m.group(3)) + "\\fR")
        else:
            label, link = m.group(4), m.group(5)
            out.append(escape(label) if label == link else f"{escape(label)} ({escape(link)})")
        at = m.end()
    out.append(escape(text[at:]))
    return "".join(out)


def line_safe(text):
    """A text line must not start with a control character ('.' or "'")."""
    return "\\&" + text if text[:1] in (".", "'") else text


def convert(lines, version):
    out = []
    i = 0
    title = None

    def paragraph_end(j):
        return j >= len(lines) or not lines[j].strip() or lines[j].startswith(("#", "```", "|"))

    while i < len(lines):
        line = lines[i].rstrip("\n")
        if not line.strip():
            i += 1
        elif m := re.fullmatch(r"# ([A-Za-z0-9_.-]+)\((\d)\)", line):
            title = m.group(1)
            out.append(f'.TH {title.upper()} {m.group(2)} "" "{title} {version}" "User Commands"')
            out.append(".nh\n.ad l")  # no hyphenation, ragged right: options stay whole
            i += 1
        elif line.startswith("## "):
            out.append(".SH " + escape(line[3:].strip().upper()))
            i += 1
        elif line.startswith("```"):
            out.append(".PP\n.nf\n.RS 2")
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(line_safe(escape(lines[i].rstrip("\n"))))
                i += 1
            if i == len(lines):
                raise ValueError("unterminated ``` block")
            out.append(".RE\n.fi")
            i += 1
        elif line.startswith("|"):
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                i += 1
                if all(re.fullmatch(r":?-+:?", c) for c in cells):
                    continue
                out.append(".TP\n" + line_safe(inline(cells[0])))
                out.append(line_safe(inline(" | ".join(cells[1:]))))
        elif line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].startswith(("- ", "  ")) and lines[i].strip():
                if lines[i].startswith("- "):
                    items.append(lines[i][2:].strip())
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            for item in items:
                out.append('.IP "\\(bu" 2\n' + line_safe(inline(item)))
        elif i + 1 < len(lines) and lines[i + 1].startswith(": "):
            out.append(".TP\n" + line_safe(inline(line.strip())))
            i += 1
            text = [lines[i][2:].strip()]
            i += 1
            while i < len(lines) and lines[i].startswith("  ") and lines[i].strip():
                text.append(lines[i].strip())
                i += 1
            # One line: a code span may continue on the next Markdown line.
            out.append(line_safe(inline(" ".join(text))))
        elif line.startswith(("#", ": ")):
            raise ValueError(f"unsupported Markdown: {line!r}")
        else:
            out.append(".PP")
            text = []
            while not paragraph_end(i):
                text.append(lines[i].strip())
                i += 1
            out.append(line_safe(inline(" ".join(text))))
    if title is None:
        raise ValueError("no '# name(section)' title line")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: markdown-to-roff.py IN.md OUT.1 VERSION")
    source, target, version = sys.argv[1:]
    with open(source, encoding="utf-8") as f:
        lines = f.readlines()
    try:
        page = convert(lines, version)
    except ValueError as e:
        sys.exit(f"{source}: {e}")
    header = f'.\\" Generated from {source.rsplit("/", 1)[-1]} by contrib/man/markdown-to-roff.py.\n'
    with open(target, "w", encoding="utf-8") as f:
        f.write(header + page)


if __name__ == "__main__":
    main()
