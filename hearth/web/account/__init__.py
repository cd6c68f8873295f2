"""The signed-in user's own account: sign-in, password, two-factor sign-in, sessions and
API tokens (issue 10 §2; docs/adr/0009-sign-in-and-two-factor.md)."""
