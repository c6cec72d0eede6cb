// Live view: fetch the next annotated frame as soon as the previous one is shown (no queue, no
// flood on slow phones), and refresh the list of faces at the door.
(function () {
  const img = document.getElementById('live-frame');
  const list = document.getElementById('live-faces');
  const status = document.getElementById('live-status');
  let seq = 0, url = null, stopped = false;

  async function nextFrame() {
    if (stopped) return;
    try {
      const r = await fetch('/live/frame.jpg?after=' + seq, {cache: 'no-store', credentials: 'same-origin'});
      if (r.status === 200) {
        seq = Number(r.headers.get('X-Frame-Sequence')) || seq + 1;
        const blob = await r.blob();
        const old = url;
        url = URL.createObjectURL(blob);
        img.src = url;
        if (old) URL.revokeObjectURL(old);
      } else if (r.status === 401) {
        location.href = '/login';
        return;
      } else if (r.status !== 204) {
        await new Promise(ok => setTimeout(ok, 1000));
      }
    } catch (e) {
      await new Promise(ok => setTimeout(ok, 1000));
    }
    setTimeout(nextFrame, 0);
  }

  function render(faces) {
    list.replaceChildren();
    if (faces.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'Nobody';
      list.append(li);
      return;
    }
    for (const f of faces) {
      const li = document.createElement('li');
      li.className = f.kind;
      li.dataset.track = f.track;
      const name = document.createElement('span');
      name.className = 'face-name';
      name.textContent = f.kind === 'known' ? f.name : (f.kind === 'stranger' ? 'Stranger' : 'Looking…');
      const score = document.createElement('span');
      score.className = 'muted small';
      score.textContent = f.score ? 'distance ' + f.score : '';
      li.append(name, score);
      list.append(li);
    }
  }

  async function poll() {
    if (stopped) return;
    try {
      const r = await fetch('/api/live', {cache: 'no-store', credentials: 'same-origin'});
      if (r.ok) {
        const j = await r.json();
        render(j.faces);
        status.textContent = j.status;
      }
    } catch (e) { /* next poll retries */ }
    setTimeout(poll, 500);
  }

  document.addEventListener('visibilitychange', () => {
    const was = stopped;
    stopped = document.hidden;
    if (was && !stopped) { nextFrame(); poll(); }
  });
  nextFrame();
  poll();
})();
