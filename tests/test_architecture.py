"""The package's shape holds: layers, no import cycles, no private names across modules, and the
template's Chinese words spelled only in `form/` (DESIGN decision 1)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tests.architecture import ROOT, Import, chinese_literals, cycles, imports, modules, private_imports

#: What each package may import of the project (DESIGN.md, "Layout").
ALLOWED_LAYERS = {
    "form": set(),
    "connectors": {"form"},
    "expectations": {"form"},
    "warehouse": {"form"},
    "mail": {"form", "warehouse"},
    "synth": {"form"},
    # the office's documents: the 汇总 report is printed by synth's Word writer (one layout code path)
    "outputs": {"form", "warehouse", "synth"},
    "flows": {"form", "connectors", "expectations", "warehouse", "mail", "synth", "outputs"},
}

#: Files outside form/ allowed to hold Chinese string literals, and why. Keep it short: a word
#: the template prints belongs in form/; only message templates and patterns may live elsewhere.
CHINESE_ALLOWED: dict[str, str] = {
    # the generator's fictional places and departments: made-up data, not the template's words
    "synth/names.py": "name pools of the synthetic province",
    # the generator's narrative sentences (templates with {numbers}), not the template's words
    "synth/wording.py": "narrative prose templates of the synthetic reports",
}


@cache
def _graph() -> tuple[dict[str, Path], list[Import]]:
    known = modules()
    return known, list(imports(known))


def test_layers_hold() -> None:
    _, found = _graph()
    wrong = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in found
        if (a := i.module.split(".")[0]) != (b := i.target.split(".")[0]) and b not in ALLOWED_LAYERS[a]
    ]
    assert wrong == []


def test_nothing_below_flows_imports_prefect_or_settings() -> None:
    known, _ = _graph()
    offenders = []
    for module, path in known.items():
        if module.startswith("flows"):
            continue
        text = path.read_text(encoding="utf-8")
        if "import prefect" in text or "from prefect" in text or "flows.settings" in text:
            offenders.append(module)
    assert offenders == []


def test_no_import_cycles() -> None:
    _, found = _graph()
    assert cycles((i.module, i.target) for i in found) == []


def test_no_private_name_is_imported_across_modules() -> None:
    _, found = _graph()
    assert private_imports(found) == []


def _chinese_outside_form(root: Path) -> dict[str, list[tuple[int, str]]]:
    out = {}
    for module, path in modules(root).items():
        if module == "form" or module.startswith("form."):
            continue
        rel = str(path.relative_to(root))
        found = chinese_literals(path)
        if found and rel not in CHINESE_ALLOWED:
            out[rel] = found
    return out


def test_chinese_words_live_in_form() -> None:
    assert _chinese_outside_form(ROOT) == {}


def test_allow_list_names_real_files_that_still_need_it() -> None:
    for rel in CHINESE_ALLOWED:
        assert chinese_literals(ROOT / rel), f"{rel} holds no Chinese literal any more: drop it from the list"


def test_a_planted_label_fails_the_check(tmp_path: Path) -> None:
    """The check is not vacuous: copy the tree, plant a label in a flows module, and it is named."""
    for package in ("form", "connectors", "expectations", "warehouse", "synth", "flows"):
        for path in (ROOT / package).rglob("*.py"):
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    before = _chinese_outside_form(tmp_path)
    planted = tmp_path / "flows" / "planted.py"
    planted.write_text('"""A docstring may say 本年新收."""\n\n# so may a comment: 本年新收\nLABEL = "本年新收"\n', encoding="utf-8")
    assert _chinese_outside_form(tmp_path) == {**before, "flows/planted.py": [(4, "本年新收")]}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import a.b\nfrom a import c\n", [["a.b", "a.c"]]),
        ("from a import _private\n", []),
    ],
)
def test_cycle_finder_on_a_planted_graph(tmp_path: Path, source: str, expected: list[list[str]]) -> None:
    """a.b imports a.c and a.c imports a.b back: one cycle, found; an acyclic tree gives none."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "a" / "b.py").write_text(source, encoding="utf-8")
    (tmp_path / "a" / "c.py").write_text("import a.b\n" if expected else "", encoding="utf-8")
    known = modules(tmp_path, ("a",))
    found = list(imports(known))
    assert cycles((i.module, i.target) for i in found) == expected


def test_private_import_finder_on_a_planted_tree(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "a" / "b.py").write_text("from a.c import _helper, public\n", encoding="utf-8")
    (tmp_path / "a" / "c.py").write_text("def _helper(): ...\ndef public(): ...\n", encoding="utf-8")
    found = list(imports(modules(tmp_path, ("a",))))
    assert private_imports(found) == ["a.b:1 imports a.c._helper"]
