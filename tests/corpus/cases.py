"""The corpus: at least 40 broken or hostile files and what each must give."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LAT, LON = 53.1440, -1.1975  # Mansfield town centre
E, N = 453_700, 360_900
GOOD = f"2024-03-05,{LAT},{LON},Robbery\n"
HEADER = "date,latitude,longitude,category\n"


@dataclass(frozen=True)
class Case:
    """One file of the corpus.

    Attributes
    ----------
    name : str
        The file's name (its suffix chooses the reader).
    build : callable
        Writes the file at the path given.
    refused : bool
        True when the whole file must be refused, False when it must be accepted.
    expect : str
        A pattern the refusal's message, or a note or set-aside reason, must match.
    source : str
        The partner source it is imported as.
    environment : dict
        Settings the case runs under (e.g. a lower size limit).
    """

    name: str
    build: Callable[[Path], None]
    refused: bool
    expect: str
    source: str = "ambulance"
    environment: tuple[tuple[str, str], ...] = ()


def text(content: str | bytes, encoding: str = "utf-8") -> Callable[[Path], None]:
    data = content if isinstance(content, bytes) else content.encode(encoding)
    return lambda path: path.write_bytes(data)


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        with zipfile.ZipFile(path, "w", compression) as archive:
            for name, data in members.items():
                archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)

    return build


def _zip_bomb(path: Path) -> None:
    # 64 MiB of zeros packs into about 64 kB: the ratio gives it away before anything is unpacked.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("big.csv", "w") as member:
        member.write(HEADER.encode())
        zeros = b"0" * 2**20
        for _ in range(64):
            member.write(zeros)


def _shapefile_zip(leave_out: tuple[str, ...] = (), layers: int = 1) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        import tempfile

        import geopandas as gpd
        import shapely

        with tempfile.TemporaryDirectory() as folder:
            parts: dict[str, bytes] = {}
            for layer in range(layers):
                frame = gpd.GeoDataFrame(
                    {"code": [f"Z{layer}"], "name": ["Zone"]},
                    geometry=[shapely.box(E, N, E + 500, N + 500)],
                    crs=27700,
                )
                frame.to_file(Path(folder) / f"layer{layer}.shp")
                for part in Path(folder).glob(f"layer{layer}.*"):
                    if part.suffix not in leave_out:
                        parts[part.name] = part.read_bytes()
            _zip(parts)(path)

    return build


def _geojson(*geometries: str, properties: str = '"date": "2024-03-05"') -> Callable[[Path], None]:
    features = ",".join(
        f'{{"type": "Feature", "properties": {{{properties}}}, "geometry": {g}}}' for g in geometries
    )
    return text(f'{{"type": "FeatureCollection", "features": [{features}]}}')


POINT = f'{{"type": "Point", "coordinates": [{LON}, {LAT}]}}'


def _workbook(
    rows: list[list[object]], *, sheets: int = 1, merge: str | None = None
) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        if merge:
            sheet.merge_cells(merge)
        for number in range(1, sheets):
            book.create_sheet(f"Sheet{number + 1}").append(["other", "data"])
        book.save(path)

    return build


def _billion_laughs(path: Path) -> None:
    """A workbook whose sheet expands an entity a billion times (an XML bomb) in one cell."""
    _workbook([["date", "latitude", "longitude"], ["lol", LAT, LON]])(path)
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10)
    )
    sheet = "xl/worksheets/sheet1.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bombed:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == sheet:
                body = data.decode().replace("<t>lol</t>", "<t>&lol9;</t>")
                data = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>{body}'.encode()
            bombed.writestr(info, data)
    path.write_bytes(buffer.getvalue())


CASES = [
    # Encodings and text
    Case("empty.csv", text(""), True, r"empty\.csv: .*(no data rows|empty|cannot read it as CSV)"),
    Case("header_only.csv", text(HEADER), True, r"header_only\.csv: the file has a header but no data rows"),
    Case("bom.csv", text("\ufeff" + HEADER + GOOD), False, ""),
    Case("windows_1252.csv", text(HEADER + f"2024-03-05,{LAT},{LON},Caf\xe9 fight\n", "cp1252"), False, ""),
    Case(
        "undecodable.csv", text((HEADER + f"2024-03-05,{LAT},{LON},").encode() + b"\x81\x8d\x90\n"), False, ""
    ),
    Case(
        "web_page.csv", text("<!DOCTYPE html><html><body>Sign in</body></html>"), True, r"web page \(HTML\)"
    ),
    Case("workbook_named.csv", _workbook([["date"], ["2024-03-05"]]), True, "zip or Excel workbook, not CSV"),
    Case("report.csv", text(b"%PDF-1.7\n1 0 obj"), True, "a PDF, not CSV"),
    # Layout
    Case(
        "latitude_twice.csv",
        text(f"date,latitude,longitude,latitude\n2024-03-05,{LAT},{LON},{LAT}\n"),
        True,
        r"columns B \('latitude'\) and D \('latitude'\) have the same name",
    ),
    Case(
        "latitude_twice_in_another_case.csv",
        text(f"date,Latitude,longitude,latitude\n2024-03-05,{LAT},{LON},1\n"),
        True,
        r"columns B \('Latitude'\) and D \('latitude'\)",
    ),
    Case(
        "values_without_header.csv",
        text(f"date,latitude,longitude,\n2024-03-05,{LAT},{LON},knife\n"),
        True,
        "column D holds values but has no header",
    ),
    Case("trailing_commas.csv", text(f"date,latitude,longitude,,\n2024-03-05,{LAT},{LON},,\n"), False, ""),
    Case(
        "ragged_more_fields.csv",
        text(HEADER + GOOD + f"2024-03-05,{LAT},{LON},Robbery,extra\n"),
        True,
        r"cannot read it as CSV .*line 3",
    ),
    Case(
        "ragged_fewer_fields.csv",
        text(HEADER + GOOD + f"2024-03-05,{LAT}\n"),
        False,
        "blank while the other coordinate is given",
    ),
    Case("thousands_separators.csv", text(f'date,easting,northing\n2024-03-05,"{E:,}","{N:,}"\n'), False, ""),
    Case("no_location.csv", text("date,category\n2024-03-05,Robbery\n"), True, "no location columns found"),
    Case("no_date.csv", text(f"latitude,longitude\n{LAT},{LON}\n"), True, "no date column found"),
    # Coordinates
    Case("all_swapped.csv", text(HEADER + f"2024-03-05,{LON},{LAT},Robbery\n" * 3), True, "appear swapped"),
    Case("one_swapped.csv", text(HEADER + GOOD * 3 + f"2024-03-05,{LON},{LAT},Robbery\n"), False, "swapped"),
    Case("grid_in_latlon_columns.csv", text(f"date,latitude,longitude\n2024-03-05,{N},{E}\n"), False, ""),
    Case("zero_zero.csv", text(HEADER + GOOD + "2024-03-05,0,0,Robbery\n"), False, "are 0,0"),
    Case(
        "paris.csv",
        text(HEADER + "2024-03-05,48.8566,2.3522,Robbery\n" * 2),
        True,
        "fall outside Great Britain",
    ),
    Case(
        "mixed_systems.csv",
        text(HEADER + GOOD * 3 + f"2024-03-05,{N},{E},Robbery\n"),
        False,
        "outside Great Britain",
    ),
    Case(
        "not_a_number.csv",
        text(HEADER + GOOD + "2024-03-05,fifty-three,-1.19,Robbery\n"),
        False,
        "not a number",
    ),
    # Dates
    Case(
        "uk_dates.csv",
        text(f"date,latitude,longitude\n05/03/2024,{LAT},{LON}\n13/03/2024,{LAT},{LON}\n"),
        False,
        "",
    ),
    Case(
        "mixed_date_formats.csv",
        text(
            f"date,latitude,longitude\n2024-03-05,{LAT},{LON}\n05/03/2024,{LAT},{LON}\n"
            f"5 Mar 2024,{LAT},{LON}\n"
        ),
        False,
        "",
    ),
    Case(
        "excel_serials.xlsx",
        _workbook([["date", "latitude", "longitude"], [45356, LAT, LON]]),
        False,
        r"Excel serial day numbers \(45356 is 05 March 2024\)",
    ),
    Case(
        "future.csv",
        text(HEADER + GOOD + f"2099-01-01,{LAT},{LON},Robbery\n"),
        False,
        "date is in the future",
    ),
    Case("month_only.csv", text(f"month,latitude,longitude\n2024-03,{LAT},{LON}\n"), False, ""),
    Case(
        "impossible_date.csv", text(HEADER + GOOD + f"31/02/2024,{LAT},{LON},Robbery\n"), False, "not a date"
    ),
    Case(
        "no_readable_date.csv",
        text(HEADER + f"soon,{LAT},{LON},Robbery\n" * 2),
        True,
        "every row was set aside, most for: column 'date': not a date",
    ),
    # Area codes
    Case(
        "lsoa_nowhere.csv",
        text("date,lsoa code\n2024-03-05,E01027925\n2024-03-05,E01999999\n"),
        False,
        "no English LSOA has this code",
        source="ed",
    ),
    Case(
        "lsoa_malformed.csv",
        text("date,lsoa code\n2024-03-05,E01027925\n2024-03-05,E0102\n"),
        False,
        "not an LSOA code",
        source="ed",
    ),
    Case(
        "lsoa_all_blank.csv",
        text("date,lsoa code\n2024-03-05,\n2024-03-05, \n"),
        True,
        "no location: coordinates and area codes are blank",
        source="ed",
    ),
    Case(
        "lsoa_codes_of_2021.csv",
        text("date,lsoa code\n2024-03-05,E01033782\n2024-03-05,E01027925\n"),
        False,
        "LSOA codes of 2021 were mapped to their 2011 LSOAs through the ONS lookup",
        source="ed",
    ),
    # Geometries
    Case("null_geometry.geojson", _geojson(POINT, "null"), False, "no location"),
    Case("empty_geometry.geojson", _geojson(POINT, '{"type": "Point", "coordinates": []}'), False, ""),
    Case(
        "polygon_rows.geojson",
        _geojson(
            POINT,
            f'{{"type": "Polygon", "coordinates": [[[{LON}, {LAT}], '
            f"[{LON + 0.01}, {LAT}], [{LON}, {LAT + 0.01}], [{LON}, {LAT}]]]}}",
        ),
        False,
        "geometry is not a point",
    ),
    Case(
        "z_points.geojson", _geojson(f'{{"type": "Point", "coordinates": [{LON}, {LAT}, 80.0]}}'), False, ""
    ),
    Case(
        "collection.geojson",
        _geojson(POINT, f'{{"type": "GeometryCollection", "geometries": [{POINT}]}}'),
        False,
        "geometry is not a point",
    ),
    Case(
        "not_geojson.geojson",
        text("date,latitude\n2024-03-05,53.1\n"),
        True,
        r"the content is not a \.geojson file",
    ),
    # Zips
    Case("shapefile_without_prj.zip", _shapefile_zip((".prj",)), True, r"has no \.prj"),
    Case("shapefile_without_dbf.zip", _shapefile_zip((".dbf",)), True, r"has no \.dbf"),
    Case("shapefile_without_shx.zip", _shapefile_zip((".shx",)), True, r"has no \.shx"),
    Case("two_shapefiles.zip", _shapefile_zip(layers=2), True, r"exactly one \.shp file, found 2"),
    Case(
        "climbing_out.zip",
        _zip({"../../outside.csv": (HEADER + GOOD).encode()}),
        True,
        r"entry '\.\./\.\./outside\.csv' climbs out of the folder",
    ),
    Case(
        "absolute_path.zip", _zip({"/etc/records.csv": (HEADER + GOOD).encode()}), True, "is an absolute path"
    ),
    Case(
        "drive_letter.zip",
        _zip({"C:\\exports\\records.csv": (HEADER + GOOD).encode()}),
        True,
        "is an absolute path",
    ),
    Case("bomb.zip", _zip_bomb, True, "looks like a zip bomb, so nothing was read"),
    Case("not_a_zip.zip", text(b"PK\x03\x04 this is not really a zip"), True, "not a readable zip file"),
    Case("zip_of_nothing_usable.zip", _zip({"notes.txt": b"hello"}), True, "the zip holds no CSV files"),
    # Workbooks
    Case("billion_laughs.xlsx", _billion_laughs, True, "cannot read it as an Excel workbook"),
    Case(
        "several_sheets.xlsx",
        _workbook([["date", "latitude", "longitude"], ["2024-03-05", LAT, LON]], sheets=3),
        False,
        "only the first of its 3 sheets was read",
    ),
    Case(
        "formulas.xlsx",
        _workbook([["date", "latitude", "longitude"], ["=TODAY()", LAT, LON]]),
        True,
        "no date",
    ),
    Case(
        "merged_header.xlsx",
        _workbook([["date", "where", None], ["2024-03-05", LAT, LON]], merge="B1:C1"),
        True,
        "column C holds values but has no header",
    ),
    # Size
    Case(
        "over_the_limit.csv",
        text(HEADER + GOOD * 40),
        True,
        r"more than the limit of 0 MB \(set SVD_GEO_MAX_INPUT_MB",
        environment=(("SVD_GEO_MAX_INPUT_MB", "0.001"),),
    ),
]
