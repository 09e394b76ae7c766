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
        author=User.objects.get(username="aspem-editor"),
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
    for url in ("/api/v1/indicators.csv", "/api/v1/updates.csv"):
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
