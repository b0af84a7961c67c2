"""The package metadata uses the forms setuptools supports without deprecation warnings."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_license_is_an_spdx_expression_string() -> None:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    # the `{ text = ... }` table is deprecated by setuptools (PEP 639)
    assert project["license"] == "Apache-2.0"


def test_the_build_backend_understands_spdx_license_strings() -> None:
    requires = tomllib.loads(PYPROJECT.read_text())["build-system"]["requires"]
    assert "setuptools>=77" in requires  # the first release that reads PEP 639 licenses
