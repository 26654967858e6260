"""The performance table (the guide's performance chapter, aws/src/guide/performance.md) and the runs of `scripts/bench` it comes from.

    python3 scripts/bench-readme.py table RUN.md...     # the table from saved runs
    python3 scripts/bench-readme.py check RUN.md        # fails when the table is stale
    ... | python3 scripts/bench-readme.py names         # every ROW line's measure is in it

A run is what `scripts/bench` prints (a markdown table: measure, awstin, alternative, ratio,
target, met). The table keeps, per measure, the range of ratios over its runs, the target and
how often it was met, between `<!-- bench:begin -->` and `<!-- bench:end -->`. `check` fails
when a measure of the run is missing from the table or the other way round, when a target
differs, when an allocation ratio differs (by more than 0.002, the noise of a batch's), when a
measure the table marks met ("yes") misses its target in this run, or when a measured ratio
falls more than twice outside the table's range (these machines are shared and noisy: the
three recorded runs spread up to 50% on one measure, and a run beside a cold build moved ratios
by up to 36%). The tolerance is for the range text only: a "yes" holds in every run or fails.

    python3 scripts/bench-readme.py selftest            # the check fails on a broken run
"""

import re
import sys

# The file holding the performance table: the guide's performance chapter.
TABLE_FILE = "aws/src/guide/performance.md"

# How far a run may stray beyond the table's range: a run beside a cold build on the same two
# cores moved ratios by up to 36% (compile cost, batch CPU, core render).
FACTOR = 2.0
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def rows(path):
    """measure -> (ratio, target, met) of one run's markdown table."""
    return rows_of(open(path, encoding="utf-8").read())


def rows_of(text):
    out = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("measure", "---"):
            continue
        number = re.search(r"\d+(?:\.\d+)?", cells[3])
        out[cells[0]] = (number.group() if number else None, cells[4], cells[5])
    return out


def is_allocations(target):
    return target.startswith("allocs")


def met(ratio, target):
    if is_allocations(target):
        return ratio >= 1.0
    bound = re.search(r"([\d.]+)", target)
    if target.startswith("≤"):  # the compile cost: seconds added, at most the bound
        return ratio <= float(bound.group(1))
    return ratio >= float(bound.group(1))


def table(paths):
    runs = [rows(p) for p in paths]
    lines = [
        "| measure | ratio over the runs | target | met |",
        "| --- | --- | --- | --- |",
    ]
    for measure, (_, target, _) in runs[0].items():
        texts = [r[measure][0] for r in runs]
        if any(x is None for x in texts):
            sys.exit(f"{measure}: not measured in every run")
        ratios = [float(x) for x in texts]
        # Met as each run says (its ratio unrounded): a ratio printed 2.00 may be 1.996.
        hits = sum(r[measure][2] == "yes" for r in runs)
        shown = "yes" if hits == len(runs) else "NO" if hits == 0 else f"in {hits} of {len(runs)} runs"
        low, high = texts[ratios.index(min(ratios))], texts[ratios.index(max(ratios))]
        spread = low if low == high else f"{low}–{high}"
        lines.append(f"| {measure} | {spread} | {target} | {shown} |")
    print("\n".join(lines))


def readme_rows(text=None):
    if text is None:
        text = open(TABLE_FILE, encoding="utf-8").read()
    if BEGIN not in text or END not in text:
        sys.exit(f"{TABLE_FILE} has no performance table between the bench markers")
    out = {}
    for line in text.split(BEGIN, 1)[1].split(END, 1)[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("measure", "---"):
            continue
        bounds = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", cells[1])]
        out[cells[0]] = (min(bounds), max(bounds), cells[2], cells[3])
    return out


def check(path):
    stale = problems(rows(path), readme_rows())
    if stale:
        sys.exit("the performance table is stale:\n  " + "\n  ".join(stale))
    print(f"the performance table holds for this run ({len(rows(path))} measures)")


def problems(measured, stated):
    """What the run `measured` says against the table's `stated` table, one line each."""
    stale = []
    for measure in sorted(set(measured) ^ set(stated)):
        stale.append(f"{measure}: {'not in the table' if measure in measured else 'no longer measured'}")
    for measure in sorted(set(measured) & set(stated)):
        text, target, run_met = measured[measure]
        ratio = None if text is None else float(text)
        low, high, stated_target, stated_met = stated[measure]
        if target != stated_target:
            stale.append(f"{measure}: target {target!r}, the table says {stated_target!r}")
        elif ratio is None:
            stale.append(f"{measure}: not measured in this run")
        elif is_allocations(target):
            # Exact for a computation; a batch's count moves by a few allocations a run
            # (its runtime's timers and connections), a few ten-thousandths of the ratio.
            if not low - 0.002 <= ratio <= high + 0.002:
                stale.append(f"{measure}: {text}, the table says {low}–{high}")
        elif not low / FACTOR <= ratio <= high * FACTOR:
            stale.append(f"{measure}: {text}, outside the table's {low}–{high} by more than twice")
        if ratio is not None and stated_met == "yes" and not (met(ratio, target) and run_met == "yes"):
            stale.append(f"{measure}: {text} misses the target {target!r} the table marks met")
    return stale


def selftest():
    """The check holds for a run at the table's own figures, and fails for runs that break a
    "yes": each row marked met just past its target, and, where they are marked met, decode by
    value slower than serde_dynamo and the compile cost over its bound."""
    stated = readme_rows()

    def run(changed):
        lines = ["| measure | awstin | alternative | ratio | target | met |", "| --- | --- | --- | --- | --- | --- |"]
        for measure, (low, high, target, shown) in stated.items():
            ratio = changed.get(measure, high if target.startswith("≤") else low)
            ok = "yes" if met(ratio, target) else "NO"
            lines.append(f"| {measure} | a | b | {ratio:.4f} | {target} | {ok} |")
        return rows_of("\n".join(lines))

    yes = [m for m, (_, _, _, shown) in stated.items() if shown == "yes"]
    failures = []
    if problems(run({}), stated):
        failures.append(f"a run at the table's figures is refused: {problems(run({}), stated)}")
    # Each row marked met, just past its target; and the two misses a range check let through.
    broken = {m: missed(stated[m][2]) for m in yes}
    decode = next((m for m in yes if m.startswith("codec: decode")), None)
    compile_row = next((m for m in yes if m.startswith("compile:")), None)
    if not yes:
        failures.append("the table marks no row met: nothing to break")
    # Beyond "just past": decode by value slower than serde_dynamo, the compile cost 10% over
    # its bound, where the table marks those rows met.
    trials = list(broken.items()) + [
        (m, r) for m, r in ((decode, 0.95), (compile_row, 1.10)) if m is not None
    ]
    for measure, ratio in trials:
        if measure is None:
            continue
        found = problems(run({measure: ratio}), stated)
        if not any(line.startswith(f"{measure}: ") and "misses the target" in line for line in found):
            failures.append(f"{measure} at {ratio} passes the check")
    if failures:
        sys.exit("bench-readme.py self-test failed:\n  " + "\n  ".join(failures))
    print(f"bench-readme.py self-test: {len(trials)} runs missing a target the table marks met, each refused")


def missed(target):
    """A ratio just past `target`."""
    bound = float(re.search(r"([\d.]+)", target).group(1)) if not is_allocations(target) else 1.0
    return bound * 1.01 if target.startswith("≤") else bound * 0.99


def names():
    """The benches in test mode measure no time, but name their rows: each is in the table."""
    stated = readme_rows()
    printed = [line.split("\t")[1] for line in sys.stdin if line.startswith("ROW\t")]
    missing = [m for m in printed if m not in stated]
    if not printed or missing:
        sys.exit(f"rows printed: {len(printed)}; not in the table's table: {missing}")
    print(f"the performance table names all {len(printed)} rows the benches print")


if __name__ == "__main__":
    command, paths = sys.argv[1], sys.argv[2:]
    if command == "table":
        table(paths)
    elif command == "names":
        names()
    elif command == "selftest":
        selftest()
    else:
        check(paths[0])
