"""The examples' data sets, each loaded offline and preprocessed as the book does.

Every loader returns a :class:`Dataset` of NumPy arrays: float32 features,
float32 targets for regression and binary labels, int64 class labels.
"""

import csv
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from examples import idx
from examples.errors import DataError, MissingDependencyError
from examples.splits import train_test_indices

IRIS_SPECIES = ("setosa", "versicolor", "virginica")
AUTO_MPG_NUMERIC = ("Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration")
MODEL_YEAR_BOUNDARIES = np.array([73, 76, 79])
# The book encodes the UCI origin codes (1 USA, 2 Europe, 3 Japan) as one_hot(code % 3).
ORIGIN_COLUMN = {"Japan": 0, "USA": 1, "Europe": 2}


@dataclass(frozen=True)
class Dataset:
    """Training and test arrays with a one-line description of where they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    description: str


def xor_data(n_points=200, n_train=100, seed=1):
    """Return the book's XOR data: points uniform in [-1, 1]^2, label 0 where x1 * x2 < 0.

    ``RandomState(seed)`` draws the same numbers as ``numpy.random.seed(seed)``
    followed by ``numpy.random.uniform``, without touching NumPy's global state.
    The first ``n_train`` points train, the rest validate.
    """
    x = np.random.RandomState(seed).uniform(low=-1, high=1, size=(n_points, 2))
    y = np.ones(n_points)
    y[x[:, 0] * x[:, 1] < 0] = 0
    x, y = x.astype(np.float32), y.astype(np.float32)
    description = f"XOR, {n_points} points from numpy.random.seed({seed}); {n_train} train, {n_points - n_train} validation"
    return Dataset(x[:n_train], y[:n_train], x[n_train:], y[n_train:], description)


def read_iris_csv():
    """Return ``(features, labels)`` of the Iris CSV bundled with the ``benchmarks`` package."""
    path = resources.files("benchmarks") / "data" / "iris.csv"
    with path.open(newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].startswith("#")]

    header, records = rows[0], rows[1:]
    if header[-1] != "species" or len(records) != 150:
        raise DataError(
            f"{path} must contain a header ending in 'species' and 150 rows, got {header} and {len(records)} rows; "
            "restore the file from the repository"
        )
    features = np.array([[float(value) for value in record[:4]] for record in records])
    labels = np.array([IRIS_SPECIES.index(record[4]) for record in records], dtype=np.int64)
    return features, labels


def iris_data():
    """Return Iris split as ``train_test_split(test_size=1/3, random_state=1)``, scalar-normalized.

    As in the book, one mean and one standard deviation over all training
    values (not per feature) normalize both the training and the test features.
    """
    features, labels = read_iris_csv()
    train_rows, test_rows = train_test_indices(len(labels), test_size=1.0 / 3, random_state=1)
    x_train, x_test = features[train_rows], features[test_rows]
    mean, std = np.mean(x_train), np.std(x_train)
    return Dataset(
        ((x_train - mean) / std).astype(np.float32),
        labels[train_rows],
        ((x_test - mean) / std).astype(np.float32),
        labels[test_rows],
        "Iris (bundled CSV), train_test_split(test_size=1/3, random_state=1): 100 train, 50 test",
    )


def read_cars():
    """Return the ``cars`` records shipped inside the ``vega_datasets`` package."""
    try:
        from vega_datasets import data
    except ImportError as error:
        raise MissingDependencyError(
            "the auto_mpg example reads the Auto MPG data from the vega_datasets package; "
            "install it with: pip install '.[examples]' in the repository root"
        ) from error
    with open(data.cars.filepath, encoding="utf-8") as handle:
        return json.load(handle)


def auto_mpg_features(records):
    """Return ``(numeric, model_year, origin_one_hot, mpg)`` arrays of the records."""
    numeric = np.array([[record[name] for name in AUTO_MPG_NUMERIC] for record in records], dtype=np.float64)
    model_year = np.array([int(record["Year"][:4]) - 1900 for record in records])
    origin = np.zeros((len(records), len(ORIGIN_COLUMN)))
    origin[np.arange(len(records)), [ORIGIN_COLUMN[record["Origin"]] for record in records]] = 1.0
    mpg = np.array([record["Miles_per_Gallon"] for record in records], dtype=np.float64)
    return numeric, model_year, origin, mpg


def auto_mpg_data():
    """Return Auto MPG preprocessed as the book does, with 9 features per car.

    Cars without MPG or horsepower are dropped (392 remain), and the rows are
    split as ``train_test_split(train_size=0.8, random_state=1)``. The five
    numeric columns are z-scored with the training mean and sample standard
    deviation. The model year becomes its bucket among 73, 76 and 79, as
    ``torch.bucketize(..., right=True)`` computes it, and the origin is one-hot encoded.
    """
    records = [r for r in read_cars() if r["Miles_per_Gallon"] is not None and r["Horsepower"] is not None]
    numeric, model_year, origin, mpg = auto_mpg_features(records)
    train_rows, test_rows = train_test_indices(len(records), train_size=0.8, random_state=1)

    mean, std = numeric[train_rows].mean(axis=0), numeric[train_rows].std(axis=0, ddof=1)
    bucket = np.searchsorted(MODEL_YEAR_BOUNDARIES, model_year, side="right")
    features = np.concatenate([(numeric - mean) / std, bucket[:, None], origin], axis=1).astype(np.float32)
    mpg = mpg.astype(np.float32)
    description = (
        f"Auto MPG (vega_datasets cars, {len(records)} cars with MPG and horsepower), "
        f"train_size=0.8, random_state=1: {len(train_rows)} train, {len(test_rows)} test"
    )
    return Dataset(features[train_rows], mpg[train_rows], features[test_rows], mpg[test_rows], description)


def digits_data():
    """Return scikit-learn's 8x8 digits, pixels scaled to [0, 1], split 75/25 with ``random_state=1``."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:
        raise MissingDependencyError(
            "the digits example reads the 8x8 digits bundled with scikit-learn; "
            "install it with: pip install '.[examples]' in the repository root, or pass --mnist-dir"
        ) from error
    digits = load_digits()
    pixels = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    train_rows, test_rows = train_test_indices(len(labels), test_size=0.25, random_state=1)
    description = (
        f"scikit-learn 8x8 digits (not MNIST), 64 inputs, train_test_split(test_size=0.25, random_state=1): "
        f"{len(train_rows)} train, {len(test_rows)} test"
    )
    return Dataset(pixels[train_rows], labels[train_rows], pixels[test_rows], labels[test_rows], description)


def mnist_data(directory):
    """Return MNIST read from the IDX files in ``directory``, pixels scaled to [0, 1] and flattened."""
    train_images, train_labels, test_images, test_labels = idx.load_mnist(directory)
    description = f"MNIST from {directory}, 784 inputs: {len(train_labels)} train, {len(test_labels)} test"
    return Dataset(
        _flatten_pixels(train_images),
        train_labels.astype(np.int64),
        _flatten_pixels(test_images),
        test_labels.astype(np.int64),
        description,
    )


def _flatten_pixels(images):
    return (images.reshape(len(images), -1) / 255.0).astype(np.float32)
