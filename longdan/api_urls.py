"""Routes of the REST API under /api/v1/ (see docs at /api/v1/docs/, schema at /api/v1/schema/)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from core.api import AuditViewSet, TokenView, api_not_found
from intake.api import ItemViewSet, SuggestView
from issues.api import AnswerViewSet, IssueViewSet
from orgs.api import AreaViewSet, CollaboratorViewSet, UnitViewSet
from picture.api import PictureView
from picture.direction_api import DirectionViewSet
from reporting.api import ComplianceView, PeriodViewSet, ReportViewSet, TemplateViewSet
from search.api import SearchView
from surveys.analysis.api import EstimateView, SurveyResultsView, WeighView
from surveys.design.api import SurveyViewSet

router = SimpleRouter()
router.register("units", UnitViewSet, basename="api-unit")
router.register("areas", AreaViewSet, basename="api-area")
router.register("collaborators", CollaboratorViewSet, basename="api-collaborator")
router.register("periods", PeriodViewSet, basename="api-period")
router.register("templates", TemplateViewSet, basename="api-template")
router.register("reports", ReportViewSet, basename="api-report")
router.register("audit", AuditViewSet, basename="api-audit")
router.register("items", ItemViewSet, basename="api-item")
router.register("issues", IssueViewSet, basename="api-issue")
router.register("answers", AnswerViewSet, basename="api-answer")
router.register("surveys", SurveyViewSet, basename="api-survey")
router.register("directions", DirectionViewSet, basename="api-direction")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL of its own: the CSP runs no inline one.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("token/", TokenView.as_view(), name="api-token"),
    path("compliance/", ComplianceView.as_view(), name="api-compliance"),
    path("suggest/", SuggestView.as_view(), name="api-suggest"),
    path("search/", SearchView.as_view(), name="api-search"),
    path("picture/", PictureView.as_view(), name="api-picture"),
    # Before the router: its "surveys/<slug>/" would take "weigh" and "estimate" for slugs.
    path("surveys/weigh/", WeighView.as_view(), name="api-survey-weigh"),
    path("surveys/estimate/", EstimateView.as_view(), name="api-survey-estimate"),
    path("surveys/<slug:slug>/results/", SurveyResultsView.as_view(), name="api-survey-results"),
    *router.urls,
    # Last: any other path under /api/v1/ is a JSON 404, not the site's HTML page (issue 16).
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]

