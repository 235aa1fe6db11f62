"""Backend registry and the Ray backend's set-up, without starting Ray."""

import sys

import pytest

from core.engine.backends.ray_backend import INSTALL_HINT, init_kwargs, require_ray
from core.errors import UserError
from core.registry import BACKENDS


def test_local_and_ray_are_registered():
    assert {"local", "ray"} <= set(BACKENDS.names())


def test_without_ray_the_error_is_one_line_that_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail as if it were not installed
    with pytest.raises(UserError) as e:
        require_ray()
    assert str(e.value) == INSTALL_HINT and "labelscope[ray]" in INSTALL_HINT


def test_a_private_instance_stays_on_loopback_without_rays_dashboard():
    kw = init_kwargs("", num_cpus=2)
    assert kw["include_dashboard"] is False and kw["_node_ip_address"] == "127.0.0.1" and kw["num_cpus"] == 2
    kw = init_kwargs("auto")
    assert kw["address"] == "auto" and kw["include_dashboard"] is False and "num_cpus" not in kw
    assert init_kwargs("ray://head:10001") == {"address": "ray://head:10001"}  # Ray Client: the head decides
