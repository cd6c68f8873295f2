"""The account pages: sign-in, a new password, two-factor set-up and verification,
recovery codes and API tokens. Which of them a user must visit first is decided by
hearth.staff.signin and enforced by the SignInGuardMiddleware."""

import logging
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearth.api import services as token_services
from hearth.api.models import ApiToken
from hearth.staff import signin
from hearth.web.account.forms import CodeForm, NewPasswordForm, SetUpCodeForm, TokenForm
from hearth.web.account.middleware import session_started

log = logging.getLogger(__name__)


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


class SignInView(auth_views.LoginView):
    """Django's sign-in (django-axes counts its failures) that starts the session's
    clocks."""

    def form_valid(self, form):
        response = super().form_valid(form)
        session_started(self.request)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = NewPasswordForm
    template_name = "registration/new_password.html"  # the admin has its own under the old name

    def get_success_url(self):
        return _next_url(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next") or self.request.POST.get("next", "")
        context["must_change"] = signin.must_change_password(self.request.user)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        signin.password_changed(user=self.request.user)
        messages.success(self.request, "Your new password is set.")
        return response


@login_required
def account(request):
    user = request.user
    context = {
        "two_factor_required": signin.two_factor_required(user),
        "has_authenticator": signin.has_authenticator(user),
        "recovery_codes_left": StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
        "active_tokens": sum(1 for t in user.api_tokens.all() if t.state == ApiToken.State.ACTIVE),
    }
    return render(request, "web/account.html", context)


@login_required
def two_factor_setup(request):
    """Show a new secret (QR code and text), confirm it with a code, then show the
    recovery codes once. A verified user may come back here to replace their app."""
    user = request.user
    if not signin.two_factor_required(user):
        messages.info(request, "Two-factor sign-in is not required for your account.")
        return redirect("account")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = SetUpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = signin.two_factor_enrol(user=user, device=device)
            otp_login(request, device)
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "set_up": True, "next": _next_url(request)},
            )
        log.warning("Two-factor set-up code refused for user %s.", user.pk)
        form.add_error(
            "code",
            "That code does not match. Check that your phone's clock is right and give the "
            "code your app shows now.",
        )
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code to add Hearth to your authenticator app"
    )
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr),  # drawn by segno from our own otpauth: URL
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "replacing": signin.has_authenticator(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@login_required
def two_factor_verify(request):
    """The second step of sign-in: a code from the app, or a recovery code (used once)."""
    user = request.user
    next_url = _next_url(request)
    if signin.pending_step(user) != signin.VERIFY_TWO_FACTOR:
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} of them are left. "
                    "Get new ones under Account security.",
                )
            return redirect(next_url)
        log.warning("Two-factor code refused for user %s.", user.pk)
        form.add_error("code", "That code does not match. Give the code your app shows now.")
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a verified session only."""
    if not request.user.is_verified():
        messages.error(request, "Set up two-factor sign-in first.")
        return redirect("account")
    codes = signin.recovery_codes_regenerate(user=request.user)
    return render(request, "registration/recovery_codes.html", {"codes": codes})


@login_required
def api_tokens(request):
    """The user's own API tokens; a new one is shown once, here."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = token_services.api_token_create(
            actor=request.user, user=request.user, label=form.cleaned_data["label"]
        )
        created = {"token": token, "raw": raw}
        form = TokenForm()
    return render(
        request,
        "web/api_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": request.user.api_tokens.all(),
            "days": settings.HEARTH_API_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token {token.prefix}… is revoked.")
    return redirect("api_tokens")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in while the account or address is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
