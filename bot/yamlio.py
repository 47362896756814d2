"""YAML reading through libyaml's C parser when PyYAML has it (ten times faster)."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML text with a safe loader: plain data only, no Python objects."""
    return yaml.load(text, Loader=SafeLoader)
