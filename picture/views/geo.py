"""Pages of area boundaries: the office's import page, and the boundaries every map draws.

Thin: reads through ``picture.geo_selectors`` (scoped), writes through ``picture.services``.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ServiceError
from core.views import require_office
from picture import geo_selectors, services
from picture.geo import NAME_PROPERTIES
from picture.models import AreaShape

REFUSAL = "Chỉ Ban Xây dựng Đảng được nhập ranh giới tổ dân phố."


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp GeoJSON",
        help_text="FeatureCollection gồm các Polygon/MultiPolygon, tọa độ kinh độ/vĩ độ WGS 84;"
        f" tối đa {services.MAX_GEOJSON_BYTES // 1048576} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    name_property = forms.CharField(
        label="Thuộc tính tên", required=False, max_length=60,
        help_text="Thuộc tính ghi tên tổ dân phố; để trống để tự tìm ("
        + ", ".join(NAME_PROPERTIES[:5]) + "…).",
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_boundaries(request: HttpRequest) -> HttpResponse:
    require_office(request.user, refusal=REFUSAL, hide_from_units=True)
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_GEOJSON_BYTES:
            form.add_error("file", f"Tệp quá lớn (tối đa {services.MAX_GEOJSON_BYTES // 1048576}"
                           " MB).")
        else:
            try:
                result = services.import_area_shapes(
                    user=request.user, data=upload.read(),
                    name_property=form.cleaned_data["name_property"],
                )
            except services.ShapesRejected as exc:
                form.add_error(None, exc.message)
                problems = exc.lines()
            except ServiceError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
            else:
                messages.success(request, result.summary())
                return redirect("picture:area_boundaries")
    rows = geo_selectors.boundary_rows(request.user)
    figures = [{"id": row.area.pk, "name": row.area.name, "population": row.area.population}
               for row in rows]
    context = {
        "form": form,
        "problems": problems,
        "rows": rows,
        "figures": figures,
        "with_shape": sum(1 for row in rows if row.shape),
        "generated": any(row.shape and row.shape.origin == AreaShape.Origin.GENERATED
                         for row in rows),
    }
    return render(request, "picture/area_boundaries.html", context,
                  status=400 if problems or form.errors else 200)


@login_required
@require_GET
def area_shapes_geojson(request: HttpRequest) -> HttpResponse:
    """The boundaries the reader may see, as a GeoJSON FeatureCollection."""
    data = geo_selectors.shapes_geojson(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        content_type="application/geo+json; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-cache"
    return response
