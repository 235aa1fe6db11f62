"""A restricted unpickler for the official CIFAR-10 / CIFAR-10N files: plain containers and numpy arrays only.

Any other global a pickle asks for (a function, a class, torch storages) is refused with one line, so a
tampered file cannot run code. Used only on downloaded or local copies of those official files, after
their checksum was checked; users' own data files are never unpickled.
"""

from __future__ import annotations

import io
import pickle
import zipfile

from core.errors import UserError

ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("collections", "OrderedDict"),
    (
        "_codecs",
        "encode",
    ),  # how protocol-2 pickles written by Python 3 carry bytes; only turns str into bytes
    ("builtins", "list"),
    ("builtins", "dict"),
    ("builtins", "tuple"),
    ("builtins", "set"),
    ("__builtin__", "list"),
    ("__builtin__", "dict"),
    ("__builtin__", "tuple"),
    ("__builtin__", "set"),
}


class _Restricted(pickle.Unpickler):
    def __init__(self, f, name: str):
        super().__init__(f, encoding="latin1")  # CIFAR's batches were pickled by Python 2
        self._name = name

    def find_class(self, module: str, name: str):
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        raise UserError(
            f"'{self._name}' asks to load {module}.{name}; only plain containers and numpy arrays "
            "are allowed, so the file is refused"
        )

    def persistent_load(self, pid):
        raise UserError(f"'{self._name}' holds torch tensors; expected plain containers and numpy arrays")


def loads(data: bytes, name: str):
    """Unpickle `data` admitting only plain containers and numpy arrays."""
    try:
        return _Restricted(io.BytesIO(data), name).load()
    except UserError:
        raise
    except Exception as e:  # noqa: BLE001 (truncated or corrupt pickles raise many types; all mean the same here)
        raise UserError(f"'{name}' is not a readable pickle ({type(e).__name__})") from None


def load_torch_file(data: bytes, name: str):
    """The object in a `torch.save` file whose values are plain containers and numpy arrays (zip format, or
    the legacy format: magic number, protocol, system info, then the object)."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            pkl = [n for n in zf.namelist() if n.endswith("data.pkl")]
            if len(pkl) != 1:
                raise UserError(f"'{name}' is a ZIP without one data.pkl; not a torch.save file")
            return loads(zf.read(pkl[0]), name)
    f = io.BytesIO(data)
    try:
        for _ in range(3):  # magic number, protocol version, system info
            _Restricted(f, name).load()
        return _Restricted(f, name).load()
    except UserError:
        raise
    except Exception as e:  # noqa: BLE001 (as above)
        raise UserError(f"'{name}' is not a readable torch.save file ({type(e).__name__})") from None
