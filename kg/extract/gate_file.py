"""The logistic model of a learned gate (kg.extract.issue_gate, kg.extract.claim_gate) and its tab-separated file:
comment lines, then ``threshold``, ``bias`` and ``overall`` lines, one ``weight <feature> <weight> <mean> <scale>``
line per feature, and ``<table> <key> <right> <proposed>`` lines of the gate's base-rate tables."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

Table = dict[str, tuple[int, int]]  # key -> (right, proposed)


@dataclass(frozen=True)
class Logistic:
    """A logistic model: one weight per feature over standardised values (``mean``, ``scale``), a bias, and the
    threshold on the probability at which a gate keeps a candidate."""

    weights: dict[str, float]
    mean: dict[str, float]
    scale: dict[str, float]
    bias: float
    threshold: float

    def probability_of(self, values: Mapping[str, float]) -> float:
        """The model's probability for a candidate's feature ``values`` (by name)."""
        z = self.bias + sum(w * (values[f] - self.mean[f]) / self.scale[f] for f, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class GateFile:
    """What a gate file holds."""

    threshold: float
    bias: float
    overall: float
    weights: dict[str, float] = field(default_factory=dict)
    mean: dict[str, float] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)


def write_gate_file(gate: GateFile, path: Path, header: Iterable[str] = ()) -> None:
    """Write ``gate`` to ``path``, the ``header`` lines as comments first; tables in the order given, keys sorted."""
    lines = [f"# {h}" for h in header]
    lines += [f"threshold\t{gate.threshold:.6f}", f"bias\t{gate.bias:.6f}", f"overall\t{gate.overall:.6f}"]
    lines += [f"weight\t{f}\t{w:.6f}\t{gate.mean[f]:.6f}\t{gate.scale[f]:.6f}" for f, w in gate.weights.items()]
    lines += [f"{name}\t{k}\t{r}\t{n}" for name, table in gate.tables.items() for k, (r, n) in sorted(table.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_gate_file(path: Path, features: Collection[str], tables: Iterable[str]) -> GateFile:
    """Read a file ``write_gate_file`` wrote, knowing ``features`` and the ``tables`` named. Raises
    FileNotFoundError when ``path`` is missing and ValueError naming the file and line on a line it cannot read (a
    feature or table it does not know), or the file when a threshold, bias or overall line is missing."""
    values: dict[str, float] = {}
    weights: dict[str, float] = {}
    mean: dict[str, float] = {}
    scale: dict[str, float] = {}
    read: dict[str, Table] = {name: {} for name in tables}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        row = line.split("\t")
        try:
            if row[0] in ("threshold", "bias", "overall") and len(row) == 2:
                values[row[0]] = float(row[1])
            elif row[0] == "weight" and len(row) == 5 and row[1] in features:
                weights[row[1]], mean[row[1]], scale[row[1]] = float(row[2]), float(row[3]), float(row[4])
            elif row[0] in read and len(row) == 4:
                read[row[0]][row[1]] = (int(row[2]), int(row[3]))
            else:
                raise ValueError(row[0])
        except (ValueError, IndexError) as e:
            raise ValueError(f"{path}:{n}: cannot read {line!r} as a gate line") from e
    missing = {"threshold", "bias", "overall"} - set(values)
    if missing:
        raise ValueError(f"{path}: no {', '.join(sorted(missing))} line")
    return GateFile(values["threshold"], values["bias"], values["overall"], weights, mean, scale, read)

