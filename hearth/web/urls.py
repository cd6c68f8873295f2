from django.contrib.auth import views as auth_views
from django.urls import path

from hearth.cases import views as cases
from hearth.contacts import views as contacts
from hearth.intake import views as intake
from hearth.placements import views as placements
from hearth.reports import views as reports
from hearth.visitation import views as visitation
from hearth.web import access_log, views
from hearth.web.account import views as account
from hearth.web.pages import case, caseload, child, people, units

urlpatterns = [
    path("accounts/login/", account.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", account.account, name="account"),
    path("accounts/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/two-factor/set-up/", account.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", account.two_factor_verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        account.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/tokens/", account.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", account.api_token_revoke, name="api_token_revoke"),
    path("", views.home, name="home"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", case.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", case.case_edit, name="case_edit"),
    path("cases/<int:pk>/status/", case.case_status, name="case_status"),
    path("cases/<int:pk>/restriction/", case.case_restrict, name="case_restrict"),
    path("cases/<int:pk>/named-staff/", case.case_named_staff_add, name="case_named_staff_add"),
    path("cases/<int:pk>/named-staff/end/", case.case_named_staff_end, name="case_named_staff_end"),
    path("cases/<int:pk>/assign/", intake.assign, name="case_assign"),
    path("cases/<int:pk>/route/", intake.send_to_unit, name="case_route"),
    path("intake/", intake.intake_queue, name="intake_queue"),
    path("intake/referrals/new/", intake.referral_new, name="referral_new"),
    path("cases/<int:pk>/members/", case.case_member_add, name="case_member_add"),
    path("cases/<int:pk>/children/<int:child_id>/", child.case_child, name="case_child"),
    path(
        "cases/<int:pk>/children/<int:child_id>/<slug:action>/",
        child.case_child_action,
        name="case_child_action",
    ),
    path(
        "cases/<int:pk>/placement-conference/",
        visitation.case_conference,
        name="case_conference",
    ),
    path("visitation-plans/<int:pk>/", visitation.visit_plan_detail, name="visit_plan_detail"),
    path("visitation-plans/<int:pk>/sign/", visitation.visit_plan_sign, name="visit_plan_sign"),
    path(
        "visitation-plans/<int:pk>/pdf/<slug:lang>/",
        visitation.visit_plan_pdf,
        name="visit_plan_pdf",
    ),
    path("resource-homes/", placements.resource_home_list, name="resource_home_list"),
    path("cases/<int:pk>/notes/new/", contacts.note_new, name="note_new"),
    path("cases/<int:pk>/contact-exceptions/new/", contacts.exception_new, name="exception_new"),
    path(
        "cases/<int:pk>/parent-contact-plans/new/",
        contacts.contact_plan_new,
        name="contact_plan_new",
    ),
    path("notes/<int:pk>/", contacts.note_detail, name="note_detail"),
    path("notes/<int:pk>/finalize/", contacts.note_finalize, name="note_finalize"),
    path("notes/<int:pk>/amend/", contacts.note_amend, name="note_amend"),
    path("contacts/", contacts.my_contacts, name="my_contacts"),
    path("contacts/dashboard/", contacts.dashboard, name="contacts_dashboard"),
    path("reports/monthly-visits/", reports.f1_report, name="f1_report"),
    path("people/", people.people_search, name="people_search"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/balance/", intake.unit_balance, name="unit_balance"),
    path("staff/<int:pk>/reassign/", intake.reassign, name="staff_reassign"),
    path("cases/<int:pk>/access-log/", access_log.case_access_log, name="case_access_log"),
    path("people/<int:pk>/access-log/", access_log.person_access_log, name="person_access_log"),
]
