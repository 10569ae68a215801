"""The app's URLs plus one test page that includes the map component with per-area figures, as
the picture page does (the browser test of templates/picture/_map.html uses it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path, reverse

from longdan.urls import urlpatterns as app_urlpatterns
from orgs.models import Area

PAGE = """{% extends "base.html" %}{% block content %}<h1>Bản đồ thử</h1>
{{ figures|json_script:"area-figures" }}
{% include "picture/_map.html" with shapes_url=shapes_url figures_id="area-figures" %}
{% endblock %}"""


def figures() -> list[dict]:
    """Made-up figures: every third area silent, the shares spread from 0 to 60 %."""
    rows = []
    for index, area in enumerate(Area.objects.order_by("pk")):
        count = 0 if index % 3 == 2 else 3 + index * 2
        rows.append({
            "id": area.pk, "name": area.name, "population": area.population, "count": count,
            "per_1000": round(count * 1000 / area.population, 1) if area.population else None,
            "aggrieved_share": round((index % 7) / 10, 2) if count else None,
            "silent": count == 0,
        })
    return rows


@login_required
def map_page(request):
    template = engines["django"].from_string(PAGE)
    context = {"figures": figures(), "shapes_url": reverse("picture:area_shapes")}
    return HttpResponse(template.render(context, request))


urlpatterns = [*app_urlpatterns, path("thu-ban-do/", map_page, name="e2e_map_page")]
