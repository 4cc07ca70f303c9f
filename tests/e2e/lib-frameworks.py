# lib-frameworks.py: a test framework's own verdicts, and Lifebelt's beside them.
#
# python3 lib-frameworks.py KIND FILE... prints the framework's verdict on
# each case, read from what the framework itself printed or wrote, one line
# per case: VERDICT<TAB>NAME<TAB>MESSAGE, where VERDICT is pass, fail
# (failed or errored) or skip (skipped, disabled, aborted, expected to fail,
# TODO) and MESSAGE the line of the failure message that holds "why:" (or
# nothing). KIND names the output read:
#   tap FILE             TAP, judged by TAP::Parser, the engine of prove;
#                        the message is read from the diagnostics below a line
#   nodetap FILE         node --test's TAP as node writes it: its top-level
#                        lines, with the "error:" of their YAML blocks
#   pytest FILE          pytest -v (classic console style)
#   gtest FILE           a GoogleTest binary's console output
#   junit5 TREE REPORT   the console launcher's --details=tree output; names
#                        are mapped to the report's through its display-name lines
#   catch2xml FILE       Catch2's own XML reporter
#   cmocka FILE          cmocka's console output (CMOCKA_MESSAGE_OUTPUT=STDOUT)
#   cunit FILE           CUnit's basic interface, verbose
#
# python3 lib-frameworks.py compare ORACLE ROWS TEST order|name compares
# Lifebelt's result rows (sqlite3 -json of name, verdict, detail) of the
# test TEST with the verdicts in ORACLE, case by case (in order, or by
# name: a row "TEST: X" is case N when X is N or ends in ".N"). A failed
# case's MESSAGE must be in its row's detail. Prints each disagreement and
# a summary line; exits 1 on any disagreement.
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

TAP_ORACLE = r'''
use TAP::Parser;
my $p = TAP::Parser->new({ source => $ARGV[0] });
my ($last, %why);
my @cases;
while (my $r = $p->next) {
	if ($r->is_test) {
		# prove's sense: "not ok # SKIP" fails, "not ok # TODO" does not.
		my $v = !$r->is_ok ? "fail" : $r->has_skip || $r->has_todo ? "skip" : "pass";
		my $d = $r->description; $d =~ s/^-\s*//;
		push @cases, [$v, $d, ""];
		$last = $#cases;
	} elsif (defined $last && ($r->is_comment || $r->is_yaml)) {
		my $t = $r->is_yaml ? join("\n", map { "$_: $r->data->{$_}" } sort keys %{$r->data}) : $r->as_string;
		for my $l (split /\n/, $t) {
			if ($cases[$last][2] eq "" && $l =~ /(why:.*)/) { $cases[$last][2] = $1; }
		}
	}
}
for (my $i = $p->tests_run; $i < ($p->tests_planned // 0); $i++) { push @cases, ["fail", "(not run)", ""]; }
for my $c (@cases) {
	my ($v, $d, $w) = @$c;
	$d =~ s/[\t\n]/ /g; $w =~ s/[\t\n]/ /g;
	print "$v\t$d\t$w\n";
}
print STDERR "prove: ", ($p->has_problems ? "FAIL" : "PASS"), "; parse errors: ", join("; ", $p->parse_errors), "\n";
'''


def why(text):
    m = re.search(r"why:[^\n]*", text or "")
    return m.group(0).strip() if m else ""


def tap(path):
    out = subprocess.run(["perl", "-e", TAP_ORACLE, path], capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return [tuple(l.split("\t")) for l in out.stdout.splitlines()]


def nodetap(path):
    cases = []
    for line in open(path):
        m = re.match(r"^(not )?ok \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$", line.rstrip("\n"))
        if m:
            v = "skip" if m.group(3) else "fail" if m.group(1) else "pass"
            cases.append([v, m.group(2).replace("\\#", "#"), ""])
        elif cases and cases[-1][0] == "fail" and not cases[-1][2] and line.startswith("  "):
            cases[-1][2] = why(line).rstrip("'")
    return cases


def pytest(path):
    cases = []
    for line in open(path):
        m = re.match(r"^\S+\.py::(.*) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b", line)
        if m:
            v = {"PASSED": "pass", "XPASS": "pass", "FAILED": "fail", "ERROR": "fail"}.get(m.group(2), "skip")
            cases.append((v, m.group(1), ""))
    # The short summary holds the failures' messages.
    text = open(path).read()
    for i, (v, n, _) in enumerate(cases):
        m = re.search(r"^(?:FAILED|ERROR) \S+::" + re.escape(n) + r" - .*?(why:[^\n]*)", text, re.M)
        if v == "fail" and m:
            cases[i] = (v, n, m.group(1).rstrip(". "))
    return cases


def gtest(path):
    cases, text = [], open(path).read()
    body = text.split("[==========] ", 2)
    body = body[1] if len(body) > 1 else text
    msg = ""
    for line in body.splitlines():
        m = re.match(r"^\[ *(OK|FAILED|SKIPPED|DISABLED) *\] ([^ ,(]+)", line)
        if line.startswith("[ RUN"):
            msg = ""
        elif m:
            v = {"OK": "pass", "FAILED": "fail"}.get(m.group(1), "skip")
            cases.append((v, m.group(2), msg if v == "fail" else ""))
        elif not msg:
            msg = why(line)
    return cases


def junit5(tree, report):
    names, lines = {}, open(tree).read().splitlines()
    root = ET.parse(report).getroot()
    for tc in root.iter("testcase"):
        for out in tc.iter("system-out"):
            m = re.search(r"^display-name: (.*)$", out.text or "", re.M)
            if m:
                names.setdefault(m.group(1), tc.get("classname") + "." + tc.get("name"))
    cases = []
    marks = {"\u2714": "pass", "\u2718": "fail", "\u21b7": "skip", "\u25a0": "skip"}
    rows = []
    for line in lines:
        m = re.match(r"^([\u2502 \u251c\u2514\u2500]*)[\u251c\u2514]\u2500 (.*?) ([\u2714\u2718\u21b7\u25a0])(?: (.*))?$", line)
        if m:
            rows.append((len(m.group(1)), m.group(2), marks[m.group(3)], m.group(4) or ""))
    for i, (depth, name, v, rest) in enumerate(rows):
        if i + 1 < len(rows) and rows[i + 1][0] > depth:
            continue  # a container: its tests are below it
        if name in names:
            cases.append((v, names[name], why(rest) if v == "fail" else ""))
        elif depth > 0 or v != "pass":
            cases.append((v, name, why(rest) if v == "fail" else ""))
    return cases


def catch2xml(path):
    cases = []
    for tc in ET.parse(path).getroot().iter("TestCase"):
        ok = tc.find("OverallResult").get("success") == "true"
        failed = any(e.tag in ("Failure", "Exception") or (e.tag == "Expression" and e.get("success") == "false")
                     for e in tc.iter())
        tags = tc.get("tags") or ""
        if not ok:
            v = "fail"
        elif failed and ("!mayfail" in tags or "!shouldfail" in tags):
            v = "skip"
        else:
            v = "pass"
        cases.append((v, tc.get("name"), why("".join(tc.itertext())) if v == "fail" else ""))
    return cases


def cmocka(path):
    cases = []
    for line in open(path):
        if line.startswith("[==========]") and cases:
            break
        m = re.match(r"^\[ *(OK|FAILED|SKIPPED|ERROR) *\] (.*)$", line.rstrip("\n"))
        if m and not m.group(2).startswith("---"):
            cases.append(({"OK": "pass", "SKIPPED": "skip"}.get(m.group(1), "fail"), m.group(2), ""))
    return cases


def cunit(path):
    text = open(path).read()
    return [("pass" if m.group(3) == "passed" else "fail", m.group(1), why(m.group(2)) if m.group(3) == "FAILED" else "")
            for m in re.finditer(r"^  Test: (.*?) \.\.\.(.*?)(passed|FAILED)$", text, re.M | re.S)]


def norm(s):
    return " ".join(s.split())


def compare(oracle_path, rows_path, test, how):
    oracle = [l.rstrip("\n").split("\t") for l in open(oracle_path) if l.strip()]
    rows = json.load(open(rows_path)) if open(rows_path).read().strip() else []
    prefix = test + ": "
    rows = [r for r in rows if r["name"].startswith(prefix)] or [r for r in rows if r["name"] == test]
    bad = []
    if not oracle:
        bad.append("the framework reported no case")
    if len(rows) != len(oracle):
        bad.append("the framework reported %d cases, Lifebelt has %d rows" % (len(oracle), len(rows)))
    used = set()
    for i, (v, name, msg) in enumerate(oracle):
        row = None
        if how == "order":
            row = rows[i] if i < len(rows) else None
        else:
            for j, r in enumerate(rows):
                rest = r["name"][len(prefix):]
                if j not in used and (rest == name or rest.endswith("." + name)):
                    row = r
                    used.add(j)
                    break
        if row is None:
            bad.append("case %r (%s): no row" % (name, v))
            continue
        got = {"pass": "pass", "skipped": "skip"}.get(row["verdict"], "fail")
        if got != v:
            bad.append("case %r: the framework says %s, Lifebelt %s (row %r, detail %r)"
                       % (name, v, row["verdict"], row["name"], (row["detail"] or "")[:300]))
        elif v == "fail" and msg and norm(msg) not in norm(row["detail"] or ""):
            bad.append("case %r: failure message %r missing from the detail %r"
                       % (name, msg, (row["detail"] or "")[:300]))

    def tally(vs):
        return "%d/%d/%d" % tuple(sum(1 for x in vs if x == k) for k in ("pass", "fail", "skip"))
    mine = [{"pass": "pass", "skipped": "skip"}.get(r["verdict"], "fail") for r in rows]
    print("# %s: %d cases; the framework's pass/fail/skip %s; Lifebelt's %s; %s"
          % (test, len(oracle), tally([o[0] for o in oracle]), tally(mine), "disagree" if bad else "agree"))
    for b in bad:
        print("# disagreement: " + b)
    return 1 if bad else 0


def main():
    kind = sys.argv[1]
    if kind == "compare":
        sys.exit(compare(*sys.argv[2:6]))
    cases = globals()[kind](*sys.argv[2:])
    for c in cases:
        print("\t".join(x.replace("\t", " ").replace("\n", " ") for x in c))


main()
