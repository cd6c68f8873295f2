"""The rules of ../shared/policy/RULES.md as pure functions over plain data.

Nothing in this package touches the ORM, a request or the clock: "today" and the
jurisdiction's settings are arguments. Each rule names its ID from RULES.md.
"""
