"""The search page: one box over items and issues, with filters (issue 3).

Reads go through ``search.selectors``, scoped to the reader like the lists; nothing is written.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from search.forms import SearchForm
from search.selectors import search_issues, search_items

PAGE_SIZE = 25
ISSUES_BESIDE_ITEMS = 5  # on the items tab, the best few issues are shown above the items

# Shown when nothing matched: what usually helps.
SUGGESTIONS = [
    "Bớt từ: chỉ giữ một hai từ chính, ví dụ “rác” thay vì “rác thải bốc mùi ở chợ”.",
    "Bỏ bớt bộ lọc (chủ đề, thái độ, địa bàn, kênh, thời gian, trạng thái).",
    "Gõ có dấu hay không dấu đều được: “Hòa Bình”, “Hoà Bình” và “hoa binh” là như nhau.",
    "Dùng dấu * để tìm theo đầu từ: “karao*” tìm cả “karaoke”.",
    'Đặt cụm từ trong ngoặc kép để tìm đúng cụm: “"cống thoát nước"”.',
]


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    context: dict = {"form": form, "suggestions": SUGGESTIONS, "searched": False}
    if form.is_bound and form.is_valid():
        context["has_filters"] = bool(form.filters())
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        kind = form.cleaned_data["kind"] or "items"
        filters = form.filters()
        page = request.GET.get("page", "1")
        page = int(page) if page.isdigit() else 1
        query = form.cleaned_data["q"]
        items = issues = None
        if kind == "items":
            items = search_items(request.user, query, page=page, page_size=PAGE_SIZE, **filters)
            issues = search_issues(request.user, query, page_size=ISSUES_BESIDE_ITEMS, **filters)
        else:
            issues = search_issues(request.user, query, page=page, page_size=PAGE_SIZE, **filters)
        parsed = (items or issues).query
        context.update(
            searched=True,
            kind=kind,
            items=items,
            issues=issues,
            parsed=parsed,
            understood=parsed.describe(),
            nothing_to_search=not parsed,
        )
    return render(request, "search/search.html", context)
