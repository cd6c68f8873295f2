// A create form's one-time token (hearth/web/once.py) goes into the page's address, so
// that Back to the form after saving it opens it with the same token: saving it again then
// shows the record already saved instead of making a second one.
(function () {
  var field = document.querySelector('form[method="post"] input[name="once"]');
  if (!field || !window.history.replaceState) return;
  var url = new URL(window.location.href);
  if (url.searchParams.get("once") === field.value) return;
  url.searchParams.set("once", field.value);
  window.history.replaceState(window.history.state, "", url.toString());
})();
