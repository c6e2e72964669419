"""The source registry: each source declared once — publisher URL, mirror layout, the header(s)
that prove a download is the right file, the parser, the GX suite and the core table it feeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from expectations import crossings as crossings_suite
from flows.errors import SourceError
from transforms import crossings


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    publisher: str
    url: str
    mirror_paths: tuple[str, ...]  # relative to HLED_MIRROR, first existing one wins
    layouts: dict[str, tuple[str, ...]]  # accepted headers by layout name
    parse: Callable[..., crossings.Parsed]
    suite: Callable[..., object]
    table: str

    def mirror_file(self, mirror: Path | None) -> Path | None:
        """The file standing in for the publisher inside a mirror directory, if any."""
        if mirror is None:
            return None
        for rel in self.mirror_paths:
            if (mirror / rel).is_file():
                return mirror / rel
        tried = ", ".join(self.mirror_paths)
        raise SourceError(f"{self.name}: HLED_MIRROR={mirror} has none of: {tried}")


BTS_CROSSINGS = Source(
    name="bts_crossings",
    title="Border Crossing Entry Data",
    publisher="U.S. DOT Bureau of Transportation Statistics (data.bts.gov keg4-3bc2), from CBP",
    url="https://data.bts.gov/api/views/keg4-3bc2/rows.csv?accessType=DOWNLOAD",
    mirror_paths=(
        "bts_border_crossing/Border_Crossing_Entry_Data.csv.gz",
        "bts_border_crossing/Border_Crossing_Entry_Data.csv",
    ),
    layouts=crossings.LAYOUTS,
    parse=crossings.parse_crossings,
    suite=crossings_suite.build_suite,
    table="core.fact_crossings",
)

SOURCES: dict[str, Source] = {s.name: s for s in (BTS_CROSSINGS,)}
