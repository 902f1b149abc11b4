"""Tables kept in the token cache: a pandas DataFrame in a compact, sealed binary file (strings as
codes into one word list, numbers as raw arrays), read back with the same dtypes."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .cache import read, write

_FRAME_MAGIC = b"AUDF1\n"


def _encode_column(name: str, s: pd.Series) -> tuple[list, list[bytes]] | None:
    """(header entry, blobs) of one column; ``None`` when it cannot be stored this way."""
    if s.dtype == object and len(s) and not all(isinstance(v, str) for v in s):
        return None  # lists, None …: not stored
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=False)
        words = [str(u) for u in uniques]
        if any("\n" in w for w in words):
            return None
        blob = "\n".join(words).encode("utf-8")
        arr = codes.astype("<i4").tobytes()
        return [name, "str", len(words), len(blob), len(arr)], [blob, arr]
    arr = np.ascontiguousarray(s.to_numpy())
    return [name, arr.dtype.str, 0, 0, arr.nbytes], [arr.tobytes()]


def save_frame(path: Path | None, df: pd.DataFrame, *, keep: int | None = 32) -> str | None:
    """A DataFrame of str/int/float columns in one file that loads in milliseconds (nothing is
    written for other columns); ``keep``: how many tables to keep in the folder (the most recent).
    Returns ``None``, or why the file could not be written."""
    if path is None:
        return None
    cols, blobs = [], []
    for name in df.columns:
        encoded = _encode_column(str(name), df[name])
        if encoded is None:
            return None
        cols.append(encoded[0])
        blobs += encoded[1]
    objects = [str(name) for name in df.columns if df[name].dtype == object]  # loaded back as object, not str
    head = json.dumps({"rows": len(df), "columns": cols, "object": objects}).encode() + b"\n"
    problem = write(path, _FRAME_MAGIC + head + b"".join(blobs))
    if keep and problem is None:  # the most recent results only
        try:
            for p in sorted(path.parent.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)[keep:]:
                p.unlink(missing_ok=True)
        except OSError:
            pass  # pruning is housekeeping
    return problem


def load_frame(path: Path | None) -> pd.DataFrame | None:
    """A table stored by :func:`save_frame`; ``None`` when missing or damaged."""
    data = read(path)
    if path is None or not data or not data.startswith(_FRAME_MAGIC):
        return None
    try:
        nl = data.index(b"\n", len(_FRAME_MAGIC))
        head = json.loads(data[len(_FRAME_MAGIC):nl])
        off, n, out = nl + 1, head["rows"], {}
        for name, kind, n_words, n_blob, n_arr in head["columns"]:
            if kind == "str":
                words = np.array(data[off:off + n_blob].decode("utf-8").split("\n") if n_words else [], dtype=object)
                off += n_blob
                codes = np.frombuffer(data, "<i4", n, off)
                out[name] = words[codes] if n else np.array([], dtype=object)
            else:
                out[name] = np.frombuffer(data, kind, n, off).copy()
            off += n_arr
        if off != len(data):
            return None
        try:
            os.utime(path)  # recently used: kept by the pruning
        except OSError:
            pass  # a read-only cache
        for name in head.get("object", ()):
            out[name] = pd.Series(out[name], dtype=object)
        return pd.DataFrame(out)
    except (ValueError, KeyError, IndexError, TypeError):
        return None
