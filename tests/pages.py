"""Comparing pages: two answers are the same page when they differ only in the per-response
CSRF token mask (every page of the layout carries the sign-out form's token, masked anew
for each response, so even two 404s for missing records differ there)."""

import re

_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def same_page(a, b) -> bool:
    """True when responses `a` and `b` carry the same page, CSRF token masks aside."""
    return _CSRF.sub(b"", a.content) == _CSRF.sub(b"", b.content)
