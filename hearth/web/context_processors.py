from hearth.core.access import staff_for


def staff(request):
    """The signed-in user's staff record (with roles) for the layout."""
    return {"current_staff": staff_for(getattr(request, "user", None))}
