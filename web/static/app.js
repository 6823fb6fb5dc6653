// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';
document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

// A running clock (the custody appropriate adult's wait): the server writes
// the elapsed time and, in data-since and data-now, when it started and the
// server's time then (UTC seconds), so the count keeps going from the
// server's clock, not the device's. Without this file the page still shows
// the time when it was loaded.
const ticks = document.querySelectorAll('.sg-tick[data-since][data-now]');
if (ticks.length) {
    const loaded = Date.now();
    const show = () => {
        for (const el of ticks) {
            const secs = Number(el.dataset.now) - Number(el.dataset.since) + Math.floor((Date.now() - loaded) / 1000);
            const mins = Math.max(0, Math.floor(secs / 60));
            const hours = Math.floor(mins / 60);
            const days = Math.floor(hours / 24);
            el.textContent = days >= 2 ? `${days} days ${hours % 24} h` : hours >= 1 ? `${hours} h ${mins % 60} min` : `${mins} min`;
        }
    };
    setInterval(show, 15000);
}
