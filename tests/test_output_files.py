"""Every file probkit writes goes through one atomic writer: ordinary permissions,
old files kept on failure, and file-system failures reported as one-line errors."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probkit import _atomic
from probkit._atomic import write_text_atomic
from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.classifier.modelfile import save_model
from probkit.classifier.pipeline import Classifier
from probkit.errors import DataError, InputError, ModelFileError
from probkit_cli.app import app

runner = CliRunner()


def _ordinary_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def fitted() -> Classifier:
    return Classifier().fit(make_synthetic(20, size=4, seed=1))


def test_model_data_and_text_files_get_ordinary_permissions(tmp_path, fitted) -> None:
    save_model(tmp_path / "m.npz", fitted)
    write_dataset(tmp_path / "d.h5", make_synthetic(4, size=4))
    write_text_atomic(tmp_path / "t.md", "x\n")
    for name in ("m.npz", "d.h5", "t.md"):
        assert _mode(tmp_path / name) == _ordinary_mode(), name
    # negative control: a bare mkstemp file is owner-only, so the check above can fail
    fd, bare = tempfile.mkstemp(dir=tmp_path)
    os.close(fd)
    assert _mode(Path(bare)) == 0o600 != _ordinary_mode()


def test_derive_out_gets_ordinary_permissions(tmp_path) -> None:
    target = tmp_path / "s.md"
    result = runner.invoke(app, ["derive", "sigmoid", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert _mode(target) == _ordinary_mode()


def test_replacing_a_file_keeps_its_mode(tmp_path) -> None:
    target = tmp_path / "shared.md"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n" and _mode(target) == 0o640


def _unwritable_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make creating the temporary file fail as in a read-only directory (tests may run as
    root, who can write anywhere)."""

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)


@pytest.mark.parametrize(
    ("writer", "error"),
    [
        (lambda p, clf: save_model(p / "m.npz", clf), ModelFileError),
        (lambda p, clf: write_dataset(p / "d.h5", make_synthetic(4, size=4)), DataError),
        (lambda p, clf: write_text_atomic(p / "t.md", "x"), InputError),
    ],
)
def test_read_only_directory_is_a_clear_error(tmp_path, fitted, monkeypatch, writer,
                                              error) -> None:
    _unwritable_dir(monkeypatch)
    with pytest.raises(error, match="Permission denied"):
        writer(tmp_path, fitted)
    assert list(tmp_path.iterdir()) == []


def test_derive_out_into_read_only_directory_is_one_line(tmp_path, monkeypatch) -> None:
    _unwritable_dir(monkeypatch)
    result = runner.invoke(app, ["derive", "sigmoid", "--out", str(tmp_path / "x.md")])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "x.md" in result.stderr and "Permission denied" in result.stderr
    assert result.stdout == ""


def test_failed_rename_keeps_the_old_file_and_leaves_no_temporary(tmp_path, fitted,
                                                                  monkeypatch) -> None:
    target = tmp_path / "m.npz"
    target.write_bytes(b"old model")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(ModelFileError, match="No space left"):
        save_model(target, fitted)
    assert target.read_bytes() == b"old model"
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_one_shared_writer() -> None:
    import probkit.classifier.data.datasets

    assert probkit.classifier.data.datasets.atomic_output is _atomic.atomic_output
    root = Path(_atomic.__file__).parent
    writers = [p.relative_to(root.parent).as_posix() for p in root.rglob("*.py")
               if "mkstemp" in p.read_text(encoding="utf-8")]
    assert writers == ["probkit/_atomic.py"]


@pytest.mark.parametrize("command", ["train", "tune"])
def test_unwritable_out_fails_before_the_work_starts(command, tmp_path, monkeypatch) -> None:
    data = tmp_path / "train.h5"
    write_dataset(data, make_synthetic(30, size=4, seed=1), split="train")
    calls: list[str] = []

    def counting_load(*args: object, **kwargs: object) -> None:
        calls.append("load")
        raise AssertionError("the data was read before --out was checked")

    monkeypatch.setattr("probkit.classifier.data.datasets.load_dataset", counting_load)
    _unwritable_dir(monkeypatch)
    extra = ["--l2", "1"] if command == "tune" else []
    result = runner.invoke(app, [command, "--train", str(data), "--out",
                                 str(tmp_path / "m.npz"), "--iterations", "3", *extra])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and "Permission denied" in result.stderr
    assert calls == []


# ---------------------------------------------------------------- special files and links
#
# Renaming a finished file over a device node, a FIFO or a socket replaces the node (as root,
# ``--out /dev/full`` used to leave a model file where the device was). Only regular files
# are written; links are written through.

def _special(tmp_path: Path, kind: str) -> Path:
    """A node of ``kind`` in ``tmp_path`` (never a system one: a failing test must not
    replace /dev/null)."""
    path = tmp_path / f"a-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        import socket

        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    elif kind == "directory":
        path.mkdir()
    elif kind == "device":
        try:  # the same numbers as /dev/null; needs root
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("creating a device node needs root")
    return path


SPECIAL_KINDS = {"fifo": "a FIFO (named pipe)", "socket": "a socket",
                 "directory": "a directory", "device": "a character device"}


def _train_file(tmp_path: Path) -> Path:
    data = tmp_path / "train.h5"
    write_dataset(data, make_synthetic(20, size=4, seed=1))
    return data


def _output_commands(tmp_path: Path) -> dict[str, list[str]]:
    """Every command-line option that names a file to write, with ``{}`` for the path."""
    post = Path(__file__).parent / "check_posts" / "sigmoid_en.md"
    data = str(_train_file(tmp_path))
    return {
        "derive --out": ["derive", "sigmoid", "--out", "{}"],
        "derive -o": ["derive", "all", "-o", "{}"],
        "check --annotate": ["check", str(post), "--annotate", "{}"],
        "bayes --plot": ["bayes", "--values", "0:1:11", "--family", "binomial", "--data",
                         "3/10", "--plot", "{}"],
        "train --out": ["train", "--train", data, "--out", "{}", "--iterations", "3"],
        "tune --out": ["tune", "--train", data, "--out", "{}", "--iterations", "3",
                       "--l2", "1", "--folds", "2"],
    }


OUTPUTS = ["derive --out", "derive -o", "check --annotate", "bayes --plot", "train --out",
           "tune --out"]


@pytest.mark.parametrize("kind", sorted(SPECIAL_KINDS))
@pytest.mark.parametrize("output", OUTPUTS)
def test_every_output_refuses_a_special_file_by_name(tmp_path, output, kind) -> None:
    node = _special(tmp_path, kind)
    if output == "bayes --plot":  # the plot's name must end in .png
        node = node.rename(tmp_path / f"{node.name}.png")
    before = os.lstat(node)
    args = [str(node) if a == "{}" else a for a in _output_commands(tmp_path)[output]]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(node) in result.stderr and SPECIAL_KINDS[kind] in result.stderr
    after = os.lstat(node)
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode),
                                                          before.st_ino)
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("output", OUTPUTS)
def test_every_output_refuses_an_empty_path_by_name(tmp_path, output) -> None:
    args = ["" if a == "{}" else a for a in _output_commands(tmp_path)[output]]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    option = output.split()[1]
    assert result.stderr.startswith("error: ") and "empty" in result.stderr
    assert option.lstrip("-")[:3] in result.stderr or "--out" in result.stderr


@pytest.mark.parametrize("output", ["derive -o", "check --annotate", "train --out"])
def test_an_impossible_output_is_refused_before_the_work(tmp_path, output, monkeypatch) -> None:
    """``derive all -o /nonexistent/x.md`` used to derive everything and then fail."""
    import probkit.symbolic.render

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the work was done before the output was checked")

    monkeypatch.setattr(probkit.symbolic.render, "render", no_work)
    monkeypatch.setattr("probkit.classifier.data.datasets.load_dataset", no_work)
    monkeypatch.setattr("probkit.symbolic.lint.check_text", no_work)
    target = str(tmp_path / "missing" / "x.md")
    args = [target if a == "{}" else a for a in _output_commands(tmp_path)[output]]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "does not exist" in result.stderr and "x.md" in result.stderr


def test_a_symlink_is_written_through(tmp_path, fitted) -> None:
    real = tmp_path / "runs" / "7.npz"
    real.parent.mkdir()
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    link = tmp_path / "latest.npz"
    link.symlink_to(Path("runs") / "7.npz")  # relative, as people make them
    save_model(link, fitted)
    assert link.is_symlink() and os.readlink(link) == str(Path("runs") / "7.npz")
    assert real.read_bytes()[:2] == b"PK" and _mode(real) == 0o640
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_chain_of_links_to_a_new_file_creates_it(tmp_path) -> None:
    final = tmp_path / "final.md"
    (tmp_path / "b.md").symlink_to(final)
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    result = runner.invoke(app, ["derive", "sigmoid", "-o", str(tmp_path / "a.md")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "a.md").is_symlink() and (tmp_path / "b.md").is_symlink()
    assert "sigmoid" in final.read_text()


def test_a_link_to_a_fifo_is_refused(tmp_path) -> None:
    fifo = _special(tmp_path, "fifo")
    (tmp_path / "link").symlink_to(fifo)
    with pytest.raises(InputError, match="FIFO"):
        write_text_atomic(tmp_path / "link", "x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and (tmp_path / "link").is_symlink()


@pytest.mark.parametrize("command", ["train", "evaluate"])
@pytest.mark.parametrize("kind", ["fifo", "regular"])
def test_a_plot_folder_that_is_not_a_folder_is_refused(tmp_path, command, kind) -> None:
    data = _train_file(tmp_path)
    not_folder = tmp_path / "plots"
    if kind == "fifo":
        os.mkfifo(not_folder)
    else:
        not_folder.write_text("keep me")
    model = tmp_path / "m.npz"
    args = (["train", "--train", str(data), "--out", str(model), "--iterations", "3"]
            if command == "train" else ["evaluate", "--model", str(model), "--data", str(data)])
    if command == "evaluate":
        save_model(model, Classifier().fit(make_synthetic(20, size=4, seed=1)))
    result = runner.invoke(app, [*args, "--plot", str(not_folder)])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "--plot" in result.stderr and str(not_folder) in result.stderr
    assert "not a folder" in result.stderr
    if kind == "regular":
        assert not_folder.read_text() == "keep me"


def test_an_empty_plot_folder_name_is_refused(tmp_path) -> None:
    data = _train_file(tmp_path)
    result = runner.invoke(app, ["train", "--train", str(data), "--out", str(tmp_path / "m.npz"),
                                 "--plot", ""])
    assert result.exit_code == 2 and "--plot" in result.stderr and "empty" in result.stderr
