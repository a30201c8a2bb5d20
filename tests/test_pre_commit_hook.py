"""The ``.pre-commit-hooks.yaml`` at the repository root, run by the real ``pre-commit`` tool
(test extra) in a throwaway git repository of a blog: the hook sees the Markdown and LaTeX
files a commit changes, several at a time, and a slip blocks the commit.

Two ways: the hooks as declared, but run from this environment's ``probkit`` (``repo:
local``, ``language: unsupported``, so nothing is installed: quick, offline); and the way a
blogger uses them (``repo:`` a clone of this repository at HEAD, ``language: python``: pre-commit
builds a virtualenv and pip-installs probkit and its dependencies from the package index).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / ".pre-commit-hooks.yaml"

GOOD = "---\ntitle: good\n---\n\n$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n"
BAD = "---\ntitle: bad\n---\n\nProse.\n\n$$\n(x+1)^2 = x^2 + 1\n$$\n"  # the slip: line 8
PAPER = ("\\documentclass{article}\n\\begin{document}\n\\[ (x-1)^2 = x^2 - 2x + 1 \\]\n"
         "\\end{document}\n")


def _pre_commit() -> list[str]:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or \
        shutil.which("pre-commit")
    if found is None:
        pytest.skip("pre-commit is not installed (it comes with the test extra)")
    return [found]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=False, timeout=120)


def _blog(root: Path, config: dict[str, object]) -> Path:
    blog = root / "blog"
    (blog / "content" / "posts").mkdir(parents=True)
    assert _git(blog, "init", "-q").returncode == 0
    _git(blog, "config", "user.email", "blogger@example.org")
    _git(blog, "config", "user.name", "Blogger")
    _git(blog, "config", "commit.gpgsign", "false")
    (blog / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (blog / "README.txt").write_text("$x = 2x$ is not a post\n", encoding="utf-8")
    (blog / "content" / "posts" / "good.md").write_text(GOOD, encoding="utf-8")
    (blog / "content" / "posts" / "prose.markdown").write_text("No maths.\n", encoding="utf-8")
    (blog / "content" / "posts" / "paper.tex").write_text(PAPER, encoding="utf-8")
    return blog


def _run(blog: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([*_pre_commit(), *args], cwd=blog, capture_output=True, text=True,
                          check=False, timeout=900, env=env)


def _commit_blocked_then_allowed(blog: Path, home: Path) -> None:
    """The planted slip blocks ``git commit`` through the installed hook; the fix lets it in."""
    assert _run(blog, home, "install").returncode == 0
    bad = blog / "content" / "posts" / "bad.md"
    bad.write_text(BAD, encoding="utf-8")
    _git(blog, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    blocked = subprocess.run(["git", "-C", str(blog), "commit", "-qm", "posts"],
                             capture_output=True, text=True, check=False, timeout=900, env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    # line 8, column 11: where x^2 + 1 (the side blamed) starts
    assert "content/posts/bad.md:8:11: wrong step: (x+1)^2 ≠ x^2 + 1" in output
    for passed in ("content/posts/good.md: 1 equality, 1 verified",
                   "content/posts/paper.tex: 1 equality, 1 verified",
                   "content/posts/prose.markdown: 0 equalities"):
        assert passed in output, output  # several files in one call, .tex and .markdown too
    assert "README.txt" not in output and "pre-commit-config" not in output
    assert "4 posts: 3 passed, 1 failed" in output
    bad.write_text(BAD.replace("x^2 + 1", "x^2 + 2x + 1"), encoding="utf-8")
    _git(blog, "add", "-A")
    allowed = subprocess.run(["git", "-C", str(blog), "commit", "-qm", "posts"],
                             capture_output=True, text=True, check=False, timeout=900, env=env)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert _git(blog, "log", "--oneline").stdout.count("\n") == 1


def test_the_hooks_file_declares_probkit_check_for_markdown_and_tex() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"probkit-check", "probkit-check-katex"}
    for hook in hooks.values():
        assert hook["entry"].startswith("probkit check --allow-no-maths")
        assert hook["language"] == "python"
        assert hook["types_or"] == ["markdown", "tex"]
    assert "--strict-render" in hooks["probkit-check-katex"]["entry"]


def test_the_declared_hook_run_by_pre_commit_blocks_a_slip(tmp_path: Path) -> None:
    probkit = shutil.which("probkit", path=str(Path(sys.executable).parent))
    assert probkit is not None, "probkit is not installed in this environment"
    hook = next(h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
                if h["id"] == "probkit-check")
    local = {**{k: hook[k] for k in ("id", "name", "types_or")},
             "entry": hook["entry"].replace("probkit", json.dumps(probkit), 1),
             "language": "unsupported"}  # this environment's probkit: nothing to install
    blog = _blog(tmp_path, {"repos": [{"repo": "local", "hooks": [local]}]})
    _commit_blocked_then_allowed(blog, tmp_path / "pre-commit-home")


def test_a_blog_uses_the_hook_from_a_clone_of_this_repository(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit needs a repository and a revision")
    head = _git(ROOT, "rev-parse", "HEAD").stdout.strip()
    committed = _git(ROOT, "show", f"{head}:.pre-commit-hooks.yaml")
    assert committed.returncode == 0, "the hooks file is not committed"
    blog = _blog(tmp_path, {"repos": [{"repo": str(ROOT), "rev": head,
                                       "hooks": [{"id": "probkit-check"}]}]})
    home = tmp_path / "pre-commit-home"
    installed = _run(blog, home, "install-hooks")
    if installed.returncode != 0 and "pip" in installed.stdout + installed.stderr and (
            "Could not find a version" in installed.stdout + installed.stderr
            or "Network is unreachable" in installed.stdout + installed.stderr):
        pytest.skip("the package index cannot be reached to install the hook's environment")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    _commit_blocked_then_allowed(blog, home)
