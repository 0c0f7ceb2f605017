"""A run's intermediate storage: parsed and checked chunks handed from one task to the next.

Prefect walks every task parameter object by object (`visit_collection`) to find futures and to
record inputs; a flow passing lists of parsed reports between tasks spent about half its time
there. So tasks write what they made here and pass its keys instead, and a run never holds the
province's reports in memory: only the chunks being worked on are loaded. Items are pickled (our
own records, written and read by the same run), one object per key, under `<root>/<run_id>/`;
the flow removes that folder when the run ends. A list stored with `put_each` is one file whose
items have keys of their own (`read/3/2019#17`): a task that reads a thousand files writes a
handful of spool files, not a thousand (writing, reading and removing one small file per report
cost more than the pickling, and the removal sat at the end of every run).

The root is a folder by default (`XXGK_HOME/spool`) or any fsspec URL every worker can reach
(`s3://…`, a shared mount) when tasks run on other machines (Dask).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from warehouse.archive import with_filename

#: between a list's key and an item's place in it (`put_each`)
ITEM = "#"


def _split(key: str) -> tuple[str, int | None]:
    base, sep, item = key.partition(ITEM)
    if not sep:
        return key, None
    if not item.isdigit():
        raise ValueError(f"not a spool key: {key!r}")
    return base, int(item)


class SpoolError(RuntimeError):
    """A key a task asked for is not in the run's spool (its writer failed or the run was cleared)."""


class Spool:
    """One run's folder of pickled objects, by key (`read/3-17`, `checked/2019-0`)."""

    def __init__(self, url: str | Path) -> None:
        self.url = str(url)
        self.fs, root = fsspec.core.url_to_fs(self.url)
        self.root = root.rstrip("/")
        self._local = isinstance(self.fs, LocalFileSystem)

    @classmethod
    def for_run(cls, root: str | Path, run_id: str) -> Spool:
        return cls(f"{str(root).rstrip('/')}/{run_id}")

    def _path(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/") or ITEM in key:
            raise ValueError(f"not a spool key: {key!r}")
        return f"{self.root}/{key}.pkl"

    def put(self, key: str, obj: Any) -> str:
        """Store `obj` under `key` (replacing what was there); the key."""
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        path = self._path(key)
        if self._local:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            try:
                Path(path).write_bytes(data)
            except OSError as exc:  # a full disk: say where (flows/errors.py names the folder)
                raise with_filename(exc, path) from exc
        else:
            self.fs.pipe_file(path, data)
        return key

    def put_each(self, key: str, items: list[Any]) -> list[str]:
        """Store the list under `key` in one file; one key per item (`key#i`), in order."""
        self.put(key, list(items))
        return [f"{key}{ITEM}{i}" for i in range(len(items))]

    def get(self, key: str) -> Any:
        base, item = _split(key)
        if item is not None:
            return self.get_many([key])[0]
        path = self._path(base)
        try:
            data = Path(path).read_bytes() if self._local else self.fs.cat_file(path)
        except FileNotFoundError as exc:
            raise SpoolError(f"{key} is not in the spool at {self.url}") from exc
        return pickle.loads(data)

    def get_many(self, keys: list[str]) -> list[Any]:
        """The objects under `keys`, in order; each file read once however many of its items are asked."""
        files: dict[str, Any] = {}
        out = []
        for key in keys:
            base, item = _split(key)
            if base not in files:
                files[base] = self.get(base)
            if item is None:
                out.append(files[base])
                continue
            try:
                out.append(files[base][item])
            except (IndexError, TypeError) as exc:
                raise SpoolError(f"{key} is not in the spool at {self.url}") from exc
        return out

    def clear(self) -> None:
        """Remove the run's folder and everything in it (nothing to do when it was never written)."""
        if self.fs.exists(self.root):
            self.fs.rm(self.root, recursive=True)
