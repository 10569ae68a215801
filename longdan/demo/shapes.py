"""The demo ward's tổ dân phố boundaries: invented, since the areas are invented.

A seeded Voronoi tessellation of an outline near Hải Phòng (``picture.geo.generate_shapes``),
stored with origin "generated" so that the map says "Ranh giới minh họa do dữ liệu mẫu sinh ra".
Areas are taken in the order they were created, so the groups of one former ward lie side by
side on the map.
"""

from __future__ import annotations

from typing import TextIO

from orgs.models import Area
from picture import services


def build_shapes(stdout: TextIO | None = None) -> int:
    """Give every demo area an illustrative boundary; returns how many were written."""
    if stdout is not None:
        stdout.write("Sinh ranh giới minh họa cho các tổ dân phố…\n")
        stdout.flush()
    return services.generate_demo_shapes(areas=Area.objects.order_by("pk"))
