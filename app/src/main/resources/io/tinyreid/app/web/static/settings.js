// Settings while a model switch runs: show its progress ("12 of 40 photos") without reloading the
// page (which would lose what is being typed in the other forms).
(function () {
  const line = document.getElementById('model-job');
  if (!line) return;
  async function poll() {
    try {
      const r = await fetch('/api/model-job', {cache: 'no-store', credentials: 'same-origin'});
      if (r.ok) {
        const j = await r.json();
        line.textContent = j.text;
        if (!j.running) return;
      }
    } catch (e) { /* try again */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
