"""``probkit check FOLDER`` and ``probkit check A.md B.md``: many posts in one process, and
bounded reading of every kind of input (a device or a FIFO is refused by name)."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probkit.errors import DataError, InputError
from probkit.symbolic.lint import check_paths, posts
from probkit.symbolic.lint.report import CheckReport, PostError
from probkit_cli.app import app

GOOD = "# Good\n\n$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n"
BAD = "# Bad\n\nSome prose.\n\n$$\n(x+1)^2 = x^2 + 1\n$$\n"  # the slip is on line 6
BAD_TEX = ("\\documentclass{article}\n\\begin{document}\n\\begin{equation}\n"
           "(x-1)^2 = x^2 - 2x\n\\end{equation}\n\\end{document}\n")  # the slip is on line 4


def _site(root: Path) -> Path:
    files = {
        "content/good.md": GOOD,
        "content/posts/bad.markdown": BAD,
        "content/posts/paper.tex": BAD_TEX,
        "content/posts/prose.md": "No maths at all.\n",
        "content/.git/hidden.md": BAD,  # hidden folders are never walked into
        "content/posts/.draft.md": BAD,  # nor hidden files read
        "content/node_modules/pkg/readme.md": BAD,
        "content/posts/notes.txt": BAD,  # not a post
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root / "content"


def test_a_folder_checks_every_post_below_it_and_nothing_else(tmp_path: Path,
                                                               runner: CliRunner) -> None:
    content = _site(tmp_path)
    done = runner.invoke(app, ["check", str(content)])
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    assert f"{content}/posts/bad.markdown:6:11: wrong step: (x+1)^2 ≠ x^2 + 1" in done.stdout
    assert any(line.startswith(f"{content}/posts/paper.tex:4:11: wrong step") for line in lines)
    assert f"{content}/good.md: 1 equality, 1 verified" in done.stdout
    assert f"{content}/posts/prose.md: 0 equalities" in done.stdout
    for never in ("hidden.md", "draft.md", "node_modules", "notes.txt"):
        assert never not in done.stdout
    assert lines[-1] == ("4 posts: 2 passed, 2 failed; 3 equalities, 1 verified, "
                         "2 findings: 2 wrong")
    assert done.stderr == ""


def test_json_gives_one_object_per_post_and_nothing_else(tmp_path: Path,
                                                         runner: CliRunner) -> None:
    content = _site(tmp_path)
    done = runner.invoke(app, ["check", str(content), "--json"])
    assert done.exit_code == 1
    payload = json.loads(done.stdout)  # the whole of stdout is one JSON document
    by_name = {Path(p["source"]).name: p for p in payload["posts"]}
    assert set(by_name) == {"good.md", "bad.markdown", "paper.tex", "prose.md"}
    assert by_name["good.md"]["passed"] is True
    assert by_name["bad.markdown"]["findings"][0]["source_line"] == 6
    assert by_name["paper.tex"]["findings"][0]["source_line"] == 4
    assert payload["passed"] is False and payload["posts_checked"] == 4
    assert payload["equalities_checked"] == 3 and payload["equalities_verified"] == 1


def test_several_files_as_pre_commit_passes_them_and_the_exit_codes(
        tmp_path: Path, runner: CliRunner) -> None:
    good, bad, prose, binary = (tmp_path / n for n in ("good.md", "bad.md", "prose.md", "b.md"))
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    prose.write_text("prose only\n", encoding="utf-8")
    binary.write_bytes(b"$x = x$\n\xff\xfe")
    assert runner.invoke(app, ["check", str(good), str(prose)]).exit_code == 0
    assert runner.invoke(app, ["check", str(good), str(bad)]).exit_code == 1
    mixed = runner.invoke(app, ["check", str(good), str(binary), str(bad)])
    assert mixed.exit_code == 2  # a post could not be read: bad input, as for one post
    assert mixed.stderr == f"error: {binary}: not UTF-8 (byte 0xff on line 2)\n"
    assert f"{bad}:6:11: wrong step" in mixed.stdout  # the other posts are still checked
    assert mixed.stdout.splitlines()[-1].startswith("3 posts: 1 passed, 1 failed, 1 unreadable")
    twice = runner.invoke(app, ["check", str(good), str(good), str(tmp_path / "." / "good.md")])
    assert twice.stdout.splitlines()[-1].startswith("1 post: 1 passed")  # each post once


def test_one_file_without_maths_is_an_error_unless_allowed(tmp_path: Path,
                                                           runner: CliRunner) -> None:
    prose = tmp_path / "prose.md"
    prose.write_text("prose only\n", encoding="utf-8")
    alone = runner.invoke(app, ["check", str(prose)])
    assert alone.exit_code == 2 and "no maths found" in alone.stderr
    allowed = runner.invoke(app, ["check", str(prose), "--allow-no-maths"])
    assert allowed.exit_code == 0 and "no equalities to check" in allowed.stdout


def test_allow_no_maths_keeps_stdin_and_the_copies_of_one_post(tmp_path: Path,
                                                               runner: CliRunner) -> None:
    prose = "prose only\n"
    stdin = runner.invoke(app, ["check", "-", "--allow-no-maths"], input=prose)
    assert stdin.exit_code == 0 and "no equalities to check" in stdin.stdout, stdin.stderr
    slip = runner.invoke(app, ["check", "-", "--allow-no-maths"], input=BAD)
    assert slip.exit_code == 1 and "<stdin>:6:11: wrong step" in slip.stdout
    post, out = tmp_path / "post.md", tmp_path / "out.md"
    post.write_text("$$\nf(x) = x^2 \\qquad f’(x) = 2x\n$$\n", encoding="utf-8")
    fixed = runner.invoke(app, ["check", str(post), "--allow-no-maths", "--fix", str(out)])
    assert fixed.exit_code == 0, fixed.stderr
    assert out.read_text(encoding="utf-8") == "$$\nf(x) = x^2 \\qquad f'(x) = 2x\n$$\n"
    (tmp_path / "prose.md").write_text(prose, encoding="utf-8")
    for option in ("--fix", "--annotate"):
        copy = tmp_path / f"copy{option}.md"
        done = runner.invoke(app, ["check", str(tmp_path / "prose.md"), "--allow-no-maths",
                                   option, str(copy)])
        assert done.exit_code == 0, done.stderr
        assert copy.read_text(encoding="utf-8") == prose  # nothing to mark or replace


def test_a_missing_path_and_stdin_among_posts_are_refused_by_name(tmp_path: Path,
                                                                   runner: CliRunner) -> None:
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    missing = runner.invoke(app, ["check", str(good), str(tmp_path / "nope.md")])
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'nope.md'}: no such file or folder\n"
    stdin = runner.invoke(app, ["check", str(good), "-"], input=GOOD)
    assert stdin.exit_code == 2 and "- (stdin) can only be checked on its own" in stdin.stderr


@pytest.mark.parametrize("option", ["--annotate", "--fix"])
def test_copies_are_written_for_one_post_only(tmp_path: Path, runner: CliRunner,
                                              option: str) -> None:
    content = _site(tmp_path)
    out = tmp_path / "out.md"
    done = runner.invoke(app, ["check", str(content), option, str(out)])
    assert done.exit_code == 2 and f"{option} writes the copy of one post" in done.stderr
    assert not out.exists()


def test_the_number_of_posts_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        (tmp_path / f"p{i}.md").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(posts, "MAX_POSTS", 3)
    with pytest.raises(InputError, match=r"more than 3 posts below this folder"):
        posts.find_posts(tmp_path)
    monkeypatch.setattr(posts, "MAX_POSTS", 5)
    assert len(posts.find_posts(tmp_path)) == 5


def test_library_call_returns_each_post_in_order(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "c.md").write_bytes(b"\xff")
    site = check_paths([tmp_path])
    kinds = [(Path(p.source).name, type(p)) for p in site.posts]
    assert kinds == [("a.md", CheckReport), ("b.md", CheckReport), ("c.md", PostError)]
    assert [r.passed for r in site.reports] == [True, False]
    assert site.exit_code == 2 and not site.passed


# ------------------------------------------------------------ bounded reading of any input


def test_dev_zero_is_refused_by_name_without_reading(runner: CliRunner) -> None:
    for device in ("/dev/zero", "/dev/urandom"):
        if not os.path.exists(device):
            pytest.skip(f"no {device} here")
        with pytest.raises(DataError, match=rf"^{device}: a character device, not a post"):
            posts.read_post(device)
        done = runner.invoke(app, ["check", device])
        assert done.exit_code == 2
        assert done.stderr.startswith(f"error: {device}: a character device, not a post")
        several = runner.invoke(app, ["check", device, device.replace("zero", "null")])
        assert several.exit_code == 2 and "a character device" in several.stderr


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "post.md"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            posts.read_post(fifo)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("read_post waited on a FIFO")
    assert isinstance(outcome[0], DataError)
    assert "a FIFO (named pipe), not a post" in str(outcome[0])
    site = check_paths([tmp_path])  # below a folder, a FIFO named *.md is one unreadable post
    assert [type(p) for p in site.posts] == [PostError]


def test_a_folder_given_as_a_post_and_an_oversized_post(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DataError, match="a folder, not a post"):
        posts.read_post(tmp_path)
    big = tmp_path / "big.md"
    big.write_text(GOOD + "x" * 200, encoding="utf-8")
    monkeypatch.setattr(posts, "MAX_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        posts.read_post(big)
    (tmp_path / "small.md").write_text("$x = x$", encoding="utf-8")
    assert posts.read_post(tmp_path / "small.md") == "$x = x$"


def test_stdin_is_read_up_to_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(posts, "MAX_BYTES", 10)
    stream = io.BytesIO(b"0" * 10_000)
    with pytest.raises(InputError, match="larger than"):
        posts.read_stream(stream)
    assert stream.tell() == 11  # read no further than one byte past the bound


@pytest.mark.parametrize("layout", ["empty", "no-posts", "only-hidden"])
def test_a_folder_without_posts_is_refused_by_name(tmp_path: Path, runner: CliRunner,
                                                   layout: str) -> None:
    # a mistyped content folder (`probkit check contnet/` made by a typo, or `static/`) must
    # not pass as "0 posts"
    folder = tmp_path / "static"
    folder.mkdir()
    if layout == "no-posts":
        (folder / "notes.txt").write_text(BAD, encoding="utf-8")
        (folder / "img").mkdir()
        (folder / "img" / "a.png").write_bytes(b"\x89PNG")
    elif layout == "only-hidden":
        (folder / ".git").mkdir()
        (folder / ".git" / "a.md").write_text(BAD, encoding="utf-8")
    done = runner.invoke(app, ["check", str(folder)])
    assert done.exit_code == 2, done.output
    assert done.stdout == ""
    assert done.stderr == (f"error: {folder}: no posts below this folder (no .md, .markdown "
                           "or .tex file); name the folder that holds the posts\n")
    with pytest.raises(InputError, match="no posts below this folder"):
        posts.find_posts(folder)
    # among other paths, the empty folder is still refused (a typo is a typo)
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    both = runner.invoke(app, ["check", str(good), str(folder)])
    assert both.exit_code == 2 and "no posts below this folder" in both.stderr
    (folder / "post.md").write_text(GOOD, encoding="utf-8")  # negative control
    assert runner.invoke(app, ["check", str(folder)]).exit_code == 0


def test_the_entries_visited_below_a_folder_are_bounded(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # `probkit check /usr`: thousands of folders and files that are not posts, one post at the
    # end; the walk stops at the bound, whatever the number of posts found so far
    for i in range(30):
        (tmp_path / f"d{i:02}").mkdir()
        for j in range(10):
            (tmp_path / f"d{i:02}" / f"f{j}.txt").write_text("x", encoding="utf-8")
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "post.md").write_text(GOOD, encoding="utf-8")
    visited: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path: str) -> object:
        visited.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(posts.os, "scandir", counting_scandir)
    monkeypatch.setattr(posts, "MAX_ENTRIES", 100)
    with pytest.raises(InputError, match=r"more than 100 files and folders below this folder"
                                         r".*name the folder that holds the posts") as refused:
        posts.find_posts(tmp_path)
    assert str(tmp_path) in str(refused.value)
    assert len(visited) <= 12  # it stopped: 100 entries are at most 11 folders of this tree
    monkeypatch.setattr(posts, "MAX_ENTRIES", 400)  # negative control: room for all 332
    assert posts.find_posts(tmp_path) == [tmp_path / "zz" / "post.md"]


def test_a_deep_tree_is_walked_without_recursion() -> None:
    # os.walk recurses (Python 3.11): 1,200 nested folders would raise RecursionError. The
    # tree is made outside pytest's tmp_path: shutil.rmtree recurses too, and a tree left
    # there would break every later pytest run's clean-up on this machine
    made = [Path(tempfile.mkdtemp(prefix="probkit-deep-"))]
    try:
        for _ in range(1_200):  # one at a time: pathlib's mkdir(parents=True) recurses too
            made.append(made[-1] / "d")
            os.mkdir(made[-1])
        (made[-1] / "post.md").write_text(GOOD, encoding="utf-8")
        assert posts.find_posts(made[0]) == [made[-1] / "post.md"]
    finally:  # removed here, bottom up
        (made[-1] / "post.md").unlink(missing_ok=True)
        for folder in reversed(made):
            os.rmdir(folder)


def test_a_link_to_a_post_never_hides_the_post_s_own_name(tmp_path: Path,
                                                          runner: CliRunner) -> None:
    many = tmp_path / "many"
    many.mkdir()
    (many / "p1.md").write_text(BAD, encoding="utf-8")
    (many / "link.md").symlink_to("p1.md")  # sorts before p1.md
    outside = tmp_path / "drafts" / "outside.md"
    outside.parent.mkdir()
    outside.write_text(GOOD, encoding="utf-8")
    (many / "a_outside.md").symlink_to(outside)  # its target is not below the folder
    done = runner.invoke(app, ["check", str(many)])
    assert done.exit_code == 1, done.output
    assert f"{many / 'p1.md'}:6:11: wrong step" in done.stdout  # under the real file's own name
    assert "link.md" not in done.stdout  # checked once, not twice
    assert f"{many / 'a_outside.md'}: 1 equality, 1 verified" in done.stdout  # only a link
    assert done.stdout.splitlines()[-1].startswith("2 posts:")
    # files given by name: the same rule, whatever the order
    given = runner.invoke(app, ["check", str(many / "link.md"), str(many / "p1.md")])
    assert f"{many / 'p1.md'}:6:11: wrong step" in given.stdout and "link.md" not in given.stdout
