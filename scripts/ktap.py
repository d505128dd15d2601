#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read a (nested) KTAP document and summarise it.

  ktap.py FILE...            print one line per test, then the counts
  ktap.py --summary FILE...  print only 'N passed, N failed, N skipped'

Only leaf tests are counted: a result whose subtests were reported stands
for them.  A parent that says 'ok' over a failed subtest, a plan that does
not match the results, or a document with no result at all is itself
counted as a failure, so a broken report can never look like a pass.
Exit status: 0 when nothing failed, 1 otherwise.
"""
import re
import sys

RESULT = re.compile(r'^(not ok|ok)\s+(\d+)\s*-?\s*([^#]*?)\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)')


class Test:
    def __init__(self, name, ok, directive, children):
        self.name, self.ok, self.directive = name, ok, directive or ''
        self.children = children
        self.skipped = ok and self.directive.upper().startswith('SKIP')


def parse(lines):
    """Return (tests, problems) of the top level of lines."""
    stack = [[]]           # results collected per nesting depth
    plans = [None]
    problems = []
    for raw in lines:
        line = raw.rstrip('\r\n').replace('\t', '    ')
        stripped = line.lstrip(' ')
        depth = (len(line) - len(stripped)) // 4
        if not stripped or stripped.startswith('#') or \
           stripped.startswith(('KTAP version', 'TAP version')):
            continue
        plan = PLAN.match(stripped)
        res = RESULT.match(stripped)
        if not plan and not res:
            continue
        while len(stack) <= depth:
            stack.append([])
            plans.append(None)
        if plan:
            plans[depth] = int(plan.group(1))
            continue
        children = []
        if len(stack) > depth + 1:
            children = stack[depth + 1]
            if plans[depth + 1] is not None and plans[depth + 1] != len(children):
                problems.append('%s: planned %d subtests, reported %d' %
                                (res.group(3), plans[depth + 1], len(children)))
            del stack[depth + 1:]
            del plans[depth + 1:]
        # A result may carry only a directive ("ok 8 # SKIP why"): name
        # it by its number so that it is still told apart.
        stack[depth].append(Test(res.group(3) or '#' + res.group(2),
                                 res.group(1) == 'ok', res.group(4), children))
    if len(stack) > 1 and any(stack[1:]):
        problems.append('subtests without a closing result line (crash or truncation)')
    if plans[0] is not None and plans[0] != len(stack[0]):
        problems.append('planned %d tests, reported %d' % (plans[0], len(stack[0])))
    if not stack[0]:
        problems.append('no test results')
    return stack[0], problems


def walk(tests, prefix, out, counts):
    for t in tests:
        name = prefix + t.name
        if t.children:
            walk(t.children, name + '.', out, counts)
            if t.ok and not t.skipped and any(not c.ok for c in t.children):
                counts['failed'] += 1
                out.append('FAIL  %s (reported ok over failed subtests)' % name)
            elif not t.ok and all(c.ok for c in t.children):
                # The parent failed for its own reason (timeout, exit code).
                counts['failed'] += 1
                out.append('FAIL  %s %s' % (name, t.directive))
            continue
        if t.skipped:
            counts['skipped'] += 1
            out.append('SKIP  %s %s' % (name, t.directive[4:].strip()))
        elif t.ok:
            counts['passed'] += 1
            out.append('PASS  %s' % name)
        else:
            counts['failed'] += 1
            out.append('FAIL  %s %s' % (name, t.directive))


def main(argv):
    summary_only = '--summary' in argv
    files = [a for a in argv if a != '--summary']
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    out = []
    for f in files:
        with open(f, errors='replace') as fh:
            tests, problems = parse(fh)
        walk(tests, '', out, counts)
        for p in problems:
            counts['failed'] += 1
            out.append('FAIL  %s: %s' % (f, p))
    if not summary_only:
        print('\n'.join(out))
    print('%d passed, %d failed, %d skipped' %
          (counts['passed'], counts['failed'], counts['skipped']))
    return 1 if counts['failed'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
