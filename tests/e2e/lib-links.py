#!/usr/bin/env python3
# lib-links.py: check the relative links of Markdown files. Every link
# ([text](target), ![alt](target), <img src>, <a href>) that is not a URL
# must name a file or directory that exists, and an anchor (#part) a heading
# of the file it points to, spelled as GitHub spells heading anchors.
# Prints one line per broken link; exits 1 if there was one.
import os
import re
import sys

LINK = re.compile(r'!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)'
                  r'|<(?:img|a)\s[^>]*?(?:src|href)="([^"]+)"')


def prose(path):
    """The file's lines outside fenced code blocks, without inline code."""
    fenced = False
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        if line.lstrip().startswith('```'):
            fenced = not fenced
            continue
        if not fenced:
            yield n, re.sub(r'`[^`]*`', '', line)


def slug(heading):
    s = re.sub(r'[^\w\- ]', '', heading.strip().lower())
    return s.replace(' ', '-')


def anchors(path):
    seen = {}
    for _, line in prose(path):
        m = re.match(r'#{1,6}\s+(.*?)\s*#*\s*$', line)
        if m:
            s = slug(m.group(1))
            seen[s] = seen.get(s, -1) + 1
    out = set()
    for s, n in seen.items():
        out.add(s)
        out.update('%s-%d' % (s, i) for i in range(1, n + 1))
    return out


def check(path):
    bad = 0
    for n, line in prose(path):
        for m in LINK.finditer(line):
            target = m.group(1) or m.group(2)
            if re.match(r'[a-z][a-z0-9+.-]*:', target):
                continue
            file, _, anchor = target.partition('#')
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            why = None
            if not os.path.exists(dest):
                why = 'no file %s' % dest
            elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
                why = 'no heading #%s in %s' % (anchor, dest)
            if why:
                print('%s:%d: broken link %s: %s' % (path, n, target, why))
                bad = 1
    return bad


sys.exit(max([check(p) for p in sys.argv[1:]] + [0]))
