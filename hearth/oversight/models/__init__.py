"""The oversight app's records, one module per part of the work."""

from hearth.oversight.models.court import CourtReport, Hearing
from hearth.oversight.models.qa import (
    CorrectiveAction,
    QaAnswer,
    QaReview,
    QaSample,
    QaSampleCase,
)
from hearth.oversight.models.recommendations import Finding, Recommendation, RecommendationRound

__all__ = [
    "CorrectiveAction",
    "CourtReport",
    "Finding",
    "Hearing",
    "QaAnswer",
    "QaReview",
    "QaSample",
    "QaSampleCase",
    "Recommendation",
    "RecommendationRound",
]
