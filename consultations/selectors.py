"""Reads of the consultations app, scoped to the reader.

A draft is the ward's: every signed-in reader sees its text. A comment is its unit's: a reader
sees the comments of the units they see (``orgs.selectors.visible_unit_ids``); the groups, the
answers and the bản tổng hợp name every unit and are the office's.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from consultations.models import Comment, CommentGroup, Draft, Provision
from orgs.selectors import visible_unit_ids


def drafts_for(user) -> QuerySet[Draft]:
    return Draft.objects.all()


def draft_for(user, pk: int) -> Draft:
    return get_object_or_404(Draft, pk=pk)


def comments_visible_to(user) -> QuerySet[Comment]:
    unit_ids = visible_unit_ids(user)
    comments = Comment.objects.all()
    if unit_ids is None:
        return comments
    return comments.filter(unit_id__in=unit_ids)


def provisions_with_counts(user, draft: Draft) -> QuerySet[Provision]:
    """The draft's provisions, each with the number of comments the reader may see."""
    unit_ids = visible_unit_ids(user)
    seen = Q() if unit_ids is None else Q(comments__unit_id__in=unit_ids)
    return draft.provisions.annotate(seen=Count("comments", filter=seen)).order_by("position")


def provision_for(user, draft: Draft, pk: int) -> Provision:
    return get_object_or_404(Provision, pk=pk, draft=draft)


def provision_comments(user, provision: Provision) -> QuerySet[Comment]:
    return comments_visible_to(user).filter(provision=provision).select_related("unit")


def groups_for_office(user, draft: Draft) -> QuerySet[CommentGroup]:
    if not getattr(user, "is_office", False):
        raise Http404("Không tìm thấy trang.")
    return (CommentGroup.objects.filter(provision__draft=draft).select_related("provision")
            .order_by("provision__position", "-size", "key"))


def group_for_office(user, draft: Draft, pk: int) -> CommentGroup:
    if not getattr(user, "is_office", False):
        raise Http404("Không tìm thấy trang.")
    return get_object_or_404(CommentGroup.objects.select_related("provision"), pk=pk,
                             provision__draft=draft)
