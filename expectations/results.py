"""What one GX run says, as plain values: which expectation failed on which rows, without GX objects.

`expectations.validate` produces these from a GX suite result and `expectations.findings` turns
them into findings; neither needs the other, and neither this module nor its readers import GX.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Failure:
    """One failing row of one expectation: the report, which pair/column failed, and the values."""

    key: int
    index: int | None = None
    a: Any = None
    b: Any = None


@dataclass
class ExpectationResult:
    """One expectation's result over a chunk: its suite, type, arguments, meta and failing rows."""

    suite: str
    type: str
    kwargs: dict[str, Any]
    meta: dict[str, Any]
    failures: list[Failure] = field(default_factory=list)
