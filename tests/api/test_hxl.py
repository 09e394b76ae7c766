"""HXL exports, read back with libhxl as a humanitarian data tool would, against the API."""

from decimal import Decimal

import hxl
import pytest

from indicators import services
from indicators.models import Indicator
from partners.models import User

pytestmark = pytest.mark.django_db


def session(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def read(response, tmp_path):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    path = tmp_path / "export.csv"
    path.write_bytes(b"".join(response.streaming_content))
    return list(hxl.data(str(path), hxl.InputOptions(allow_local=True)))


def number(value):
    return None if value in (None, "") else Decimal(str(value))


def test_the_indicator_export_carries_the_apis_figures_under_hxl_tags(client, demo, tmp_path):
    associates = Indicator.objects.get(code="CE-5")
    project = associates.project_id
    client = session(client, "eu-viewer")
    rows = read(client.get(f"/api/v1/indicators.csv?project={project}"), tmp_path)
    api = client.get(f"/api/v1/indicators/?project={project}&page_size=100").json()["results"]
    assert [row.get("#indicator+code") for row in rows] == [i["code"] for i in api]
    for row, indicator in zip(rows, api, strict=True):
        assert number(row.get("#reached+num")) == number(indicator["achieved_value"])
        assert number(row.get("#targeted+num")) == number(indicator["target_value"])
        assert row.get("#status+progress") == indicator["status"]
        assert row.get("#activity+code") == associates.project.code
    ce5 = next(row for row in rows if row.get("#indicator+code") == "CE-5")
    assert number(ce5.get("#targeted+f")) == 96  # 160 associates, 60 % women
    assert "Lima" in ce5.get("#adm1+name")
    assert "Solidarity Association of Emerging Countries" in ce5.get("#org+impl+name")


def test_the_update_export_gives_funders_approved_updates_only(client, demo, tmp_path):
    associates = Indicator.objects.get(code="CE-5")
    women, men = (
        category
        for use in associates.indicator_dimensions.all()
        for category in use.dimension.categories.order_by("order")
    )
    services.create_update(
        indicator=associates,
        by=User.objects.get(username="aspem-editor"),
        figures=services.Figures(
            as_of=associates.project.start_date, parts={women: Decimal(7), men: Decimal(3)}
        ),
        submit=True,
    )
    url = f"/api/v1/updates.csv?project={associates.project_id}"
    funder = read(session(client, "eu-viewer").get(url), tmp_path)
    assert {row.get("#status+review") for row in funder} <= {"approved"}
    staff = read(session(client, "aspem-manager").get(url), tmp_path)
    submitted = [row for row in staff if row.get("#status+review") == "submitted"]
    assert (10, 7, 3) in [
        (number(r.get("#reached+num")), number(r.get("#reached+f")), number(r.get("#reached+m")))
        for r in submitted
    ]
    api = session(client, "aspem-manager").get(
        f"/api/v1/updates/?project={associates.project_id}&page_size=500"
    )
    assert len(staff) == api.json()["count"]


def test_outsiders_export_nothing(client, demo, tmp_path):
    client = session(client, "outsider")
    assert read(client.get("/api/v1/indicators.csv"), tmp_path) == []
    assert read(client.get("/api/v1/updates.csv"), tmp_path) == []
    client.logout()
    assert client.get("/api/v1/indicators.csv").status_code in (401, 403)


def valid_by_core_schema(rows_file) -> list[str]:
    errors: list[str] = []
    schema = hxl.schema(callback=lambda error: errors.append(f"{error.message}: {error.value}"))
    schema.validate(hxl.data(str(rows_file), hxl.InputOptions(allow_local=True)))
    return errors


def test_both_files_pass_hxls_core_schema_and_updates_carry_their_periods_dates(
    client, demo, tmp_path
):
    client = session(client, "eu-viewer")
    for url in (
        "/api/v1/indicators.csv",
        "/api/v1/updates.csv",
        "/api/v1/indicators-3w.csv",
        "/api/v1/indicators-excel.csv",
        "/api/v1/updates-excel.csv",
        "/api/v1/indicators-3w-excel.csv",
    ):
        path = tmp_path / "export.csv"
        path.write_bytes(b"".join(client.get(url).streaming_content))
        assert valid_by_core_schema(path) == [], url
    rows = read(client.get("/api/v1/updates.csv"), tmp_path)
    with_period = [row for row in rows if row.get("#meta+period+name")]
    assert with_period
    for row in with_period:
        assert row.get("#date+start") <= row.get("#date+reported") <= row.get("#date+end")


def test_rows_carry_country_and_sector_codes(client, demo, tmp_path):
    client = session(client, "eu-viewer")
    rows = read(client.get("/api/v1/indicators.csv"), tmp_path)
    assert {row.get("#country+code") for row in rows} <= {"PER", "ECU; PER", "ECU"}
    assert "PER" in {row.get("#country+code") for row in rows}
    assert all(
        code.isdigit() and len(code) == 5
        for row in rows
        for code in (row.get("#sector+code") or "").split("; ")
        if code
    )


def test_every_category_of_every_dimension_gets_its_columns(client, demo, tmp_path):
    client = session(client, "eu-viewer")
    rows = read(client.get("/api/v1/indicators.csv"), tmp_path)
    by_code = {row.get("#indicator+code"): row for row in rows}
    recyclers = by_code["CE-4"]  # 4 associations in each district; 2 and 1 strengthened
    assert number(recyclers.get("#targeted+district_la_victoria")) == 4
    assert number(recyclers.get("#reached+district_la_victoria")) == 2
    assert number(recyclers.get("#reached+district_el_agustino")) == 1
    officials = by_code["CE-1"]  # women have a target; men do not, and none were reported
    assert number(officials.get("#reached+sex_women")) == 13
    assert officials.get("#targeted+sex_men") in (None, "")
    assert officials.get("#reached+sex_men") in (None, "")
    # The fixed columns keep their place: partners read them by position too.
    header = next(iter(client.get("/api/v1/indicators.csv").streaming_content)).decode()
    assert header.startswith("Project code,Project,Implementing organisations,Regions,")


def test_the_3w_file_has_one_organisation_and_one_place_per_row(client, demo, tmp_path):
    client = session(client, "eu-viewer")
    rows = read(client.get("/api/v1/indicators-3w.csv"), tmp_path)
    officials = [row for row in rows if row.get("#indicator+code") == "CE-1"]
    organisations = {row.get("#org+impl+name") for row in officials}
    districts = {row.get("#adm3+name") for row in officials}
    assert "Solidarity Association of Emerging Countries" in organisations
    assert districts == {"La Victoria", "El Agustino"}
    assert len(officials) == len(organisations) * len(districts)
    for row in rows:
        assert "; " not in (row.get("#org+impl+name") or "")
        assert row.get("#country+code") in ("PER", "ECU", "", None)
    assert {number(row.get("#reached+num")) for row in officials} == {30}


def test_the_excel_variants_start_with_a_byte_order_mark_and_say_the_same(client, demo):
    client = session(client, "eu-viewer")
    for plain, excel in (
        ("/api/v1/indicators.csv", "/api/v1/indicators-excel.csv"),
        ("/api/v1/updates.csv", "/api/v1/updates-excel.csv"),
        ("/api/v1/indicators-3w.csv", "/api/v1/indicators-3w-excel.csv"),
    ):
        body = b"".join(client.get(excel).streaming_content)
        assert body.startswith(b"\xef\xbb\xbf"), excel
        assert body.decode("utf-8-sig") == b"".join(client.get(plain).streaming_content).decode()
    client = session(client, "ciudadviva-manager")
    body = b"".join(client.get("/api/v1/indicators-excel.csv").streaming_content)
    assert "Asociación Ciudad Viva".encode() in body  # UTF-8, which the mark announces


def test_outsiders_export_nothing_in_the_new_files_either(client, demo, tmp_path):
    client = session(client, "outsider")
    for url in ("/api/v1/indicators-3w.csv", "/api/v1/indicators-excel.csv"):
        rows = read(client.get(url), tmp_path)
        assert not [row for row in rows if row.get("#activity+code", "").startswith("circular")]
