"""The examples' data sets: sizes, preprocessing, splits and the IDX reader."""

import gzip

import numpy as np
import pytest

from examples import datasets, idx
from examples.errors import DataError
from examples.splits import batch_schedule, split_sizes, train_test_indices


def test_xor_matches_global_seed_draws():
    state = np.random.get_state()
    try:
        np.random.seed(1)
        expected = np.random.uniform(low=-1, high=1, size=(200, 2))
    finally:
        np.random.set_state(state)

    data = datasets.xor_data()

    np.testing.assert_array_equal(np.concatenate([data.x_train, data.x_test]), expected.astype(np.float32))
    assert data.x_train.shape == (100, 2)
    assert data.x_test.shape == (100, 2)


def test_xor_labels_follow_quadrants():
    data = datasets.xor_data()
    for x, y in ((data.x_train, data.y_train), (data.x_test, data.y_test)):
        np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(np.float32))
    assert data.y_train.dtype == np.float32


def test_xor_leaves_global_state_alone():
    before = np.random.get_state()[1].copy()
    datasets.xor_data()
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize(
    ("n_samples", "test_size", "train_size"),
    [(150, 1.0 / 3, None), (392, None, 0.8), (1797, 0.25, None), (10, 3, None), (10, None, 7), (10, None, None)],
)
def test_split_matches_scikit_learn(n_samples, test_size, train_size):
    model_selection = pytest.importorskip("sklearn.model_selection")
    rows = np.arange(n_samples)
    expected_train, expected_test = model_selection.train_test_split(
        rows, test_size=test_size, train_size=train_size, random_state=1
    )

    train_rows, test_rows = train_test_indices(n_samples, test_size=test_size, train_size=train_size, random_state=1)

    np.testing.assert_array_equal(train_rows, expected_train)
    np.testing.assert_array_equal(test_rows, expected_test)


def test_split_sizes_of_book_data():
    assert split_sizes(150, test_size=1.0 / 3) == (100, 50)
    assert split_sizes(392, train_size=0.8) == (313, 79)


@pytest.mark.parametrize(("test_size", "train_size"), [(1.5, None), (0.5, 0.6), (10, None)])
def test_split_rejects_impossible_sizes(test_size, train_size):
    with pytest.raises(DataError):
        split_sizes(10, test_size=test_size, train_size=train_size)


def test_iris_split_matches_scikit_learn():
    model_selection = pytest.importorskip("sklearn.model_selection")
    features, labels = datasets.read_iris_csv()
    x_train, x_test, y_train, y_test = model_selection.train_test_split(
        features, labels, test_size=1.0 / 3, random_state=1
    )
    mean, std = np.mean(x_train), np.std(x_train)

    data = datasets.iris_data()

    np.testing.assert_array_equal(data.y_train, y_train)
    np.testing.assert_array_equal(data.y_test, y_test)
    np.testing.assert_allclose(data.x_train, (x_train - mean) / std, rtol=1e-6)
    np.testing.assert_allclose(data.x_test, (x_test - mean) / std, rtol=1e-6)


def test_iris_csv_matches_scikit_learn_copy():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    iris = sklearn_datasets.load_iris()
    features, labels = datasets.read_iris_csv()
    np.testing.assert_array_equal(features, iris.data)
    np.testing.assert_array_equal(labels, iris.target)


def test_auto_mpg_preprocessing():
    pytest.importorskip("vega_datasets")
    data = datasets.auto_mpg_data()

    assert data.x_train.shape == (313, 9)
    assert data.x_test.shape == (79, 9)
    numeric = data.x_train[:, :5].astype(np.float64)
    np.testing.assert_allclose(numeric.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(numeric.std(axis=0, ddof=1), 1.0, rtol=1e-5)
    assert set(np.unique(data.x_train[:, 5])) <= {0.0, 1.0, 2.0, 3.0}
    np.testing.assert_array_equal(data.x_train[:, 6:].sum(axis=1), 1.0)
    np.testing.assert_array_equal(data.x_test[:, 6:].sum(axis=1), 1.0)


def test_auto_mpg_encodings_follow_book():
    # Model years 73 and 76 start buckets 1 and 2; the book's one_hot(origin % 3) puts Japan first.
    bucket = np.searchsorted(datasets.MODEL_YEAR_BOUNDARIES, [70, 72, 73, 75, 76, 79, 82], side="right")
    np.testing.assert_array_equal(bucket, [0, 0, 1, 1, 2, 3, 3])
    uci_codes = {"USA": 1, "Europe": 2, "Japan": 3}
    for origin, column in datasets.ORIGIN_COLUMN.items():
        assert column == uci_codes[origin] % 3


def test_auto_mpg_drops_cars_without_target_or_horsepower():
    pytest.importorskip("vega_datasets")
    records = datasets.read_cars()
    kept = [r for r in records if r["Miles_per_Gallon"] is not None and r["Horsepower"] is not None]
    assert len(records) == 406
    assert len(kept) == 392


def test_digits_scaled_to_unit_interval():
    pytest.importorskip("sklearn")
    data = datasets.digits_data()
    assert data.x_train.shape[1] == 64
    assert len(data.y_train) + len(data.y_test) == 1797
    assert data.x_train.min() == 0.0
    assert data.x_train.max() == 1.0
    assert "not MNIST" in data.description


def write_idx(path, array, type_code=0x08):
    header = bytes([0, 0, type_code, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    content = header + array.astype(idx.IDX_TYPES[type_code]).tobytes()
    if path.suffix == ".gz":
        content = gzip.compress(content)
    path.write_bytes(content)


@pytest.mark.parametrize("type_code", sorted(idx.IDX_TYPES))
def test_idx_round_trip(tmp_path, type_code):
    array = np.arange(24).reshape(2, 3, 4)
    write_idx(tmp_path / "values", array, type_code)
    result = idx.read_idx(tmp_path / "values")
    np.testing.assert_array_equal(result, array)
    assert result.dtype.isnative


def test_idx_rejects_truncated_file(tmp_path):
    write_idx(tmp_path / "values", np.arange(6).reshape(2, 3))
    (tmp_path / "values").write_bytes((tmp_path / "values").read_bytes()[:-1])
    with pytest.raises(DataError, match="bytes"):
        idx.read_idx(tmp_path / "values")


def test_idx_rejects_bad_magic():
    with pytest.raises(DataError, match="not an IDX file"):
        idx.parse_idx(b"\x01\x00\x08\x01\x00\x00\x00\x00")


def test_mnist_reader_accepts_gzip(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28))
    labels = rng.integers(0, 10, size=5)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images[:2])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels[:2])

    data = datasets.mnist_data(tmp_path)

    assert data.x_train.shape == (5, 784)
    np.testing.assert_allclose(data.x_train, images.reshape(5, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.y_test, labels[:2])


def test_mnist_reader_names_missing_file(tmp_path):
    with pytest.raises(DataError, match="train-images-idx3-ubyte"):
        datasets.mnist_data(tmp_path)


def test_batch_schedule_covers_every_row_each_epoch():
    schedule = batch_schedule(7, 2, epochs=3, seed=1)
    assert len(schedule) == 3
    for epoch in schedule:
        assert [len(rows) for rows in epoch] == [2, 2, 2, 1]
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(7))
    assert not np.array_equal(np.concatenate(schedule[0]), np.concatenate(schedule[1]))
