"""The access log: every view of a case record, page or API."""

from hearth.core.models import AccessLog


def log_view(*, user, request, obj, case=None, channel: str = AccessLog.Channel.WEB) -> None:
    """Record that `user` viewed `obj` (a case, a person, ...), tied to `case` if any."""
    AccessLog.objects.create(
        user=user,
        case=case,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        channel=channel,
        path=request.path[:300],
    )
