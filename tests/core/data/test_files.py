"""User data files: one test per bad input of issue 8 (each gives one clear UserError), and round trips per format."""

from __future__ import annotations

import io
import os
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from core import config as C
from core.data.base import load_dataset
from core.data.file_options import FileOptions
from core.data.files import READERS, file_columns, load_file
from core.engine.run_config import DATASET_KEYS
from core.errors import UserError
from core.models import default_model_for


def blobs_frame(n_per=8, k=3, d=4, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(3 * c, 1.0, size=(n_per, d)) for c in range(k)])
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(d)])
    df["label"] = np.repeat([f"class_{c}" for c in range(k)], n_per)
    return df


def write_csv(tmp_path, df: pd.DataFrame, name="data.csv") -> str:
    p = str(tmp_path / name)
    df.to_csv(p, index=False)
    return p


def png_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def write_zip(tmp_path, entries: dict[str, bytes], name="imgs.zip") -> str:
    p = str(tmp_path / name)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in entries.items():
            zf.writestr(n, b)
    return p


def image_entries(k=2, n_per=4, size=6, rgb=False, root="") -> dict[str, bytes]:
    rng = np.random.default_rng(1)
    out = {}
    for c in range(k):
        for i in range(n_per):
            shape = (size, size, 3) if rgb else (size, size)
            out[f"{root}c{c}/{i}.png"] = png_bytes(rng.integers(0, 256, shape, dtype=np.uint8))
    return out


def error_of(path, options=None) -> str:
    with pytest.raises(UserError) as ei:
        load_file(path, options or {})
    msg = str(ei.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


# ---------------------------------------------------------------------------------------------- bad inputs
def test_empty_file(tmp_path):
    p = tmp_path / "e.csv"
    p.write_bytes(b"")
    assert error_of(str(p)) == f"file '{p}' is empty"


def test_header_only_csv_has_no_rows(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("a,b,label\n")
    assert "has no data rows" in error_of(str(p))


def test_unreadable_parquet(tmp_path):
    p = tmp_path / "x.parquet"
    p.write_bytes(b"this is not parquet at all" * 10)
    assert error_of(str(p)).startswith(f"cannot read '{p}' as Parquet:")


def test_unreadable_binary_csv(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(bytes(range(128, 256)) * 4)
    assert "not UTF-8" in error_of(str(p))


def test_missing_file(tmp_path):
    assert "does not exist" in error_of(str(tmp_path / "nope.csv"))


def test_directory_is_not_a_file(tmp_path):
    d = tmp_path / "dir.csv"
    d.mkdir()
    assert "is not a file" in error_of(str(d))


def test_wrong_extension(tmp_path):
    p = tmp_path / "data.txt"
    p.write_text("a,label\n1,x\n")
    msg = error_of(str(p))
    assert "extension '.txt'" in msg and all(ext in msg for ext in READERS)


def test_missing_label_column(tmp_path):
    df = blobs_frame().rename(columns={"label": "target"})
    msg = error_of(write_csv(tmp_path, df))
    assert "label column 'label' is not in the file" in msg and "'target'" in msg and "label_column=NAME" in msg


def test_unknown_label_column(tmp_path):
    msg = error_of(write_csv(tmp_path, blobs_frame()), {"label_column": "species"})
    assert "label column 'species' is not in the file" in msg and "'f0'" in msg


def test_unknown_clean_and_id_columns(tmp_path):
    p = write_csv(tmp_path, blobs_frame())
    assert "clean label column 'truth' is not in the file" in error_of(p, {"clean_label_column": "truth"})
    assert "id column 'key' is not in the file" in error_of(p, {"id_column": "key"})


def test_non_numeric_feature_columns(tmp_path):
    df = blobs_frame()
    df["colour"] = "red"
    df["f1"] = df["f1"].astype(object)
    df.loc[3, "f1"] = "n/a?"
    msg = error_of(write_csv(tmp_path, df))
    assert msg.startswith("2 feature columns are not numeric: 'f1', 'colour'")
    assert "'n/a?' in column 'f1' row 4" in msg


def test_nan_and_inf_say_how_many_and_where(tmp_path):
    df = blobs_frame()
    df.loc[2, "f0"] = np.nan
    df.loc[5, "f0"] = np.inf
    df.loc[7, "f3"] = -np.inf
    msg = error_of(write_csv(tmp_path, df))
    assert msg.startswith("3 NaN/inf values in the feature columns:")
    assert "column 'f0' rows 3, 6" in msg and "column 'f3' row 8" in msg


def test_nan_in_npz_embeddings_names_the_indices(tmp_path):
    X = np.random.default_rng(0).normal(size=(12, 3)).astype(np.float32)
    X[4, 1] = np.nan
    p = str(tmp_path / "e.npz")
    np.savez(p, X=X, y=np.repeat([0, 1], 6))
    assert error_of(p) == "1 NaN/inf value in X: index 4; fill or drop them first"


def test_missing_labels_are_named(tmp_path):
    df = blobs_frame()
    df.loc[[1, 9], "label"] = np.nan
    assert "label column 'label' is empty in 2 place(s): rows 2, 10" in error_of(write_csv(tmp_path, df))


def test_single_class(tmp_path):
    df = blobs_frame()
    df["label"] = "only"
    assert (
        error_of(write_csv(tmp_path, df))
        == "label column 'label' holds a single class ('only'); at least two are needed"
    )


def test_fewer_samples_than_twice_the_classes(tmp_path):
    df = pd.DataFrame({"f0": [0.1, 0.2, 0.3, 0.4, 0.5], "label": ["a", "b", "c", "a", "b"]})
    assert (
        error_of(write_csv(tmp_path, df))
        == "the data has 5 samples but 3 classes; at least 2 x 3 = 6 samples are needed"
    )


def test_rare_class_is_named(tmp_path):
    df = blobs_frame()
    df.loc[0, "label"] = "rare"
    df.loc[1, "label"] = "rare"
    assert "class 'rare' has only 2 sample(s)" in error_of(write_csv(tmp_path, df))


def test_clean_labels_unknown_to_the_label_column(tmp_path):
    df = blobs_frame()
    df["truth"] = df["label"]
    df.loc[[4, 6], "truth"] = "ghost"
    msg = error_of(write_csv(tmp_path, df), {"clean_label_column": "truth"})
    assert msg == (
        "clean label column 'truth' has labels that never occur in label column 'label': 'ghost' (rows 5, 7)"
    )


def test_non_integer_numeric_labels(tmp_path):
    df = blobs_frame()
    df["label"] = np.linspace(0, 1, len(df))
    assert "holds non-integer numbers" in error_of(write_csv(tmp_path, df))


def test_mismatched_x_y_lengths(tmp_path):
    p = str(tmp_path / "m.npz")
    np.savez(p, X=np.zeros((10, 3)), y=np.zeros(9))
    assert error_of(p) == f"X has 10 rows but 'y' has 9 in '{p}'; they must match"


class _Sentinel:
    """Unpickling it would create a file: the test proves that never happens."""

    path = ""

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_npz_object_array_is_refused_never_unpickled(tmp_path):
    _Sentinel.path = str(tmp_path / "PWNED")
    p = str(tmp_path / "o.npz")
    np.savez(p, X=np.array([_Sentinel(), 1], dtype=object), y=np.array([0, 1]))
    msg = error_of(p)
    assert "array 'X'" in msg and "object array" in msg and "refused" in msg
    assert not os.path.exists(_Sentinel.path)


def test_npy_object_array_is_refused_never_unpickled(tmp_path):
    _Sentinel.path = str(tmp_path / "PWNED")
    p = str(tmp_path / "o.npy")
    np.save(p, np.array([_Sentinel(), 1], dtype=object), allow_pickle=True)
    np.save(str(tmp_path / "o_y.npy"), np.array([0, 1]))
    msg = error_of(p)
    assert "object array" in msg and "refused" in msg
    assert not os.path.exists(_Sentinel.path)


def test_npz_without_x_or_y(tmp_path):
    p = str(tmp_path / "k.npz")
    np.savez(p, features=np.zeros((4, 2)), y=np.zeros(4))
    assert "has no array 'X'; its arrays are 'features', 'y'" in error_of(p)
    np.savez(p, X=np.zeros((4, 2)), target=np.zeros(4))
    assert "has no labels array 'y'" in error_of(p)


def test_npy_without_labels_file(tmp_path):
    p = str(tmp_path / "emb.npy")
    np.save(p, np.zeros((6, 2)))
    assert "no labels file beside" in error_of(p) and "emb_y.npy" in error_of(p)


def test_corrupt_image_in_zip_is_named(tmp_path):
    entries = image_entries()
    entries["c1/broken.png"] = png_bytes(np.zeros((6, 6), np.uint8))[:30]
    msg = error_of(write_zip(tmp_path, entries))
    assert msg.startswith("image 'c1/broken.png' in the ZIP is corrupt or not an image")


@pytest.mark.parametrize("bad", ["../evil.png", "c0/../../evil.png", "/etc/evil.png", "C:/evil.png"])
def test_zip_entry_with_dotdot_or_absolute_path_is_refused(tmp_path, bad):
    entries = image_entries()
    entries[bad] = png_bytes(np.zeros((6, 6), np.uint8))
    p = str(tmp_path / "z.zip")
    with zipfile.ZipFile(p, "w") as zf:
        for n, b in entries.items():
            # ZipFile.writestr would normalise the name; a ZipInfo keeps it as an attacker writes it.
            info = zipfile.ZipInfo(n)
            info.filename = n
            zf.writestr(info, b)
    assert error_of(p) == f"ZIP entry '{bad}' has an absolute or '..' path; the ZIP is refused"
    assert not (tmp_path.parent / "evil.png").exists()


def test_upload_larger_than_the_limit(tmp_path):
    p = write_csv(tmp_path, blobs_frame(n_per=200))
    size = os.path.getsize(p)
    msg = error_of(p, {"max_upload_mb": 0.001})
    assert msg == f"'{p}' is {size / 1e6:.3g} MB, larger than the 0.001 MB limit (max_upload_mb)"


def test_more_rows_than_the_row_limit(tmp_path):
    p = write_csv(tmp_path, blobs_frame(n_per=10))
    assert error_of(p, {"max_rows": 29}) == (
        f"'{p}' has 30 rows, more than the 29 row limit (max_rows); training needs about 2-3 KB of memory a row"
    )
    assert load_file(p, {"max_rows": 30}).X.shape == (30, 4)


def test_decompression_bomb_by_ratio(tmp_path):
    entries = image_entries()
    entries["c0/bomb.png"] = bytes(20 << 20)  # 20 MB of zeros deflate to ~20 kB
    msg = error_of(write_zip(tmp_path, entries))
    assert msg.startswith("ZIP entry 'c0/bomb.png' expands") and "decompression bomb" in msg


def test_decompression_bomb_by_pixels(tmp_path):
    entries = image_entries()
    buf = io.BytesIO()
    Image.new("1", (9000, 5000)).save(buf, "PNG")  # 45 M pixels in a few kB
    entries["c0/huge.png"] = buf.getvalue()
    msg = error_of(write_zip(tmp_path, entries))
    assert msg.startswith("image 'c0/huge.png' has 9000x5000 pixels") and "decompression bomb" in msg


def test_zip_image_outside_class_folder(tmp_path):
    entries = image_entries()
    entries["loose.png"] = png_bytes(np.zeros((6, 6), np.uint8))
    assert "image 'loose.png' is not directly inside a class folder" in error_of(write_zip(tmp_path, entries))


def test_zip_without_images(tmp_path):
    assert "no images found" in error_of(write_zip(tmp_path, {"a/readme.txt": b"hi"}))


def test_not_a_zip(tmp_path):
    p = tmp_path / "n.zip"
    p.write_bytes(b"PK but not really a zip file")
    assert error_of(str(p)).startswith(f"cannot read '{p}' as ZIP")


def test_bad_option_values(tmp_path):
    p = write_csv(tmp_path, blobs_frame())
    assert "image_size" in error_of(p, {"image_size": 2})
    assert "unknown option 'colour'" in error_of(p, {"colour": "x"})


# ---------------------------------------------------------------------------------------------- round trips
def test_csv_round_trip_keeps_class_names_and_standardizes(tmp_path):
    df = blobs_frame(n_per=6, k=3)
    df.insert(0, "id", [f"s{i}" for i in range(len(df))])
    df["truth"] = df["label"]
    df.loc[0, "label"] = "class_2"
    p = write_csv(tmp_path, df)
    assert file_columns(p) == list(df.columns)
    ds = load_file(p, {"id_column": "id", "clean_label_column": "truth"})
    assert ds.class_names == ("class_0", "class_1", "class_2") and ds.kind == "tabular"
    assert ds.X.shape == (18, 4) and ds.X.dtype == np.float32
    raw = df[[f"f{j}" for j in range(4)]].to_numpy()
    np.testing.assert_allclose(ds.X, (raw - raw.mean(0)) / raw.std(0), rtol=1e-5, atol=1e-5)
    assert [ds.class_names[i] for i in ds.y] == list(df["label"])
    assert [ds.class_names[i] for i in ds.y_clean] == list(df["truth"])
    assert not ds.labels_are_truth and ds.truth is not None and ds.truth[0] == 0 and ds.y[0] == 2
    assert ds.source == os.path.abspath(p) and len(ds.content_hash) == 16


def test_integer_labels_sort_numerically(tmp_path):
    df = blobs_frame(n_per=4, k=3)
    df["label"] = np.repeat([10, 2, 1], 4)
    ds = load_file(write_csv(tmp_path, df))
    assert ds.class_names == ("1", "2", "10")
    assert list(ds.y[:4]) == [2] * 4


def test_parquet_round_trip_equals_csv(tmp_path):
    df = blobs_frame()
    p1, p2 = write_csv(tmp_path, df), str(tmp_path / "d.parquet")
    df.to_parquet(p2, index=False)
    a, b = load_file(p1), load_file(p2)
    np.testing.assert_allclose(a.X, b.X, atol=1e-6)
    assert a.class_names == b.class_names and np.array_equal(a.y, b.y)


def test_without_clean_column_truth_is_unknown(tmp_path):
    ds = load_file(write_csv(tmp_path, blobs_frame()))
    assert ds.truth is None and ds.y_clean is None and not ds.labels_are_truth


def test_npz_embeddings_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 5))
    y = np.repeat(["cat", "dog"], 10)
    yc = y.copy()
    yc[0] = "dog"
    p = str(tmp_path / "emb.npz")
    np.savez(p, X=X, y=y, y_clean=yc)
    ds = load_file(p)
    assert ds.kind == "embedding" and ds.class_names == ("cat", "dog") and ds.X.shape == (20, 5)
    assert default_model_for(ds.input_shape, ds.kind) == "linear"
    assert ds.y_clean is not None and ds.y_clean[0] == 1 and ds.y[0] == 0
    np.testing.assert_allclose(ds.X.std(0), 1.0, rtol=1e-4)


def test_npz_images_channels_last_become_nchw(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 255, size=(12, 7, 5, 3), dtype=np.uint8)
    p = str(tmp_path / "img.npz")
    np.savez(p, X=X, y=np.repeat([0, 1, 2], 4))
    ds = load_file(p)
    assert ds.kind == "image" and ds.X.shape == (12, 3, 7, 5)
    Xf = X.astype(np.float64)
    expect = (Xf - Xf.mean()) / Xf.std()
    np.testing.assert_allclose(ds.X[3, 2, 6, 4], expect[3, 6, 4, 2], rtol=1e-4)
    assert default_model_for(ds.input_shape, ds.kind) == "cnn_small"


def test_npz_grey_images_get_one_channel(tmp_path):
    p = str(tmp_path / "g.npz")
    np.savez(p, X=np.random.default_rng(0).random((9, 8, 8)), y=np.repeat([0, 1, 2], 3))
    assert load_file(p).X.shape == (9, 1, 8, 8)


def test_npy_pair_round_trip(tmp_path):
    X = np.random.default_rng(0).normal(size=(10, 3))
    np.save(str(tmp_path / "X.npy"), X)
    np.save(str(tmp_path / "y.npy"), np.repeat([0, 1], 5))
    ds = load_file(str(tmp_path / "X.npy"))
    assert ds.X.shape == (10, 3) and list(ds.y) == [0] * 5 + [1] * 5 and ds.class_names == ("0", "1")


def test_zip_round_trip_classes_sizes_and_modes(tmp_path):
    entries = {}
    # Class folders under one shared root, as zipping a folder produces; one flat colour per class.
    for c, colour in (("apple", (255, 0, 0)), ("kiwi", (0, 255, 0))):
        for i in range(3):
            entries[f"fruit/{c}/{i}.png"] = png_bytes(np.full((10, 14, 3), colour, np.uint8))
    entries["fruit/.DS_Store"] = b"junk"
    entries["__MACOSX/fruit/apple/._0.png"] = b"junk"
    p = write_zip(tmp_path, entries)
    ds = load_file(p, {"image_size": 8})
    assert ds.class_names == ("apple", "kiwi") and ds.X.shape == (6, 3, 8, 8) and ds.kind == "image"
    apple, kiwi = ds.X[ds.y == 0], ds.X[ds.y == 1]
    assert apple[:, 0].mean() > apple[:, 1].mean() and kiwi[:, 1].mean() > kiwi[:, 0].mean()
    grey = load_file(p, {"image_size": 8, "grayscale": "true"})
    assert grey.X.shape == (6, 1, 8, 8)


def test_zip_grey_images_stay_grey_and_mixed_become_rgb(tmp_path):
    entries = image_entries(k=2, n_per=3)
    assert load_file(write_zip(tmp_path, entries), {"image_size": 8}).X.shape == (6, 1, 8, 8)
    entries["c0/colour.png"] = png_bytes(np.zeros((6, 6, 3), np.uint8))
    assert load_file(write_zip(tmp_path, entries, "mixed.zip"), {"image_size": 8}).X.shape == (7, 3, 8, 8)


def test_content_hash_follows_the_data(tmp_path):
    df = blobs_frame()
    h1 = load_file(write_csv(tmp_path, df, "a.csv")).content_hash
    assert load_file(write_csv(tmp_path, df, "b.csv")).content_hash == h1
    df.loc[0, "f0"] += 1.0
    assert load_file(write_csv(tmp_path, df, "c.csv")).content_hash != h1


def test_load_dataset_routes_paths_to_files(tmp_path):
    p = write_csv(tmp_path, blobs_frame())
    assert load_dataset(p, {"label_column": "label"}).source == os.path.abspath(p)


def test_dataset_keys_match_the_file_options():
    assert DATASET_KEYS == set(C.field_names(FileOptions))


def test_zip_suggests_its_own_image_size(tmp_path):
    from core.data.files import file_defaults

    entries = image_entries(k=2, n_per=3, size=28)
    entries["c0/odd.png"] = png_bytes(np.zeros((40, 30), np.uint8))  # one odd size: the common one wins
    assert file_defaults(write_zip(tmp_path, entries)) == {"image_size": 28}
    assert file_defaults(write_zip(tmp_path, image_entries(size=4), "tiny.zip")) == {"image_size": 8}  # bounds
    assert file_defaults(write_zip(tmp_path, {"a/x.txt": b"no images"}, "none.zip")) == {}
    assert file_defaults(str(tmp_path / "t.csv")) == {}  # tables have no such defaults
