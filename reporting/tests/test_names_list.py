"""The lists of unit names on the home and compliance pages stay readable for a city."""

from types import SimpleNamespace

from django.template.loader import render_to_string


def _render(count: int) -> str:
    names = [SimpleNamespace(name=f"Chi bộ {n}") for n in range(count)]
    return render_to_string("reporting/includes/names.html",
                            {"names": names, "list": "missing", "more_url": "/ty-le-nop/"})


def test_a_short_list_is_shown_whole():
    html = _render(30)
    assert html.count("<li>") == 30 and "đơn vị khác" not in html


def test_a_city_sized_list_shows_thirty_and_says_how_many_more_and_where():
    html = _render(3662)
    assert html.count("<li>") == 30
    assert "Chi bộ 29<" in html and "Chi bộ 30<" not in html
    assert 'và 3632 đơn vị khác — <a href="/ty-le-nop/">xem đủ</a>' in html


def test_the_compliance_table_pages_and_filters_by_status_and_name(
    client, vanphong, monthly, cell_a, cell_b, monkeypatch
):
    """A city's thousands of units are read page by page; a status or a name (typed without
    diacritics) narrows the table, and the lists of names link to it."""
    from reporting import views_compliance

    client.force_login(vanphong)
    response = client.get("/ty-le-nop/", {"period": "2025-10"})
    names = [row["name"] for row in response.context["by_unit"]]
    assert cell_a.name in names and cell_b.name in names
    monkeypatch.setattr(views_compliance, "BY_UNIT_PAGE", 1)
    first = client.get("/ty-le-nop/", {"period": "2025-10"})
    assert len(first.context["by_unit"]) == 1 and first.context["by_unit"].paginator.num_pages > 1
    assert "page=2" in first.content.decode()
    monkeypatch.setattr(views_compliance, "BY_UNIT_PAGE", 100)
    typed = client.get("/ty-le-nop/", {"period": "2025-10", "q": "to dan pho 1"})
    assert [row["name"] for row in typed.context["by_unit"]] == [cell_a.name]
    missing = client.get("/ty-le-nop/", {"period": "2025-10", "tinh_trang": "missing"})
    assert {row["status"] for row in missing.context["by_unit"]} == {"missing"}
    assert missing.context["by_unit_total"] >= len(missing.context["by_unit"])
