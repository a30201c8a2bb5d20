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
