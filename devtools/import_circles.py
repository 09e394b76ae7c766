"""Fail when modules of the portal import each other, directly or round a circle: `make lint`
runs it beside import-linter's layers contract, which sees only imports between apps.

    python -m devtools.import_circles

Counts every import, at the top of a module or inside a function."""

import sys
from collections.abc import Iterable

import grimp

APPS = (
    "core",
    "partners",
    "projects",
    "indicators",
    "libraries",
    "reporting",
    "webhooks",
    "api",
    "dashboards",
    "portfolio",
    "devtools",
)


def circles(graph: grimp.ImportGraph, modules: Iterable[str]) -> list[list[str]]:
    """The groups of modules that reach each other through imports (strongly connected
    components of more than one module), each sorted, found without recursion."""
    order: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(modules):
        if root in order:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        order[root] = lowest[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            following = next(imported, None)
            if following is not None:
                if following not in order:
                    order[following] = lowest[following] = len(order)
                    stack.append(following)
                    on_stack.add(following)
                    targets = sorted(graph.find_modules_directly_imported_by(following))
                    work.append((following, iter(targets)))
                elif following in on_stack:
                    lowest[module] = min(lowest[module], order[following])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowest[parent] = min(lowest[parent], lowest[module])
            if lowest[module] == order[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)


def main() -> int:
    graph = grimp.build_graph(*APPS, cache_dir=None)
    found = circles(graph, graph.modules)
    for group in found:
        print("Modules that import each other: " + ", ".join(group))
    print(f"{len(graph.modules)} modules, {len(found)} import circles.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
