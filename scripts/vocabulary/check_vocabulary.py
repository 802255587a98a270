#!/usr/bin/env python3
"""Validate config/statistics_vocabulary.tsv (stdlib only).

Checks, per measure line (`canonical<TAB>dimension<TAB>aliases`):
  * exactly three tab-separated columns; canonical not empty; no stray whitespace;
  * dimension is one of the known dimensions;
  * aliases are `|`-separated, none empty, none repeated on the line, none equal to the canonical;
  * across the file: no canonical twice, no alias twice, no alias equal to another line's canonical;
  * no alias containing a growth, verb or home-region word (增长/增速/同比/实现/完成/全市/我市);
    canonicals are held to the same rule except the few standard names listed in
    CANONICAL_EXCEPTIONS;
  * no ASCII or full-width brackets (and no quotation marks) in any name;
  * no 的 in any name (the metric label keeps only the words after its last 的, so such a name
    could never match a label).
Prints the number of measures and aliases and the count per dimension; exits 1 on any error.

Usage: check_vocabulary.py [PATH]   (default: config/statistics_vocabulary.tsv of the repository)
"""
import collections
import os
import sys

DIMENSIONS = ("amount", "count", "people", "rate", "area", "mass", "volume",
              "energy", "length", "index", "days", "other")
BANNED_WORDS = ("增长", "增速", "同比", "实现", "完成", "全市", "我市")
# Standard names that contain a banned word as part of the term itself, not as a growth or verb.
CANONICAL_EXCEPTIONS = {
    "完成投资",        # project reporting: 完成投资 X 亿元 (the amount invested so far)
    "人口自然增长率",  # NBS population statistic, a level (‰), not the growth of another measure
}
BRACKETS = "()[]{}<>（）［］【】〔〕｛｝〈〉《》「」『』〖〗"
QUOTES = "\"'“”‘’"


def default_path():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "config", "statistics_vocabulary.tsv"))


def name_problems(name, is_alias):
    problems = []
    if name != name.strip() or any(ch.isspace() for ch in name):
        problems.append("whitespace in %r" % name)
    for ch in name:
        if ch in BRACKETS:
            problems.append("bracket %r in %r" % (ch, name))
            break
    for ch in name:
        if ch in QUOTES:
            problems.append("quotation mark %r in %r" % (ch, name))
            break
    if "的" in name:
        problems.append("的 in %r" % name)
    if is_alias or name not in CANONICAL_EXCEPTIONS:
        for word in BANNED_WORDS:
            if word in name:
                problems.append("%s %r contains %r" % ("alias" if is_alias else "canonical", name, word))
    return problems


def main(argv):
    path = argv[1] if len(argv) > 1 else default_path()
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        print("cannot read %s: %s" % (path, e))
        return 1

    errors = []
    canonical_line = {}              # canonical -> line number
    alias_line = {}                  # alias -> line number
    dims = collections.Counter()
    alias_count = 0
    entries = []

    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            errors.append("line %d: %d columns, expected 3: %r" % (n, len(cols), line))
            continue
        canonical, dim, alias_field = cols
        if not canonical:
            errors.append("line %d: empty canonical" % n)
            continue
        if dim not in DIMENSIONS:
            errors.append("line %d: unknown dimension %r" % (n, dim))
        for p in name_problems(canonical, False):
            errors.append("line %d: %s" % (n, p))
        if canonical in canonical_line:
            errors.append("line %d: canonical %r already on line %d" % (n, canonical, canonical_line[canonical]))
        else:
            canonical_line[canonical] = n
        aliases = alias_field.split("|") if alias_field else []
        seen = set()
        for a in aliases:
            if not a:
                errors.append("line %d: empty alias (stray |)" % n)
                continue
            for p in name_problems(a, True):
                errors.append("line %d: %s" % (n, p))
            if a == canonical:
                errors.append("line %d: alias %r equals its canonical" % (n, a))
            if a in seen:
                errors.append("line %d: alias %r repeated on the line" % (n, a))
            seen.add(a)
        entries.append((n, canonical, aliases))
        dims[dim] += 1
        alias_count += len(aliases)

    for n, canonical, aliases in entries:
        for a in set(aliases):
            if a in alias_line and alias_line[a] != n:
                errors.append("line %d: alias %r already an alias on line %d" % (n, a, alias_line[a]))
            else:
                alias_line[a] = n
            if a in canonical_line and canonical_line[a] != n:
                errors.append("line %d: alias %r is the canonical of line %d" % (n, a, canonical_line[a]))

    print("%s: %d measures, %d aliases" % (path, len(entries), alias_count))
    for d in DIMENSIONS:
        print("  %-7s %4d" % (d, dims[d]))
    if errors:
        print("%d error(s):" % len(errors))
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
