"""svd_geo.views.unreported."""

from __future__ import annotations

import pandas as pd

from svd_geo.analyses.unreported import unreported_violence
from svd_geo.select.filters import View
from svd_geo.views.unreported import unreported_caption, unreported_group


def test_areas_with_a_withheld_count_share_one_class_and_the_caption_says_how_to_read_the_share(
    session_config,
):
    from svd_geo.sources.areas import study_context

    _, lsoas = study_context(session_config)
    codes = lsoas["area_code"].tolist()
    rows = [("ed", "Assault", codes[0])] * 30 + [("police", "Robbery", codes[0])] * 10
    rows += (
        [("ed", "Assault", codes[1])] * 2
        + [("ed", "Assault", codes[2])] * 20
        + [("police", "Robbery", codes[2])] * 5
    )
    result = unreported_violence(
        pd.DataFrame(rows, columns=["source", "category", "lsoa_code"]), session_config
    )
    group, (title, legend) = unreported_group(result, View(presentation=True))
    assert legend[0][1] == "no health record, or fewer than 5" and len(legend) > 1
    assert [text for _, text in legend[1:]] == ["67", "75"]  # whole percentages, each its own class
    layer = next(iter(group._children.values()))  # the one GeoJson layer the group holds
    shown = {f["properties"]["area_code"]: f["properties"]["shown"] for f in layer.data["features"]}
    assert shown[codes[0]] == "67%" and shown[codes[1]] == "–" and shown[codes[2]] == "75%"
    assert title == "Health-service violence unknown to police, % (at least)"
    assert "the share if each police record matched one health record" in unreported_caption(result, View())


def test_the_caption_says_records_are_counted_not_their_harm(session_config):
    incidents = pd.DataFrame(
        [("ed", "Assault", None)] * 3 + [("police", "Robbery", None)],
        columns=["source", "category", "lsoa_code"],
    )
    result = unreported_violence(incidents, session_config)
    weighted = unreported_caption(result, View(harm="cchi"))
    assert (
        f"Counting {View().describe()}; records, not their harm." in weighted and "Cambridge" not in weighted
    )
    assert f"Counting {View().describe()}. Health" in unreported_caption(result, View())
