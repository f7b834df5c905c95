"""The field pack names a site's fields as the API does (GET /sites): region_code, prefecture_code."""

from __future__ import annotations


def test_pack_sites_use_the_api_field_names(reference_data, auth):
    engineer = auth("engineer")
    pack = engineer.get("/api/v1/sync/pull").get_json()
    sites = {s["code"]: s for s in engineer.get("/api/v1/sites?per_page=500").get_json()["items"]}
    for row in pack["sites"]:
        api_row = sites[row["code"]]
        assert set(row) <= set(api_row), set(row) - set(api_row)
        assert (row["region_code"], row["prefecture_code"]) == (
            api_row["region_code"],
            api_row["prefecture_code"],
        )
