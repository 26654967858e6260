"""Compares the mutants cargo-mutants missed with those listed as equivalent.

    python3 scripts/mutants-check.py check mutants.out    # fails on a missed mutant not listed
    python3 scripts/mutants-check.py selftest             # the check fails when it should

`scripts/mutants-equivalent.md` says why each equivalent mutant cannot be noticed by a test,
and ends with the list this script reads: one mutant a line, as `missed.txt` names it without
its line and column (`core/src/expr/eval.rs: delete match arm ... in equal`), so that an edit above
a mutant does not unlist it. A missed mutant that is not on the list is a rule no test names:
the check fails and names it. It also prints the run's counts from `outcomes.json`.
"""

import json
import os
import re
import sys

LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mutants-equivalent.md")
BEGIN, END = "<!-- equivalent:begin -->", "<!-- equivalent:end -->"
POSITION = re.compile(r"^([^:]+):\d+:\d+: ")


def normalized(line):
    """A missed.txt line without its line and column."""
    return POSITION.sub(r"\1: ", line.strip())


def listed(path=LIST):
    text = open(path, encoding="utf-8").read()
    if BEGIN not in text or END not in text:
        sys.exit(f"{path} has no list between {BEGIN} and {END}")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return {line.strip() for line in block.splitlines() if line.strip() and not line.startswith("```")}


def unlisted(missed_lines, equivalent):
    return sorted({normalized(m) for m in missed_lines if m.strip()} - equivalent)


def counts(out_dir):
    """caught, missed, timeouts, unviable and the total of a run, from outcomes.json."""
    path = os.path.join(out_dir, "outcomes.json")
    if not os.path.exists(path):
        return None
    outcomes = json.load(open(path, encoding="utf-8"))
    keys = ("caught", "missed", "timeout", "unviable", "total_mutants")
    return {k: outcomes.get(k) for k in keys}


def check(out_dir):
    missed_path = os.path.join(out_dir, "missed.txt")
    if not os.path.exists(missed_path):
        sys.exit(f"{missed_path} is missing: did cargo-mutants run?")
    missed = open(missed_path, encoding="utf-8").read().splitlines()
    equivalent = listed()
    extra = unlisted(missed, equivalent)
    summary = counts(out_dir)
    if summary:
        print("mutants: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    if extra:
        sys.exit(
            f"{len(extra)} missed mutants are not listed as equivalent in scripts/mutants-equivalent.md "
            "(each is a rule no test names):\n  " + "\n  ".join(extra)
        )
    print(f"every one of the {len([m for m in missed if m.strip()])} missed mutants is listed as equivalent")


def selftest():
    equivalent = listed()
    if not equivalent:
        sys.exit("the equivalent list is empty")
    known = sorted(equivalent)[0]
    file, rest = known.split(": ", 1)
    listed_line = f"{file}:12:34: {rest}"
    foreign = "core/src/expr/eval.rs:1:1: replace eval -> bool with true"
    failures = []
    for lines, should_fail in [([listed_line], False), ([listed_line, foreign], True), ([foreign], True)]:
        found = unlisted(lines, equivalent)
        if bool(found) != should_fail:
            failures.append(f"{lines}: unlisted {found}")
    if failures:
        sys.exit("mutants-check.py self-test failed:\n  " + "\n  ".join(failures))
    print(f"mutants-check.py self-test: a missed mutant off the list of {len(equivalent)} fails the check")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "check":
        check(sys.argv[2] if len(sys.argv) > 2 else "mutants.out")
    elif command == "selftest":
        selftest()
    else:
        sys.exit(__doc__)
