#!/usr/bin/env python3
"""Fails when modules of src/ import each other in a cycle.

Reads every `crate::…` and `super::…` path outside comments and `#[cfg(test)]` code, maps it to
the module it names, and looks for cycles among the top-level modules (`index`, `engine`, …) and
among the modules of one folder (`index::query`, `index::plan`, …). Usage:
    python3 tools/module_cycles.py [SRC_DIR]
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")


def module_of(path):
    parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return "::".join(parts)


def code_of(text):
    """The text without test code and comment lines, with `crate::{a, b}` spelled out."""
    cut = text.find("#[cfg(test)]")
    text = text if cut < 0 else text[:cut]
    text = "\n".join(l for l in text.split("\n") if not l.strip().startswith("//"))
    for group in re.findall(r"crate::\{([^}]*)\}", text):
        for item in group.split(","):
            item = item.strip().split(" ")[0]
            if item:
                text += "\ncrate::" + item
    return text


sources = {}
for folder, _, files in os.walk(ROOT):
    for f in files:
        if f.endswith(".rs"):
            path = os.path.join(folder, f)
            with open(path, encoding="utf-8") as fh:
                sources[module_of(path)] = code_of(fh.read())

edges = {}
for module, text in sources.items():
    deps = set()
    for ref in re.findall(r"crate::([a-z_][a-z_0-9]*(?:::[a-z_][a-z_0-9]*)*)", text):
        parts = ref.split("::")
        for k in range(len(parts), 0, -1):
            if "::".join(parts[:k]) in sources:
                deps.add("::".join(parts[:k]))
                break
    parent = module.split("::")[:-1]
    for ref in re.findall(r"\bsuper::([a-z_][a-z_0-9]*)", text):
        named = "::".join(parent + [ref])
        deps.add(named if named in sources else "::".join(parent))
    edges[module] = {d for d in deps if d and d != module}


def level(module, n):
    return "::".join(module.split("::")[:n])


failed = False
for n in (1, 2):
    graph = {}
    for module, deps in edges.items():
        for dep in deps:
            a, b = level(module, n), level(dep, n)
            nested = a.startswith(b + "::") or b.startswith(a + "::")
            if a and b and a != b and not nested:
                graph.setdefault(a, set()).add(b)

    def reach(start):
        seen, stack = set(), [start]
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    on_cycle = sorted(m for m in graph if m in reach(m))
    if on_cycle:
        failed = True
        print(f"import cycle among: {', '.join(on_cycle)}")
        for m in on_cycle:
            print(f"  {m} -> {', '.join(sorted(d for d in graph[m] if d in on_cycle))}")
print("module import cycles:", "found" if failed else "none")
sys.exit(1 if failed else 0)
