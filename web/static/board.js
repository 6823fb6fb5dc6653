// board.js — keeps the children at risk board live without a refresh.
//
// Every few seconds it asks /api/children-at-risk/version for the board's
// change token (no personal data, so not audited). Only when the token
// changes (a child reported missing, a case opened or released, a review
// done) does it fetch the page again and swap in the new board, announcing
// the change to screen readers. It also refreshes once a minute so the
// times in each state move on. Without JavaScript the page reloads every
// minute (<noscript> refresh), so the board is never left stale.
const board = document.getElementById('at-risk');
const status = document.getElementById('at-risk-status');
const POLL_MS = Number(board?.dataset.interval || 3000);
const REFRESH_MS = 60000;
let last = Date.now();
let busy = false;

async function tick() {
  if (busy) return;
  busy = true;
  try {
    const current = document.getElementById('at-risk');
    const r = await fetch(current.dataset.poll, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!r.ok) return;
    const { change_token: token } = await r.json();
    const changed = token !== current.dataset.changeToken;
    if (changed || Date.now() - last > REFRESH_MS) {
      const fresh = await fetch(window.location.pathname + window.location.search, { credentials: 'same-origin' });
      if (fresh.redirected || !fresh.ok) return;
      const doc = new DOMParser().parseFromString(await fresh.text(), 'text/html');
      const next = doc.getElementById('at-risk');
      if (!next) return;
      current.replaceWith(next);
      last = Date.now();
      if (changed && status) status.textContent = 'The board has been updated.';
    }
  } catch {
    // The server is restarting or the network dropped: try again next tick.
  } finally {
    busy = false;
  }
}

if (board) setInterval(tick, POLL_MS);
