"""Reader for the IDX files in which MNIST is distributed.

An IDX file starts with two zero bytes, a type code and the number of
dimensions, then one big-endian 32-bit size per dimension, then the values in
row-major order, big-endian. Files ending in ``.gz`` are decompressed first.
"""

import gzip
from pathlib import Path

import numpy as np

from examples.errors import DataError

IDX_TYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def read_idx(path):
    """Return the array stored in the IDX file at ``path``, in native byte order."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        content = handle.read()
    return parse_idx(content, source=str(path))


def parse_idx(content, source="<bytes>"):
    """Return the array encoded by the IDX bytes ``content``; ``source`` names it in errors."""
    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise DataError(f"{source} is not an IDX file: it must start with two zero bytes")
    type_code, ndim = content[2], content[3]
    if type_code not in IDX_TYPES:
        known = ", ".join(f"{code:#04x}" for code in sorted(IDX_TYPES))
        raise DataError(f"{source} has IDX type code {type_code:#04x}; expected one of {known}")

    header_size = 4 + 4 * ndim
    shape = tuple(int(size) for size in np.frombuffer(content[4:header_size], dtype=">u4"))
    dtype = IDX_TYPES[type_code]
    expected = header_size + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(shape) != ndim or len(content) != expected:
        raise DataError(
            f"{source} has {len(content)} bytes but its header {shape} of {dtype} needs {expected}; "
            "the file is truncated or corrupt, so copy it again"
        )

    values = np.frombuffer(content, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def find_mnist_file(directory, stem):
    """Return the path of ``stem`` or ``stem.gz`` in ``directory``."""
    directory = Path(directory)
    for candidate in (directory / stem, directory / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    raise DataError(
        f"{stem} (or {stem}.gz) not found in {directory}; --mnist-dir must point at the folder "
        f"holding the four MNIST IDX files: {', '.join(MNIST_FILES.values())}"
    )


def load_mnist(directory):
    """Return ``(train_images, train_labels, test_images, test_labels)`` read from ``directory``."""
    arrays = {key: read_idx(find_mnist_file(directory, stem)) for key, stem in MNIST_FILES.items()}
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise DataError(
                f"MNIST {split} files in {directory} contain images of shape {images.shape} and labels of "
                f"shape {labels.shape}; expected (n, rows, cols) and (n,)"
            )
    return arrays["train_images"], arrays["train_labels"], arrays["test_images"], arrays["test_labels"]
