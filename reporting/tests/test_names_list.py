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
