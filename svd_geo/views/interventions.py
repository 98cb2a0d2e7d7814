"""What the Interventions page shows: coverage map, tables, before/after, downloads.

Presentation mode is enforced here, as in :mod:`svd_geo.views.common`: no drawing
tool, small counts suppressed, partner names left out of tables, no downloads.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.analyses.coverage import STATUS_COLOURS
from svd_geo.base.vocabulary import SOURCE_LABELS
from svd_geo.select.filters import View, select_view, shown_count
from svd_geo.views.hotspots import refuse_export_in_meetings

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from svd_geo.analyses.coverage import Coverage
    from svd_geo.analyses.params import HotspotParams
    from svd_geo.analyses.run import HotspotRun
    from svd_geo.base.config import Config
    from svd_geo.partner.interventions import PreparedInterventions
    from svd_geo.store.backends import AnyStore

COVERAGE_FORMATS = {
    ".gpkg": "GeoPackage",
    ".shp.zip": "Shapefile (zip)",
    ".geojson": "GeoJSON",
    ".csv": "CSV",
}


def build_coverage_map(
    result: Coverage, config: Config, *, view: View, definition: HotspotParams
) -> folium.Map:
    """Map hotspots coloured by coverage and the intervention places; analysts also get a drawing tool.

    Drawn shapes come back through streamlit-folium as GeoJSON (WGS84).

    Parameters
    ----------
    result : Coverage
        Coverage of the hotspots.
    config : Config
        Where the boundaries are.
    definition : HotspotParams
        The hotspot definition that found the hotspots, named in the legend.
    view : View
        Presentation mode (no drawing tool, no partner names).

    Returns
    -------
    folium.Map
        The map, with its legend and assets served by the app.
    """
    import folium
    from folium.plugins import Draw

    from svd_geo.outputs.basemap import new_map
    from svd_geo.outputs.map_assets import serve_assets_locally
    from svd_geo.outputs.maps import PLACE_COLOUR, add_legend, add_polygons, to_display
    from svd_geo.sources.areas import study_context
    from svd_geo.sources.tables import attribution_text

    shown = [frame for frame in (result.hotspots, result.places) if not frame.empty]
    bounds = tuple(pd.concat(shown).total_bounds) if shown else (430_000.0, 340_000.0, 470_000.0, 375_000.0)
    fmap = new_map(
        bounds, tiles=(config.tiles_url, config.tiles_attribution), attribution=attribution_text(config)
    )
    wards, _ = study_context(config)
    folium.GeoJson(
        to_display(wards[["geometry"]]).__geo_interface__, name="Wards",
        style_function=lambda f: {"color": "#777777", "weight": 0.6, "fill": False}, interactive=False,
    ).add_to(fmap)  # fmt: skip
    hotspots = result.hotspots.assign(shown=[shown_count(n, view) for n in result.hotspots["incidents"]])
    for status, colour in STATUS_COLOURS.items():
        add_polygons(
            fmap, hotspots[hotspots["status"] == status], name=f"Hotspots {status}", colour=colour,
            fields={"hotspot_id": "Hotspot", "shown": "Incidents", "status": "Coverage", "wards": "Wards"},
        )  # fmt: skip
    place_fields = {"name": "Intervention", "type": "Type", "start_date": "From", "end_date": "To"}
    if not view.presentation:
        place_fields["partner"] = "Partner"
    add_polygons(
        fmap, result.places, name="Intervention places", colour=PLACE_COLOUR, fields=place_fields, dashed=True
    )
    rows = [(colour, f"hotspot, {status}") for status, colour in STATUS_COLOURS.items()]
    title = f"Coverage of hotspots ({definition.describe()})"
    add_legend(fmap, title, [*rows, (PLACE_COLOUR, "intervention place (dashed)")])
    if not view.presentation:
        draw = Draw(  # type: ignore[no-untyped-call]
            export=False,
            draw_options={
                "polyline": True,
                "polygon": True,
                "rectangle": True,
                "marker": True,
                "circle": False,
                "circlemarker": False,
            },
            edit_options={"edit": False, "remove": False},
        )
        draw.add_to(fmap)
    return serve_assets_locally(fmap)


def uncovered_table(result: Coverage, view: View) -> pd.DataFrame:
    """Return the uncovered hotspots for the page, counts as shown in the view.

    Parameters
    ----------
    result : Coverage
        Coverage of the hotspots.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    pandas.DataFrame
        Hotspot, wards, incidents, harm (only where weights were applied), area in
        ha, most incidents first.
    """
    from svd_geo.partner.harm import weights_differ

    table = result.uncovered
    shown = pd.DataFrame({
        "hotspot": table["hotspot_id"], "where": table["name"], "wards": table["wards"],
        "incidents": [shown_count(n, view) for n in table["incidents"]],
        "area (ha)": (table["area_m2"] / 10_000).round(1),
    })  # fmt: skip
    if weights_differ(result.hotspots, count="incidents"):
        shown.insert(3, "harm", table["harm"].round(1).to_numpy())
    return shown


def coverage_figures(result: Coverage) -> list[tuple[str, str]]:
    """Return the headline figures of coverage, harm only where harm weights were applied.

    Parameters
    ----------
    result : Coverage
        Coverage of the hotspots.

    Returns
    -------
    list of tuple of str
        (label, value) pairs, e.g. ("Hotspot area covered", "39%").
    """
    from svd_geo.partner.harm import weights_differ

    overall = result.overall
    figures = [
        ("Hotspot area covered", f"{overall['area_covered_share']:.0%}"),
        ("Incidents in hotspots covered", f"{overall['incidents_covered_share']:.0%}"),
    ]
    if weights_differ(result.hotspots, count="incidents"):
        figures.append(("Harm in hotspots covered", f"{overall['harm_covered_share']:.0%}"))
    figures.append(("Uncovered hotspots", f"{int(overall['uncovered_hotspots'])}"))
    return figures


def uncovered_sentence(result: Coverage, definition: HotspotParams) -> str:
    """Say which hotspots no intervention reaches, and by which definition, e.g. for the Overview.

    Parameters
    ----------
    result : Coverage
        Coverage of the hotspots.
    definition : HotspotParams
        The hotspot definition that found them.

    Returns
    -------
    str
        E.g. "3 of 8 hotspots (kernel density: ...) have under 10% of their incidents
        inside an active intervention place: hotspots 2, 5, 7."
    """
    ids = [str(i) for i in result.uncovered["hotspot_id"]]
    listed = f": hotspots {', '.join(ids)}" if ids else ""
    return (
        f"{len(ids)} of {int(result.overall['hotspots'])} hotspots ({definition.describe()}) have under "
        f"{result.overall['min_covered_share']:.0%} of their incidents inside an active intervention "
        f"place{listed}."
    )


def places_table(result: Coverage, view: View) -> pd.DataFrame:
    """Intervention places with the violence inside them; partner hidden in presentation mode.

    Parameters
    ----------
    result : Coverage
        Coverage of the hotspots.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    pandas.DataFrame
        One row per place.
    """
    places = result.places
    table = pd.DataFrame({
        "id": places["id"], "name": places["name"], "partner": places["partner"], "type": places["type"],
        "from": places["start_date"], "to": places["end_date"],
        "incidents inside": [shown_count(n, view) for n in places["incidents_inside"]],
        "per km²": places["incidents_per_km2"].round(0),
        "in hotspots": places["hotspot_area_share"].map("{:.0%}".format),
        "little violence": places["little_violence"],
    })  # fmt: skip
    return table.drop(columns="partner") if view.presentation else table


BEFORE_AFTER_TERMS = (
    "Odds ratio: the place's after-to-before ratio divided by the comparison area's; below 1 the "
    "place did better than the area around it.",
    "p: how likely a difference this large would be if the intervention changed nothing; below "
    "0.05 is read as a real change.",
    "WDQ (weighted displacement quotient, Bowers and Johnson 2003): above 0 the buffer around the "
    "place improved too (diffusion of benefit), below 0 incidents moved into it (displacement).",
    "Method: README, section 'Before and after'.",
)
"""One sentence for each statistic the before/after lines give."""


def before_after_lines(
    incidents: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    place_id: int,
    view: View,
    config: Config,
    *,
    include_own: bool = False,
) -> list[str]:
    """Say a place's before/after comparison plainly, the verdict first (counts suppressed as the view says).

    The incidents counted follow the view's sources, categories, days and hours
    (not its dates or places: the windows are set by the start, the areas by the
    place).  The records of the intervention's own partner are left out unless
    ``include_own``: they can rise with the intervention itself (patrols record
    more crime; a youth programme records its own contacts).

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Every stored incident, EPSG:27700.
    places : geopandas.GeoDataFrame
        The intervention places, with ``id``, ``name``, ``partner`` and ``start_date``.
    place_id : int
        The place compared.
    view : View
        The sidebar's filters, presentation mode and the small-count threshold.
    config : Config
        Boundaries for the view's selection.
    include_own : bool, default False
        Count the intervention's own partner's records too.

    Returns
    -------
    list of str
        The verdict, what was counted, the counts and statistics; or why no
        comparison could be made.
    """
    from svd_geo.analyses.impact import before_after_place

    every_date_and_place = replace(view, date_from=None, date_to=None, districts=(), wards=())
    counted = select_view(incidents, every_date_and_place, config)
    result = before_after_place(counted, places, place_id, include_own=include_own)
    what = _what_was_counted(counted, view, result["left_out"])
    if "place_before" not in result:  # not compared: the verdict says why
        return [str(result["verdict"]), what]

    def pair(before: int, after: int) -> str:
        return f"{shown_count(before, view)} before, {shown_count(after, view)} after"

    tested = (
        "" if pd.isna(result["p"]) else f" (odds ratio {result['odds_ratio']:.2f}, p = {result['p']:.3f})"
    )
    wdq = "" if pd.isna(result["wdq"]) else f" {result['wdq']:.2f}"
    return [
        str(result["verdict"]),
        what,
        f"Windows: {result['window_months']} months before ({result['before_from']} on) and after "
        f"{result['start']}.",
        f"In the place: {pair(result['place_before'], result['place_after'])}.",
        f"Displacement buffer (250 m): {pair(result['buffer_before'], result['buffer_after'])}.",
        f"Comparison ring (250-1000 m, other places left out): "
        f"{pair(result['comparison_before'], result['comparison_after'])}.",
        f"Change beyond the comparison area's trend: {result['did']:+.1f} incidents{tested}.",
        f"Displacement (WDQ{wdq}): {result['displacement']}.",
    ]


def _what_was_counted(counted: pd.DataFrame, view: View, left_out: str | None) -> str:
    """Say which records a before/after comparison counted."""
    having = set(counted["source"].unique()) - {left_out}
    sources = [SOURCE_LABELS.get(s, s) for s in SOURCE_LABELS if s in having]
    categories = ", ".join(view.categories) if view.categories else "every category"
    text = f"Counted: {', '.join(sources) or 'no'} records, {categories}, every date"
    if left_out is not None:
        text += (
            f"; left out: {SOURCE_LABELS.get(left_out, left_out)} records, the intervention's own "
            "partner's, which can rise with the intervention itself"
        )
    return text + "."


def coverage_download(
    run: HotspotRun, result: Coverage, suffix: str, view: View, metadata: dict[str, object]
) -> tuple[bytes, bytes]:
    """Return the coverage layers in a format, and their metadata sidecar, as bytes.

    Parameters
    ----------
    run : HotspotRun
        The hotspots.
    result : Coverage
        Their coverage.
    suffix : str
        ``.gpkg``, ``.shp.zip``, ``.geojson`` or ``.csv``.
    view : View
        The dashboard's mode.
    metadata : dict
        The export's metadata.

    Returns
    -------
    tuple of bytes
        The file's content and its sidecar's.

    Raises
    ------
    PermissionError
        In presentation mode, which cannot export.
    """
    from svd_geo.analyses.run import run_parameters
    from svd_geo.outputs.files import write_export
    from svd_geo.outputs.metadata import write_sidecar

    refuse_export_in_meetings(view)
    layers = {"hotspot_coverage": result.hotspots, "uncovered_hotspots": result.uncovered,
              "intervention_places": result.places}  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = write_export(layers, Path(folder) / f"coverage{suffix}", generated=str(metadata["generated"]))
        counts = {name: len(layer) for name, layer in layers.items()}
        content = {**metadata, "parameters": run_parameters(run), "overall": result.overall, "layers": counts}
        sidecar = write_sidecar(path, content)
        return path.read_bytes(), sidecar.read_bytes()


def import_places_upload(data: bytes, name: str, store: AnyStore) -> tuple[PreparedInterventions, int]:
    """Validate an uploaded file of intervention places and add them to the store.

    Parameters
    ----------
    data : bytes
        The upload's content.
    name : str
        Its original name.
    store : AnyStore
        Where to add the places.

    Returns
    -------
    tuple
        The validated places (with rows set aside), and how many were stored.

    Raises
    ------
    DataValidationError
        For a file that cannot be used, or whose places are already stored.
    """
    from svd_geo.partner.interventions import prepare_interventions, refuse_stored_again
    from svd_geo.views.data import uploaded_file

    with uploaded_file(data, name) as path:
        prepared = prepare_interventions(path)
    refuse_stored_again(prepared.places, store.interventions(), name)
    return prepared, store.add_interventions(prepared.places)
