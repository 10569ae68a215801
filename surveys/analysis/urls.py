"""Survey routes (analysis, publication, the survey database)."""

from django.urls import path

from surveys.analysis import views

urlpatterns = [
    path("khao-sat/<slug:slug>/ket-qua/", views.survey_results, name="survey_results"),
    path("khao-sat/<slug:slug>/bang-cheo/", views.survey_crosstab, name="survey_crosstab"),
    path("khao-sat/<slug:slug>/dong-thuan/", views.survey_consensus, name="survey_consensus"),
    path("khao-sat/<slug:slug>/y-kien-mo/", views.survey_open_answers,
         name="survey_open_answers"),
    path("khao-sat/<slug:slug>/trong-so/", views.survey_weights, name="survey_weights"),
    path("khao-sat/<slug:slug>/xuat.<str:fmt>", views.survey_export, name="survey_export"),
    path("khao-sat/<slug:slug>/bao-cao.docx", views.survey_report_docx,
         name="survey_report_docx"),
    path("khao-sat/<slug:slug>/bao-cao.pdf", views.survey_report_pdf, name="survey_report_pdf"),
    path("cong-bo/khao-sat/<slug:slug>/", views.public_results, name="survey_public_results"),
    path("ngan-hang-cau-hoi/", views.question_bank_page, name="question_bank"),
    path("ngan-hang-cau-hoi/chuoi/", views.question_series_page, name="question_series"),
]
