from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from hearth.core.forms import UsaFormMixin


class CodeForm(UsaFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


class SetUpCodeForm(CodeForm):
    code = forms.CharField(
        label="Code from your app",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows for Hearth.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class NewPasswordForm(UsaFormMixin, PasswordChangeForm):
    pass


class TokenForm(UsaFormMixin, forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=100,
        required=False,
        help_text="What the token is for, such as the name of the program that uses it.",
    )
