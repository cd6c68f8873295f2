"""The intake app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.intake import views as intake

urlpatterns = [
    path("cases/<int:pk>/assign/", intake.assign, name="case_assign"),
    path("cases/<int:pk>/route/", intake.send_to_unit, name="case_route"),
    path("intake/", intake.intake_queue, name="intake_queue"),
    path("intake/referrals/new/", intake.referral_new, name="referral_new"),
    path("units/<int:pk>/balance/", intake.unit_balance, name="unit_balance"),
    path("staff/<int:pk>/reassign/", intake.reassign, name="staff_reassign"),
]
