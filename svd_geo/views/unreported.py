"""What the Map page shows of violence the police never hear of: a map of the share and a ranked table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from svd_geo.select.filters import View, is_suppressed

if TYPE_CHECKING:
    import folium

    from svd_geo.analyses.unreported import Unreported

Legend = tuple[str, list[tuple[str, str]]]


def unreported_group(result: Unreported, view: View) -> tuple[folium.FeatureGroup, Legend]:
    """Draw each area by the share of its health-service violence records no police record matches.

    Areas with a withheld count (or no health record) form one class of their own,
    so no class tells a small count.

    Parameters
    ----------
    result : Unreported
        The comparison per area.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    tuple of folium.FeatureGroup and legend
        The layer, and its legend's title and rows.
    """
    from svd_geo.outputs.maps import add_choropleth, folium_group

    areas = result.areas
    small = np.array(
        [h == 0 or is_suppressed(h, view) or is_suppressed(p, view) for h, p in
         zip(areas["health"], areas["police"], strict=True)], dtype=bool,
    )  # fmt: skip
    shown = [
        ("–" if hide else f"{share:.0%}") for share, hide in zip(areas["share_unknown"], small, strict=True)
    ]
    group = folium_group("Unknown to police")
    title = "Health-service violence unknown to police, % (at least)"
    # Whole percentages in equal steps: most areas share 0%, which quantiles would fold into every class.
    percent = (areas["share_unknown"].fillna(0) * 100).round()
    rows = add_choropleth(
        group, areas.assign(shown=shown, value=percent), value="value",
        label="Unknown to police", scheme="equal interval", classes=4, shown="shown", small=small,
        small_label=f"no health record, or fewer than {view.small_count_threshold}" if view.presentation
        else "no health record",
    )  # fmt: skip
    return group, (title, rows)


def unreported_caption(result: Unreported, view: View) -> str:
    """Say the totals, how the share is read, and what was counted.

    Parameters
    ----------
    result : Unreported
        The comparison.
    view : View
        The filters counted.

    Returns
    -------
    str
        The caption under the map.
    """
    overall = result.overall
    return (
        f"In the study area: {overall['health']:,.0f} emergency-department and ambulance violence records, "
        f"{overall['police']:,.0f} police-recorded violent crimes (violence and sexual offences, robbery). "
        "The share unknown to police is 1 - police / health, at least 0: the share if each police record "
        "matched one health record (they share no identifier, so it can only be larger); its 95% interval "
        f"is exact. Counting {view.describe(weighted=False)}"
        + ("; records, not their harm" if view.harm != "count" else "")
        + ". Health records are never shown as points."
    )
