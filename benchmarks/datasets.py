"""The bundled Iris data set: loading, a fixed stratified split, standardization and mini-batches."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

IRIS_PATH = Path(__file__).parent / "data" / "iris.csv"
SPECIES = ("setosa", "versicolor", "virginica")


@dataclass(frozen=True)
class Split:
    """Standardized float32 features and int64 class labels for training and testing."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_iris(path: Path = IRIS_PATH) -> tuple[np.ndarray, np.ndarray]:
    """Read the CSV (a comment line, a header, then 150 rows) into features and labels."""
    with open(path, newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].startswith("#")]
    header, body = rows[0], rows[1:]
    if header[-1] != "species":
        raise ValueError(f"{path}: expected the last column to be 'species', found {header[-1]!r}")
    features = np.array([[float(value) for value in row[:-1]] for row in body], dtype=np.float64)
    labels = np.array([SPECIES.index(row[-1]) for row in body], dtype=np.int64)
    return features, labels


def split_iris(test_fraction: float = 0.2, seed: int = 0) -> Split:
    """Split each class at the same fraction and standardize with the training mean and deviation."""
    features, labels = load_iris()
    rng = np.random.default_rng(seed)
    train_rows, test_rows = [], []
    for label in range(len(SPECIES)):
        rows = rng.permutation(np.flatnonzero(labels == label))
        test_count = round(len(rows) * test_fraction)
        test_rows.extend(rows[:test_count])
        train_rows.extend(rows[test_count:])
    train_rows, test_rows = np.sort(train_rows), np.sort(test_rows)

    mean = features[train_rows].mean(axis=0)
    std = features[train_rows].std(axis=0)
    standardized = ((features - mean) / std).astype(np.float32)
    return Split(standardized[train_rows], labels[train_rows], standardized[test_rows], labels[test_rows])


def epoch_batches(count: int, batch_size: int, epochs: int, seed: int) -> list[list[np.ndarray]]:
    """Return, for each epoch, the row indices of its mini-batches, shuffled by one seeded generator."""
    rng = np.random.default_rng(seed)
    schedule = []
    for _ in range(epochs):
        order = rng.permutation(count)
        schedule.append([order[start:start + batch_size] for start in range(0, count, batch_size)])
    return schedule
