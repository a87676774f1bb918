// The free room page, /rooms/{name}: the room panel (room.js) on a page of its own, for a team's
// standing room that belongs to no build. The name comes from the page's own URL.

import { joinRoom } from './room.js';

const name = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop());
document.title = `${name} · Tailboard`;
document.getElementById('room-title').textContent = name;
joinRoom({ room: name, panel: document.getElementById('room') });
