"""The installed model's weights as memory-mapped numpy arrays, read without torch or copies.

A safetensors file is an 8-byte little-endian header length, a JSON header mapping each tensor
name to its dtype, shape and byte range, then the raw little-endian data (each tensor's start
aligned to its element size). `read_tensors` maps the file once and returns read-only views
into it, so opening costs a few milliseconds and only the pages a caller touches (the few
word-embedding rows of a question, say) are ever read. Used by the query-time encoder
(`index.query_encoder`) and the static word vectors (`index.embed.WordVectors`).

Left out: writing, dtypes other than the float and integer ones the model files use, and
big-endian hosts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
          "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def read_tensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of the safetensors file at `path`, as read-only memory-mapped arrays.

    Raises `ValueError` when the file is not a safetensors file this reader understands.
    """
    if sys.byteorder != "little":
        raise ValueError("safetensors data is little-endian; this reader maps it as is")
    with path.open("rb") as f:
        size = int.from_bytes(f.read(8), "little")
        try:
            header = json.loads(f.read(size))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"{path}: not a safetensors file ({err})") from None
    data = np.asarray(np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size))   # a plain view; keeps the map open
    out: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        out[name] = data[begin:end].view(DTYPES[info["dtype"]]).reshape(info["shape"])
    return out
