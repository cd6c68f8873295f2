"""The oversight app's one router; each area's module adds its operations to it."""

from ninja import Router

router = Router(tags=["oversight"])
