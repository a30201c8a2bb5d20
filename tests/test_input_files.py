"""Input files (data, model, image) that are not regular files are refused at once."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from probkit.classifier.data.datasets import load_dataset
from probkit.classifier.data.images import read_photo
from probkit.classifier.modelfile import load_model
from probkit.errors import DataError, ModelFileError

LOADERS: list[tuple[str, Callable[[Path], Any], type[Exception]]] = [
    ("data file", load_dataset, DataError),
    ("model file", load_model, ModelFileError),
    ("image file", lambda p: read_photo(p, (64, 64)), DataError),
]


@pytest.mark.parametrize(("what", "load", "error"), LOADERS, ids=[w for w, _, _ in LOADERS])
def test_a_fifo_as_input_file_is_refused_without_waiting_for_a_writer(
        tmp_path: Path, what: str, load: Callable[[Path], Any], error: type[Exception]) -> None:
    fifo = tmp_path / "input"
    os.mkfifo(fifo)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            load(fifo)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # release the blocked open() so the thread can end
        with open(fifo, "wb"):
            pass
        worker.join(5)
        pytest.fail(f"reading a FIFO as a {what} waited for a writer")
    assert len(raised) == 1 and isinstance(raised[0], error), raised
    assert str(raised[0]) == f"{what} {fifo} is a FIFO (named pipe), not a regular file"
