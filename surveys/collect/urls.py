"""Survey routes (collection): web form, anonymous links, tokens, quotas, import, ODK Collect."""

from django.urls import path

from surveys.collect import odk_views, views

urlpatterns: list = [
    path("khao-sat/<slug:slug>/thu-thap/", views.survey_collect, name="survey_collect"),
    path(
        "khao-sat/<slug:slug>/thu-thap/xform.xml", views.survey_collect_form,
        name="survey_collect_form",
    ),
    path("khao-sat/<slug:slug>/nop/", views.survey_web_submit, name="survey_web_submit"),
    path("khao-sat/<slug:slug>/ma-an-danh/", views.survey_tokens, name="survey_tokens"),
    path("khao-sat/<slug:slug>/chi-tieu/", views.survey_quotas, name="survey_quotas"),
    path("khao-sat/<slug:slug>/nhap/", views.survey_import, name="survey_import"),
    path("ks/<str:token>/", views.public_survey, name="public_survey"),
    path("ks/<str:token>/xform.xml", views.public_survey_form, name="public_survey_form"),
    # OpenRosa for ODK Collect: the server URL to enter in Collect is <site>/odk
    path("odk/formList", odk_views.odk_form_list, name="survey_odk_form_list"),
    path("odk/submission", odk_views.odk_submission, name="survey_odk_submission"),
    path("odk/forms/<int:pk>/form.xml", odk_views.odk_form_xml, name="survey_odk_form_xml"),
    path("odk/forms/<int:pk>/manifest", odk_views.odk_manifest, name="survey_odk_manifest"),
    path("odk/ma-dang-nhap/", views.odk_credentials, name="survey_odk_credentials"),
]
