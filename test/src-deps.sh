#!/usr/bin/env bash
# test/src-deps.sh: the C files of src/ depend on each other without a
# circle.  File A depends on file B when A's object uses a symbol (a
# function or variable) that B's object defines; the graph must have no
# cycle, so that each file can be read after the files it uses.  Prints
# the graph with -v.  Run after make (it reads src/*.o).
set -euo pipefail
cd "$(dirname "$0")/.."
ls src/*.o >/dev/null 2>&1 || { echo "src-deps: build first (make)" >&2; exit 2; }
python3 - "$@" <<'PY'
import collections, glob, os, subprocess, sys

defines, uses = {}, {}
for obj in sorted(glob.glob('src/*.o')):
    name = os.path.basename(obj)[:-2] + '.c'
    if not os.path.exists('src/' + name):
        continue                    # left over from a file that is gone
    d, u = set(), set()
    for line in subprocess.run(['nm', obj], capture_output=True, text=True, check=True).stdout.splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == 'U':
            u.add(f[1])
        elif len(f) == 3 and f[1] in 'TDBRC':
            d.add(f[2])
    defines[name], uses[name] = d, u
owner = {s: f for f, d in defines.items() for s in d}
edges = collections.defaultdict(set)
for f, u in uses.items():
    edges[f] |= {owner[s] for s in u if s in owner and owner[s] != f}

# Tarjan's strongly connected components: a component of more than one
# file is a circle.
index, low, stack, on_stack, circles = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v); on_stack.add(v)
    for w in sorted(edges[v]):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on_stack.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            circles.append(sorted(comp))
for v in sorted(defines):
    if v not in index:
        visit(v)
if '-v' in sys.argv:
    for f in sorted(defines):
        print(f, '->', ' '.join(sorted(edges[f])) or '(nothing)')
if circles:
    for c in circles:
        print('src-deps: these files depend on each other in a circle:', ' '.join(c), file=sys.stderr)
    sys.exit(1)
print(f'src-deps: {len(defines)} C files, no circle')
PY
