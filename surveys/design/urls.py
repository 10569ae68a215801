"""Survey routes (design): surveys, XLSForm versions, downloads, status."""

from django.urls import path

from surveys.design import views

urlpatterns = [
    path("khao-sat/", views.survey_list, name="survey_list"),
    path("khao-sat/moi/", views.survey_create, name="survey_create"),
    path("khao-sat/kiem-tra/", views.xlsform_check, name="xlsform_check"),
    path("khao-sat/<slug:slug>/", views.survey_detail, name="survey_detail"),
    path("khao-sat/<slug:slug>/sua/", views.survey_edit, name="survey_edit"),
    path("khao-sat/<slug:slug>/bieu-mau/", views.survey_upload, name="survey_upload"),
    path(
        "khao-sat/<slug:slug>/bieu-mau/<int:pk>/tai-ve/",
        views.form_version_download,
        name="form_version_download",
    ),
    path(
        "khao-sat/<slug:slug>/bieu-mau/<int:pk>/xform.xml",
        views.form_version_xml,
        name="form_version_xml",
    ),
    path("khao-sat/<slug:slug>/trang-thai/", views.survey_status, name="survey_status"),
    path(
        "khao-sat/<slug:slug>/cau-hoi/<int:pk>/khoa/",
        views.question_concept,
        name="survey_question_concept",
    ),
]
